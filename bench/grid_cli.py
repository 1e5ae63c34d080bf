"""`python -m bench run` for many runs: agents x models x competitions x seeds, on a local pool or Ray.

    python -m bench run --agents aide,mlab --split lite --seeds 3 --models gpt-4o,local \\
        [--time-limit 24h] [--cpus-per-run 4] [--gpus-per-run 1] [--workers N | --ray ADDRESS|local] \\
        [--snapshot-every 1h] [--obfuscated] --out runs/GROUP

Any of the grid flags below makes `run` a grid (`--agent` and `--comp` then count as lists of one);
without them `run` is the single episode of `bench.run_cli`. Running the same command again continues
the group in `--out`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console

from bench.competition import Competition
from bench.data import default_data_dir
from bench.executors import Executor, LocalPool, RayExecutor
from bench.grid import Grid, Status, check_group, run_grid, write_group
from bench.group import GroupError
from bench.hardware import Hardware, default_workers, detect
from bench.progress import GridProgress
from bench.registry import DEFAULT_OFFLINE_COMPETITION, get_competition, has_entry, split_ids
from bench.run_cli import cmd_run, duration, spec_from_args
from bench.runner import RunError, leaderboard_kind, public_data
from scaffolds.core.agent import get_agent_class
from scaffolds.core.llm import resolve_default_model
from scaffolds.core.llm.local import LocalServer, default_n_ctx, resolve_spec, start_server
from scaffolds.core.llm.models import is_local

log = logging.getLogger(__name__)

GRID_FLAGS = ("agents", "comps", "split", "seeds", "models", "workers", "cpus_per_run", "gpus_per_run", "gpu_ids",
              "ray", "max_attempts", "snapshot_every")


def _csv(text: str) -> list[str]:
    values = [v.strip() for v in text.split(",") if v.strip()]
    if not values:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list, got {text!r}")
    return values


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def add_grid_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("grid (many runs; any of these flags makes `run` a grid in --out)")
    g.add_argument("--agents", type=_csv, help="comma-separated agent names (default: --agent)")
    g.add_argument("--comps", type=_csv, help="comma-separated competition ids (default: --comp)")
    g.add_argument("--split", help="every competition of a split (offline, lite, dev, medium, high, all, ...) "
                                   "or a file with one id per line")
    g.add_argument("--seeds", type=_positive_int, help="number of seeds per (agent, model, competition), "
                                                       "counting up from --seed")
    g.add_argument("--models", type=_csv, help="comma-separated main models, one run each (default: --model)")
    g.add_argument("--workers", type=_positive_int, help="runs at once (default: what the CPUs, memory and "
                                                         "GPUs fit for the per-run request)")
    g.add_argument("--cpus-per-run", type=float, help="CPUs for each run's agent code (also --cpus)")
    g.add_argument("--gpus-per-run", type=int, default=None, help="GPUs per run, handed out one by one (0, 1, 2, ...)")
    g.add_argument("--gpu-ids", type=_csv, help="GPU ids the pool hands out (default: detected)")
    g.add_argument("--ray", metavar="ADDRESS", help="run on Ray: a cluster address, or 'local' to start one here")
    g.add_argument("--max-attempts", type=_positive_int, help="attempts per run before it is recorded as "
                                                              "failed (default: 3)")
    g.add_argument("--snapshot-every", type=duration, help="copy each run's submission this often, e.g. 1h "
                                                           "(the report grades every snapshot: score over time)")


def is_grid(args: argparse.Namespace) -> bool:
    return any(getattr(args, name, None) is not None for name in GRID_FLAGS)


def cmd_run_or_grid(args: argparse.Namespace) -> int:
    """`python -m bench run`: a grid when a grid flag is given, else the single episode."""
    if not is_grid(args):
        return cmd_run(args)
    console = Console(stderr=False)
    try:
        return run_grid_command(args, console)
    except (RunError, GroupError, ValueError) as exc:
        console.print(f"[bold red]error:[/] {exc}", highlight=False)
        return 2
    except KeyboardInterrupt:
        console.print(f"interrupted; run the same command to continue the group in {args.out}")
        return 130


# ---- the grid from the flags -------------------------------------------------------------------------
def _competition_ids(args: argparse.Namespace) -> list[str]:
    if args.comps and args.split:
        raise ValueError("give --comps or --split, not both")
    if args.comps:
        return args.comps
    if not args.split:
        return [args.comp or DEFAULT_OFFLINE_COMPETITION]
    path = Path(args.split)
    if path.is_file():
        ids = [ln.split("#")[0].strip() for ln in path.read_text().splitlines()]
        return [i for i in ids if i]
    ids = list(split_ids(args.split))
    missing = [i for i in ids if not has_entry(i)]
    if missing:
        raise ValueError(f"split {args.split} has {len(missing)} competition(s) without an entry in mle-suite yet "
                         f"({', '.join(missing)}); pass --comps with the ones to run")
    return ids


def build_grid(args: argparse.Namespace) -> Grid:
    """The grid the flags describe (nothing is checked against the registry here)."""
    if args.resume:
        raise ValueError("--resume is for a single run; to continue a grid, run the same command again")
    if args.gpus:
        raise ValueError("a grid hands out GPUs itself: use --gpus-per-run (and --gpu-ids), not --gpus")
    if args.cpus_per_run and args.cpus and args.cpus_per_run != args.cpus:
        raise ValueError("--cpus and --cpus-per-run disagree; give one of them")
    template = spec_from_args(args)
    cpus = args.cpus_per_run or args.cpus
    template = replace(template, limits=replace(template.limits, cpus=cpus), snapshot_every_s=args.snapshot_every,
                       run_dir=None)
    models = args.models or [args.model or resolve_default_model()]
    gpus_per_run = args.gpus_per_run or 0
    if gpus_per_run < 0:
        raise ValueError(f"--gpus-per-run must be 0 or more, got {gpus_per_run}")
    return Grid(agents=tuple(args.agents or [args.agent]), models=tuple(models),
                competitions=tuple(_competition_ids(args)),
                seeds=tuple(range(args.seed, args.seed + (args.seeds or 1))), template=template,
                split=args.split, gpus_per_run=gpus_per_run, max_attempts=args.max_attempts or 3)


def check_and_prepare(grid: Grid, console: Console) -> dict[str, dict[str, Any]]:
    """Every agent registered, every competition known and prepared (offline ones are prepared here,
    once, before any worker starts); returns the competitions' facts for group.json."""
    for agent in grid.agents:
        try:
            get_agent_class(agent)
        except (ValueError, ImportError) as exc:
            raise RunError(str(exc)) from None
    data_dir = Path(grid.template.data_dir) if grid.template.data_dir else default_data_dir()
    facts, problems = {}, []
    for cid in grid.competitions:
        try:
            comp: Competition = get_competition(cid)
            public_data(comp, data_dir)
        except (LookupError, RunError) as exc:
            problems.append(str(exc))
            continue
        facts[cid] = {"leaderboard_kind": leaderboard_kind(comp), "metric": comp.metric.name,
                      "lower_is_better": comp.metric.lower_is_better, "source": comp.source}
    if problems:
        raise RunError("some competitions cannot run:\n  " + "\n  ".join(problems))
    return facts


