"""Readable tables and JSON for grading reports (used by the grade CLI)."""

from __future__ import annotations

import json
from typing import Any

from bench.grade import REFERENCE_LADDER, CompetitionReport, RunReport


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _medal(report: CompetitionReport) -> str:
    ladder = " (reference ladder)" if report.leaderboard_kind == REFERENCE_LADDER else ""
    for name in ("gold", "silver", "bronze"):
        if getattr(report, f"{name}_medal"):
            return name + ladder
    return "none"


def format_competition_report(report: CompetitionReport) -> str:
    """Two-column table of one report, then its message and warnings."""
    direction = "lower is better" if report.is_lower_better else "higher is better"
    rows = [
        ("competition", report.competition_id),
        ("submission", report.submission_path),
        ("submission exists", _fmt(report.submission_exists)),
        ("valid", _fmt(report.valid_submission)),
        ("score", f"{_fmt(report.score)} ({direction})"),
        ("medal", _medal(report)),
        ("above median", _fmt(report.above_median)),
        ("gold threshold", _fmt(report.gold_threshold)),
        ("silver threshold", _fmt(report.silver_threshold)),
        ("bronze threshold", _fmt(report.bronze_threshold)),
        ("median threshold", _fmt(report.median_threshold)),
    ]
    width = max(len(k) for k, _ in rows)
    lines = [f"{k.ljust(width)}  {v}" for k, v in rows]
    if report.message:
        lines.append(f"{'message'.ljust(width)}  {report.message}")
    lines += [f"{'warning'.ljust(width)}  {w}" for w in report.warnings]
    return "\n".join(lines)


def format_run_report(run: RunReport) -> str:
    """One line per competition, then the totals."""
    data = run.to_dict()
    header = ("competition", "score", "valid", "medal", "above median")
    rows = [(r.competition_id, _fmt(r.score), _fmt(r.valid_submission), _medal(r), _fmt(r.above_median))
            for r in run.competition_reports]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(row, widths)) for row in (header, *rows)]
    totals = {k: v for k, v in data.items() if k.startswith("total_")}
    lines.append("")
    lines += [f"{k}: {v}" for k, v in totals.items()]
    if "reference_ladder" in data:  # offline split: medals against reference ladders, counted apart
        lines += ["", "against reference ladders (offline split, not Kaggle medals):"]
        lines += [f"{k}: {v}" for k, v in data["reference_ladder"].items()]
    return "\n".join(lines)


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, default=str)
