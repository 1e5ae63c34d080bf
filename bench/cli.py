"""Command line: `python -m bench list|prepare|ladder` (+ `grade`, `grade-run` from bench.grade_cli)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from bench.grade_cli import add_grade_commands
from bench.grid_cli import add_grid_arguments, cmd_run_or_grid
from bench.reporting.cli import add_report_command
from bench.run_cli import add_run_arguments

logger = logging.getLogger(__name__)


def _user_errors() -> tuple[type[BaseException], ...]:
    from bench.archives import ArchiveError
    from bench.data import NotPrepared, PrepareError
    from bench.kaggle import KaggleError
    from bench.ladder import NoLadder
    from bench.leaderboards import LeaderboardError
    from bench.offline.wheels import WheelFetchError
    from bench.registry import UnknownCompetition, UnknownSplit

    return (ArchiveError, NotPrepared, PrepareError, KaggleError, NoLadder, LeaderboardError, WheelFetchError,
            UnknownCompetition, UnknownSplit)


def _human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def cmd_list(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from bench.data import competition_paths, dir_size, is_prepared
    from bench.registry import all_known_ids, get_competition, has_entry, split_ids

    ids = split_ids(args.split) if args.split else all_known_ids()
    table = Table(title=f"split: {args.split}" if args.split else "all competitions", title_justify="left")
    for column in ("id", "kind", "metric", "status"):
        table.add_column(column, overflow="fold")
    for cid in ids:
        if not has_entry(cid):
            table.add_row(cid, "", "", "[dim]no entry yet[/]")
            continue
        comp = get_competition(cid)
        direction = "lower is better" if comp.metric.lower_is_better else "higher is better"
        if is_prepared(comp, args.data_dir):
            paths = competition_paths(comp, args.data_dir)
            board = "leaderboard" if paths.leaderboard.is_file() else "no leaderboard"
            status = f"[green]prepared[/] ({_human_size(dir_size(paths.prepared))}, {board})"
        else:
            status = "not prepared"
        table.add_row(cid, comp.category, f"{comp.metric.name} ({direction})", status)
    # Piped output keeps one line per competition, so it stays greppable.
    Console(width=None if sys.stdout.isatty() else 160).print(table)
    return 0


def _ids_from_file(path: Path) -> list[str]:
    """Competition ids, one a line (blank lines and `#` comments skipped), as MLE-bench's `-l`."""
    if not path.is_file():
        raise SystemExit(f"error: no list file at {path}")
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def _targets(args: argparse.Namespace) -> list:
    from bench.registry import get_competition, has_entry, split_ids

    if args.competition:
        return [get_competition(args.competition)]
    if args.list:
        return [get_competition(cid) for cid in _ids_from_file(args.list)]
    comps = []
    for cid in split_ids(args.split):
        if has_entry(cid):
            comps.append(get_competition(cid))
        else:
            print(f"skipping {cid}: no entry yet", file=sys.stderr)
    return comps


def cmd_prepare(args: argparse.Namespace) -> int:
    from bench.data import PrepareOptions, prepare_with

    if (args.archive or args.raw_dir) and not args.competition:
        raise SystemExit("error: --archive and --raw-dir need a single competition (-c ID)")
    options = PrepareOptions(archive=args.archive, raw_dir=args.raw_dir, keep_raw=args.keep_raw,
                             leaderboard_from=args.leaderboard_from, overwrite_leaderboard=args.overwrite_leaderboard,
                             skip_verification=args.skip_verification, force=args.force,
                             build_ladder=not args.no_ladder)
    failures = 0
    for comp in _targets(args):
        start = time.perf_counter()
        try:
            paths = prepare_with(comp, args.data_dir, options)
        except _user_errors() as exc:
            failures += 1
            print(f"error: {comp.id}: {exc}", file=sys.stderr)
            continue
        print(f"{comp.id}: prepared in {paths.prepared} ({time.perf_counter() - start:.1f} s)")
    return 1 if failures else 0


def cmd_ladder(args: argparse.Namespace) -> int:
    from bench.data import prepare
    from bench.ladder import ladder_for, run_ladder

    for comp in _targets(args):
        ladder_for(comp)  # NoLadder for a Kaggle competition, before any download
        prepare(comp, args.data_dir, build_ladder=False)
        result = run_ladder(comp, args.data_dir, rebuild=args.rebuild)
        direction = "lower" if result.lower_is_better else "higher"
        print(f"reference ladder for {comp.id} ({result.metric}, {direction} is better, {len(result.rows)} solutions):")
        for row in result.sorted_rows():
            print(f"  {row.score:10.5f}  {row.team_name}  ({row.seconds:.1f} s)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Competitions: list, prepare, grade.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="competitions and whether their data is prepared")
    p.add_argument("--split", help="only this split (low/lite, medium, high, split75, dev, offline, ...)")
    p.add_argument("--data-dir", type=Path, default=None)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("prepare", help="download and prepare competition data")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("-c", "--competition", help="competition id")
    which.add_argument("--split", help="every competition of a split (lite, dev, low, medium, high, all, ...)")
    which.add_argument("-l", "--list", type=Path, help="a file of competition ids, one a line")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--archive", type=Path, help="a hand-downloaded competition archive (only read)")
    source.add_argument("--raw-dir", type=Path, help="a folder of already extracted raw files (only read)")
    p.add_argument("--data-dir", type=Path, default=None)
    p.add_argument("--keep-raw", action="store_true", help="keep the downloaded archive and raw files")
    p.add_argument("--leaderboard-from", type=Path, help="leaderboard CSV, MLE-bench checkout or data dir")
    p.add_argument("--force", action="store_true", help="prepare again even if already prepared")
    p.add_argument("--overwrite-leaderboard", action="store_true", help="download the leaderboard again")
    p.add_argument("--skip-verification", action="store_true",
                   help="do not check the archive and prepared files against MLE-bench's checksums")
    p.add_argument("--no-ladder", action="store_true", help="offline split: skip the reference ladder")
    p.set_defaults(func=cmd_prepare)

    p = sub.add_parser("ladder", help="offline split: install (or --rebuild) the reference ladder leaderboard")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("-c", "--competition", help="competition id")
    which.add_argument("--split", help="every competition of a split")
    p.add_argument("--data-dir", type=Path, default=None)
    p.add_argument("--rebuild", action="store_true",
                   help="train every reference solution again and rewrite the committed leaderboard")
    p.set_defaults(func=cmd_ladder)

    add_grade_commands(sub)

    p = sub.add_parser("run", help="run one agent on one competition (or a grid of runs), grade, write record.json")
    add_run_arguments(p, agent_flag=True)
    add_grid_arguments(p)
    p.set_defaults(func=cmd_run_or_grid)

    add_report_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.func is cmd_prepare:  # a large preparation logs a line every few thousand files: show it
        logging.getLogger("bench.copying").setLevel(logging.INFO)
        logging.getLogger("bench.competitions").setLevel(logging.INFO)
        logging.getLogger("bench.preparers").setLevel(logging.INFO)
    try:
        return int(args.func(args) or 0)
    except _user_errors() as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except KeyboardInterrupt:
        print("interrupted; nothing half-prepared was kept", file=sys.stderr)
        return 130