def shared_server_models(grid: Grid) -> list[str]:
    """Local main models that one shared server can serve: the runs must name no other model (the agent
    then uses the main one for every role) or the same one, and no --api-base must be given."""
    if grid.template.api_base:
        return []
    others = {m for role, m in grid.template.models if role != "main"}
    return [m for m in sorted(set(grid.models)) if is_local(m) and others <= {m}]


def start_local_servers(grid: Grid, console: Console) -> tuple[Grid, list[LocalServer]]:
    """One embedded-model server per local model, shared by every run (its URL becomes the runs' API base)."""
    servers = []
    for model in shared_server_models(grid):
        console.print(f"starting the embedded model {model} once for every run ...")
        servers.append((model, start_server(resolve_spec(model), n_ctx=default_n_ctx())))
    return replace(grid, api_bases=tuple((m, s.url) for m, s in servers)), [s for _, s in servers]


def make_executor(args: argparse.Namespace, grid: Grid, hw: Hardware) -> Executor:
    cpus = grid.template.limits.cpus
    if args.ray:
        return RayExecutor(args.ray, cpus, grid.gpus_per_run, workers=args.workers)
    workers = args.workers or default_workers(hw, cpus, grid.template.limits.memory_mb, grid.gpus_per_run)
    return LocalPool(workers, tuple(g.id for g in hw.gpus), grid.gpus_per_run)


def run_grid_command(args: argparse.Namespace, console: Console) -> int:
    grid = build_grid(args)
    group_dir = Path(args.out)
    check_group(grid, group_dir)
    facts = check_and_prepare(grid, console)
    hw = detect(args.gpu_ids)
    executor = make_executor(args, grid, hw)
    servers: list[LocalServer] = []
    try:
        write_group(grid, group_dir, facts, hw, executor.describe())
        if not args.ray or args.ray == "local":
            grid, servers = start_local_servers(grid, console)
        total = len(grid.coordinates())
        slots = executor.free_slots()
        console.print(f"grid: {len(grid.agents)} agent(s) x {len(grid.models)} model(s) x {len(grid.competitions)} "
                      f"competition(s) x {len(grid.seeds)} seed(s) = {total} runs in {group_dir} "
                      f"({executor.kind}, {slots} at once)", highlight=False, soft_wrap=True)
        with GridProgress(total, slots, console) as progress:
            result = run_grid(grid, group_dir, executor, progress)
    finally:
        executor.close()
        for server in servers:
            server.stop()
    failed = result.count(Status.FAILED)
    console.print(f"report: {sys.executable} -m bench report {group_dir}", highlight=False)
    return 1 if failed else 0
