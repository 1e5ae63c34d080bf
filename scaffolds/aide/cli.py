"""The AIDE command line. It sits on top of everything: it imports bench (inside functions) to
prepare data, build the Task and grade the result; the agent loop itself never imports bench.

    python -m scaffolds.aide [--comp ID] [--model M] [--steps N] [--preset P] [--resume RUN_DIR] ...
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffolds.aide.config import AideConfig, ConfigError, build, load_config, merge, parse_override
from scaffolds.core.rundir import RunDir, atomic_write_json, atomic_write_text, read_json

logger = logging.getLogger(__name__)

RUN_FILE = "run.json"  # the CLI-level settings a resume needs (competition, data dir, sandbox)


class CliError(Exception):
    """A user error: printed as one line, exit code 2, no traceback."""


@dataclass
class RunSettings:
    competition: str
    data_dir: str
    sandbox: str
    obfuscate: bool


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m scaffolds.aide", description="Run the AIDE agent on a competition.")
    p.add_argument("--comp", help="competition id (default: the offline default competition)")
    p.add_argument("--model", help="code model (litellm name, or 'local' for the embedded model)")
    p.add_argument("--feedback-model", help="review model (default: the code model)")
    p.add_argument("--steps", type=int, help="maximum number of nodes")
    p.add_argument("--time-limit", help="wall-clock limit for the run, e.g. 3600, 30m, 24h")
    p.add_argument("--exec-timeout", help="time limit per script, e.g. 600, 10m")
    p.add_argument("--preset", default=None, help="config preset: default (short local runs) or mlebench")
    p.add_argument("--config", type=Path, help="YAML file merged over the preset")
    p.add_argument("--sandbox", choices=["auto", "docker", "bwrap", "local"], help="isolation backend")
    p.add_argument("--data-dir", type=Path, help="prepared data dir (default: ~/.cache/mle-bench/data)")
    p.add_argument("--out", type=Path, default=Path("runs"), help="where run directories go (default: ./runs)")
    p.add_argument("--resume", type=Path, metavar="RUN_DIR", help="continue an interrupted run")
    p.add_argument("--obfuscate", action="store_true", help="no Kaggle framing, obfuscated description")
    p.add_argument("--api-base", help="API base URL for an OpenAI-compatible server")
    p.add_argument("--max-cost", type=float, help="stop when the LLM spend reaches this many USD")
    p.add_argument("--no-live", action="store_true", help="plain log lines instead of the live display")
    p.add_argument("overrides", nargs="*", metavar="key.sub=value", help="config overrides, e.g. search.debug_prob=1")
    return p.parse_args(argv)


def _flag_overrides(args: argparse.Namespace, base: AideConfig) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if args.model:
        out.append({"code": {"model": args.model}})
        if not args.feedback_model and base.feedback.model == base.code.model:
            out.append({"feedback": {"model": args.model}})  # the reviewer follows the code model
    if args.feedback_model:
        out.append({"feedback": {"model": args.feedback_model}})
    if args.steps is not None:
        out.append({"steps": args.steps})
    if args.time_limit:
        out.append({"time_limit_s": args.time_limit})
    if args.exec_timeout:
        out.append({"exec": {"timeout_s": args.exec_timeout}})
    if args.max_cost is not None:
        out.append({"max_cost_usd": args.max_cost})
    if args.obfuscate:
        out.append({"prompt": {"obfuscate": True}})
    return out + [parse_override(text) for text in args.overrides]


def resolve_config(args: argparse.Namespace) -> AideConfig:
    """Preset (or the resumed run's config), config file, CLI flags, key=value overrides."""
    if args.resume:
        import yaml

        try:
            saved = yaml.safe_load((args.resume / "config.yaml").read_text())
        except (OSError, yaml.YAMLError) as exc:
            raise CliError(f"cannot read the config of the run to resume: {exc}") from None
        base = build(AideConfig, saved)
        data = saved
    else:
        base = load_config(args.preset or "default", args.config)
        data = base.to_dict()
    for update in _flag_overrides(args, base):
        data = merge(data, update)
    return build(AideConfig, data).validate()


def resolve_settings(args: argparse.Namespace) -> RunSettings:
    if args.resume:
        saved = read_json(args.resume / RUN_FILE)
        return RunSettings(**saved)
    from bench.registry import DEFAULT_OFFLINE_COMPETITION

    data_dir = args.data_dir or os.environ.get("MLE_SUITE_DATA_DIR")
    if not data_dir:
        from bench.data import default_data_dir

        data_dir = default_data_dir()
    return RunSettings(competition=args.comp or DEFAULT_OFFLINE_COMPETITION, data_dir=str(data_dir),
                       sandbox=args.sandbox or "auto", obfuscate=args.obfuscate)


def get_competition(comp_id: str):
    from bench.registry import UnknownCompetition
    from bench.registry import get_competition as lookup

    try:
        return lookup(comp_id)
    except UnknownCompetition as exc:
        raise CliError(str(exc)) from None


def ensure_data(comp, data_dir: Path, console) -> Path:
    """The public data dir, preparing offline competitions on the spot; else say exactly how."""
    from bench import data as bench_data

    if not bench_data.is_prepared(comp, data_dir):
        if comp.source != "package":
            try:
                bench_data.ensure_prepared(comp, data_dir)
            except Exception as exc:  # NotPrepared: its message is the exact prepare command
                raise CliError(f"data for {comp.id} is not prepared: {exc}") from None
        console.print(f"Preparing {comp.id} in {data_dir} (offline, no account needed)...")
        bench_data.prepare(comp, data_dir)
    return bench_data.competition_paths(comp, data_dir).public


def check_models(cfg: AideConfig, api_base: str | None) -> None:
    """Fail fast (before preparing data or opening a sandbox) when a model's API key is missing."""
    from scaffolds.core.llm import LLMError
    from scaffolds.core.llm.models import check_api_key

    for model in {cfg.code.model, cfg.feedback.model}:
        try:
            check_api_key(model, api_base)
        except LLMError as exc:
            raise CliError(str(exc)) from None


def build_llms(cfg: AideConfig, log_path: Path, api_base: str | None):
    """Code and feedback LLMs sharing one budget and one call log; key problems surface here."""
    from scaffolds.core.llm import LLM, Budget, LLMError

    budget = Budget(max_cost_usd=cfg.max_cost_usd)
    try:
        code = LLM(cfg.code.model, temperature=cfg.code.temperature, api_base=api_base, budget=budget,
                   log_path=log_path)
        if cfg.feedback.model == cfg.code.model and cfg.feedback.temperature == cfg.code.temperature:
            return code, code
        feedback = LLM(cfg.feedback.model, temperature=cfg.feedback.temperature, api_base=api_base,
                       budget=budget, log_path=log_path)
    except (LLMError, ValueError) as exc:
        raise CliError(str(exc)) from None
    return code, feedback


def open_run_sandbox(comp, settings: RunSettings, public: Path, rd: RunDir, cfg: AideConfig):
    from bench.validate import make_validator
    from sandbox import Limits, SandboxConfig, open_sandbox
    from sandbox.errors import SandboxError

    limits = Limits(action_timeout_s=cfg.exec.timeout_s)
    config = SandboxConfig(data_dir=public, workspace=rd.workspace, backend=settings.sandbox, limits=limits,
                           validator=make_validator(comp, Path(settings.data_dir)))
    try:
        return open_sandbox(config)
    except SandboxError as exc:
        raise CliError(f"sandbox {settings.sandbox!r} unavailable: {exc}") from None


def task_paths(sandbox):
    """The sandbox's inside paths in the shape bench.task wants."""
    from bench.task import TaskPaths

    p = sandbox.paths
    return TaskPaths(data=str(p.data), submission=f"{p.submission}/submission.csv", code=str(p.code),
                     logs=str(p.logs), validate_url=sandbox.validation_url,
                     validate_script=f"{p.home}/validate_submission.sh")


def make_task(comp, settings: RunSettings, cfg: AideConfig, sandbox):
    from bench.task import build_task
    from scaffolds.core.task import TaskLimits

    limits = TaskLimits(wall_time_s=cfg.time_limit_s, max_steps=cfg.steps, max_cost_usd=cfg.max_cost_usd,
                        action_timeout_s=cfg.exec.timeout_s)
    return build_task(comp, Path(settings.data_dir), limits, obfuscated=settings.obfuscate,
                      paths=task_paths(sandbox))


def grade(comp, rd: RunDir, data_dir: Path) -> dict[str, Any]:
    from bench.grade import grade_submission

    report = grade_submission(comp, rd.submission, data_dir)
    data = {**report.to_dict(), "message": report.message, "warnings": report.warnings}
    atomic_write_json(rd.grade, data)
    return data


class Display:
    """Live progress: step, phase, each node's status, best score so far, cost. Plain lines when
    the output is not a terminal (or with --no-live)."""

    def __init__(self, console, title: str, live: bool) -> None:
        self.console, self.title, self.rows = console, title, []
        self.live = None
        if live:
            from rich.live import Live

            self.live = Live(console=console, refresh_per_second=4, transient=False)

    def __enter__(self) -> Display:
        if self.live:
            self.live.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.live:
            self.live.__exit__(*exc)

    def __call__(self, event) -> None:
        node = event.node
        if event.phase == "done" and node is not None:
            status = "bug" if node.is_buggy else f"{node.metric:.5g}"
            self.rows.append((node.step, node.stage, status, node.exec_time_s, node.usage.cost_usd,
                              "; ".join(node.bug_reasons)[:70]))
            if not self.live:
                best = "none" if event.best_metric is None else f"{event.best_metric:.5g}"
                self.console.print(f"step {node.step + 1}/{event.max_steps} {node.stage:<7} {status:<10} "
                                   f"best {best}  cost ${event.cost_usd:.4f}  {event.elapsed_s:.0f}s")
        if self.live:
            self.live.update(self._render(event))

    def _render(self, event):
        from rich.table import Table

        best = "none" if event.best_metric is None else f"{event.best_metric:.5g}"
        table = Table(title=(f"{self.title} | step {event.step + 1}/{event.max_steps} | {event.phase} "
                             f"{event.stage} | best {best} | ${event.cost_usd:.4f} | "
                             f"{event.elapsed_s:.0f}/{event.time_limit_s:.0f}s"))
        for name in ("step", "stage", "result", "exec s", "cost $", "why buggy"):
            table.add_column(name)
        for step, stage, status, exec_s, cost, why in self.rows[-12:]:
            style = "red" if status == "bug" else "green"
            table.add_row(str(step), stage, f"[{style}]{status}[/]", f"{exec_s:.1f}", f"{cost:.4f}", why)
        return table


def print_grade(console, report: dict[str, Any], rd: RunDir) -> None:
    if report.get("score") is None:
        console.print(f"[bold red]No valid submission[/]: {report.get('message', '')}")
    else:
        medal = next((m for m in ("gold", "silver", "bronze") if report.get(f"{m}_medal")), None)
        console.print(f"[bold]Score[/] {report['score']:.5g} ({'lower' if report['is_lower_better'] else 'higher'}"
                      f" is better) | medal: [bold]{medal or 'none'}[/] | above median: {report['above_median']}")
        console.print(f"Thresholds: gold {report['gold_threshold']}  silver {report['silver_threshold']}  "
                      f"bronze {report['bronze_threshold']}  median {report['median_threshold']}")
    console.print(f"Run directory: {rd.root}  (tree: {rd.tree_html.name}, journal: {rd.journal.name}, "
                  f"grade: {rd.grade.name})")


def run(args: argparse.Namespace, console) -> int:
    from scaffolds.aide.agent import AideAgent

    if args.resume and not ((args.resume / RUN_FILE).is_file() and (args.resume / "config.yaml").is_file()):
        raise CliError(f"{args.resume} is not an AIDE run directory made by this command "
                       f"(it needs {RUN_FILE} and config.yaml)")
    cfg = resolve_config(args)
    settings = resolve_settings(args)
    comp = get_competition(settings.competition)
    check_models(cfg, args.api_base)
    data_dir = Path(settings.data_dir)
    public = ensure_data(comp, data_dir, console)
    rd = RunDir(args.resume) if args.resume else RunDir.create(args.out, "aide", comp.id)
    atomic_write_json(rd.root / RUN_FILE, settings.__dict__)
    atomic_write_text(rd.config, cfg.to_yaml())
    code_llm, feedback_llm = build_llms(cfg, rd.llm_log, args.api_base)
    sandbox = open_run_sandbox(comp, settings, public, rd, cfg)
    with sandbox:
        task = make_task(comp, settings, cfg, sandbox)
        task.save(rd.task)
        console.print(f"AIDE on [bold]{comp.id}[/] | model {cfg.code.model} (review: {cfg.feedback.model}) | "
                      f"sandbox {sandbox.backend} | {cfg.steps} steps, {cfg.time_limit_s:.0f}s | run dir {rd.root}")
        live = not args.no_live and console.is_terminal
        with Display(console, f"AIDE {comp.id}", live) as display:
            result = AideAgent(cfg, feedback_llm=feedback_llm, on_event=display).run(task, sandbox, code_llm, rd)
    console.print(f"Run ended: {result.reason} ({result.message}); {result.steps} nodes, "
                  f"${result.cost_usd:.4f}, {result.tokens} tokens")
    if result.reason == "llm_error" and result.steps == 0:
        raise CliError(f"{result.message} (run dir: {rd.root})")
    print_grade(console, grade(comp, rd, data_dir), rd)
    return 1 if result.reason == "llm_error" else 0


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console
    from rich.logging import RichHandler

    console = Console()
    signal.signal(signal.SIGTERM, _interrupt)  # `kill PID` saves the journal like Ctrl-C does
    logging.basicConfig(level=logging.WARNING, format="%(message)s", handlers=[RichHandler(console=console)])
    try:
        args = parse_args(argv)
        return run(args, console)
    except (CliError, ConfigError) as exc:
        console.print(f"[bold red]error:[/] {exc}")
        return 2
    except KeyboardInterrupt:
        console.print("interrupted; continue with --resume RUN_DIR")
        return 130
