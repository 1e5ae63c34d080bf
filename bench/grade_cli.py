"""`python -m bench grade` and `python -m bench grade-run`: plugged into bench's CLI."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime
from pathlib import Path

from bench.paths import NotPrepared, default_data_dir, prepare_command

logger = logging.getLogger(__name__)


def add_grade_commands(subparsers: "argparse._SubParsersAction") -> None:
    """Register `grade` and `grade-run`; each sets `func(args) -> int` (exit status)."""
    grade = subparsers.add_parser("grade", help="grade one submission CSV of a competition")
    grade.add_argument("-c", "--competition", required=True, help="competition id")
    grade.add_argument("--submission", required=True, type=Path, help="submission CSV")
    grade.add_argument("--data-dir", type=Path, default=None, help="prepared data (default: MLE-bench's)")
    grade.add_argument("--json", action="store_true", help="print only the JSON report")
    grade.set_defaults(func=run_grade)

    run = subparsers.add_parser("grade-run", help="grade a run file (JSONL of competition_id, submission_path)")
    run.add_argument("run_file", type=Path, help="JSONL, one {competition_id, submission_path} per line")
    run.add_argument("--output-dir", type=Path, default=Path("."), help="where the grading report is written")
    run.add_argument("--data-dir", type=Path, default=None, help="prepared data (default: MLE-bench's)")
    run.set_defaults(func=run_grade_run)


def _data_dir(given: Path | None) -> Path:
    return given if given is not None else default_data_dir()


def _competition(competition_id: str):
    from bench.registry import get_competition

    return get_competition(competition_id)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run_grade(args: argparse.Namespace) -> int:
    from bench.grade import grade_submission
    from bench.report import format_competition_report, to_json
    from bench.validate import answers_path

    try:
        comp = _competition(args.competition)
    except LookupError as exc:
        return _fail(str(exc))
    data_dir = _data_dir(args.data_dir)
    if not answers_path(comp, data_dir).is_file():
        return _fail(f"{comp.id} is not prepared in {data_dir}; run `{prepare_command(comp, data_dir)}`")
    report = grade_submission(comp, args.submission, data_dir)
    if not args.json:
        print(format_competition_report(report))
        print()
    print(to_json(report.to_dict()))
    return 0


def run_grade_run(args: argparse.Namespace) -> int:
    from bench.grade import grade_jsonl
    from bench.report import format_run_report, to_json

    if not args.run_file.is_file():
        return _fail(f"no run file at {args.run_file}")
    try:
        run = grade_jsonl(args.run_file, _data_dir(args.data_dir))
    except (ValueError, LookupError, FileNotFoundError, NotPrepared) as exc:
        return _fail(str(exc))
    args.output_dir.mkdir(parents=True, exist_ok=True)
    out = args.output_dir / f"{datetime.now().strftime('%Y-%m-%dT%H-%M-%S-%Z')}_grading_report.json"
    out.write_text(to_json(run.to_dict()), encoding="utf-8")
    print(format_run_report(run))
    print(f"\nwrote {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m bench.grade_cli grade ...`), same commands as `python -m bench`."""
    parser = argparse.ArgumentParser(prog="python -m bench.grade_cli")
    add_grade_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
