"""The flags of one episode, shared by `python -m bench run` and every scaffold's thin CLI.

    python -m bench run --agent NAME --comp ID [--model M] [--feedback-model M] [--api-base URL]
        [--steps N] [--time-limit 1h] [--sandbox auto|docker|bwrap|local] [--seed S] [--out DIR]
        [key.sub=value ...]

Each front end parses these flags into a `RunSpec` and calls `run_one`; nothing else runs an episode.
"""

from __future__ import annotations

import argparse
import logging
import re
import signal
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.logging import RichHandler

from bench.registry import DEFAULT_OFFLINE_COMPETITION
from bench.runner import RunError, RunRecord, RunSpec, resume_spec, run_one, with_run_dir
from scaffolds.core.config import ConfigError
from scaffolds.core.task import TaskLimits

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d)?\s*$")
_UNITS = {None: 1, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def duration(text: str) -> float:
    """Seconds from '90', '30m', '9h' or '1.5d' (an argparse type)."""
    match = _DURATION.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected a duration like 600, 30m or 9h, got {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def role_model(text: str) -> tuple[str, str]:
    role, sep, model = text.partition("=")
    if not sep or not role or not model:
        raise argparse.ArgumentTypeError(f"expected ROLE=MODEL (e.g. edit=gpt-4o-mini), got {text!r}")
    return role, model


def add_run_arguments(p: argparse.ArgumentParser, agent_flag: bool) -> None:
    """The episode flags. Scaffold CLIs pass `agent_flag=False`: their agent is fixed."""
    if agent_flag:
        p.add_argument("--agent", default="aide", help="registered agent name (default: aide)")
    p.add_argument("--comp", help=f"competition id (default: {DEFAULT_OFFLINE_COMPETITION})")
    p.add_argument("--model", help="main model (litellm name, or 'local' for the embedded model)")
    p.add_argument("--feedback-model", help="review/feedback model (default: the agent's choice)")
    p.add_argument("--role-model", type=role_model, action="append", default=[], metavar="ROLE=MODEL",
                   help="model for another role of the agent (e.g. edit=gpt-4o-mini); repeatable")
    p.add_argument("--api-base", help="API base URL of an OpenAI-compatible server (also a running "
                                      "embedded-model server for --model local)")
    p.add_argument("--preset", help="the agent's config preset (e.g. default, mlebench)")
    p.add_argument("--steps", type=int, help="maximum number of steps")
    p.add_argument("--time-limit", type=duration, help="wall-clock limit, e.g. 3600, 30m, 24h")
    p.add_argument("--exec-timeout", type=duration, help="time limit per action/script, e.g. 600, 10m")
    p.add_argument("--max-cost", type=float, help="stop when the LLM spend reaches this many USD")
    p.add_argument("--memory-mb", type=int, help="sandbox memory limit in MiB")
    p.add_argument("--cpus", type=float, help="CPUs for agent code")
    p.add_argument("--gpus", help="GPU ids visible to agent code, e.g. 0,1 (default: none)")
    p.add_argument("--sandbox", default="auto", choices=["auto", "docker", "bwrap", "local"],
                   help="isolation backend (auto: docker, else bwrap; local only when asked)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data-dir", type=Path, help="prepared data dir (default: ~/.cache/mle-bench/data)")
    p.add_argument("--out", type=Path, default=Path("runs"), help="where run directories go (default: ./runs)")
    p.add_argument("--resume", type=Path, metavar="RUN_DIR",
                   help="continue an interrupted run in place, with its saved settings (only --api-base may change)")
    p.add_argument("--obfuscated", "--obfuscate", action="store_true",
                   help="no Kaggle framing: the obfuscated description")
    p.add_argument("overrides", nargs="*", metavar="key.sub=value", help="agent config overrides")


def spec_from_args(args: argparse.Namespace, agent: str | None = None) -> RunSpec:
    """The spec the flags describe; with --resume, the interrupted run's saved spec, where only the API
    base may change (a restarted server may listen elsewhere)."""
    if args.resume:
        spec = resume_spec(args.resume)
        return replace(spec, api_base=args.api_base) if args.api_base else spec
    models = dict(args.role_model)
    if args.model:
        models["main"] = args.model
    if args.feedback_model:
        models["feedback"] = args.feedback_model
    limits = TaskLimits(wall_time_s=args.time_limit, max_steps=args.steps, max_cost_usd=args.max_cost,
                        action_timeout_s=args.exec_timeout or TaskLimits.action_timeout_s,
                        memory_mb=args.memory_mb, cpus=args.cpus, gpus=args.gpus)
    return RunSpec(agent=agent or args.agent, competition=args.comp or DEFAULT_OFFLINE_COMPETITION, seed=args.seed,
                   models=tuple(sorted(models.items())), api_base=args.api_base, preset=args.preset,
                   overrides=tuple(args.overrides), sandbox=args.sandbox, limits=limits,
                   data_dir=str(args.data_dir) if args.data_dir else None, out_dir=str(args.out),
                   obfuscated=args.obfuscated)


def print_record(console: Console, record: RunRecord) -> None:
    """The end of a run in a few lines: how it ended, the grade, where everything is."""
    console.print(f"Run ended: {record.reason} ({record.message}); {record.steps} steps, ${record.cost_usd:.4f}, "
                  f"{record.tokens} tokens, {record.wall_time_s:.0f} s")
    grade = record.grade or {}
    if grade.get("score") is None:
        console.print(f"[bold red]No valid submission[/]: {grade.get('message', record.message)}")
    else:
        medal = next((m for m in ("gold", "silver", "bronze") if grade.get(f"{m}_medal")), "none")
        against = "reference ladder" if record.leaderboard_kind == "reference-ladder" else "Kaggle leaderboard"
        direction = "lower" if grade["is_lower_better"] else "higher"
        console.print(f"[bold]Score[/] {grade['score']:.5g} ({direction} is better) | medal: [bold]{medal}[/] "
                      f"(against the {against}) | above median: {grade['above_median']}")
        console.print(f"Thresholds: gold {grade['gold_threshold']}  silver {grade['silver_threshold']}  "
                      f"bronze {grade['bronze_threshold']}  median {grade['median_threshold']}")
    console.print(f"Run directory: {record.run_dir} (record.json, task.json, llm_calls.jsonl)")


def execute(spec: RunSpec, console: Console, on_event: Callable[[Any], None] | None = None) -> int:
    """Run the spec and print its end; exit code 0 when the harness finished the run, 1 otherwise."""
    spec = with_run_dir(spec)
    console.print(f"{spec.agent} on [bold]{spec.competition}[/] | models {dict(spec.models) or 'agent defaults'} | "
                  f"sandbox {spec.sandbox} | seed {spec.seed}" + (" | resuming" if spec.resume else ""))
    console.print(f"Run directory: {spec.run_dir}")
    record = run_one(spec, on_event=on_event)
    print_record(console, record)
    return 0 if record.status == "finished" and record.reason != "llm_error" else 1


def cmd_run(args: argparse.Namespace) -> int:
    console = Console(soft_wrap=True)  # long paths and commands stay on one line (copy-paste, grep)
    # without it `kill PID` ended the process at once: no record, and the sandbox's mounts left behind
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return execute(spec_from_args(args), console)
    except RunError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        return 2
    except KeyboardInterrupt:
        console.print(INTERRUPTED)
        return 130


INTERRUPTED = "interrupted; continue with --resume RUN_DIR (the run directory printed above)"


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def scaffold_main(agent: str, argv: list[str] | None = None,
                  on_event: Callable[[Console, argparse.Namespace], Callable[[Any], None] | None] | None = None,
                  extra_arguments: Callable[[argparse.ArgumentParser], None] | None = None) -> int:
    """The whole of a scaffold's thin CLI: its flags are the episode flags, its run is `run_one`.

    `on_event(console, args)` may return a live display for the agent's progress events.
    """
    parser = argparse.ArgumentParser(prog=f"python -m scaffolds.{agent}",
                                     description=f"Run the {agent} agent on one competition (one episode).")
    add_run_arguments(parser, agent_flag=False)
    if extra_arguments:
        extra_arguments(parser)
    args = parser.parse_args(argv)
    console = Console(soft_wrap=True)  # long paths and commands stay on one line (copy-paste, grep)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill PID` saves state the way Ctrl-C does
    logging.basicConfig(level=logging.WARNING, format="%(message)s", handlers=[RichHandler(console=console)])
    try:
        display = on_event(console, args) if on_event else None  # may add to args (e.g. a config file)
        spec = spec_from_args(args, agent)
        with display if isinstance(display, AbstractContextManager) else nullcontext():
            return execute(spec, console, display)
    except (RunError, ConfigError) as exc:
        console.print(f"[bold red]error:[/] {exc}")
        return 2
    except KeyboardInterrupt:
        console.print(INTERRUPTED)
        return 130
