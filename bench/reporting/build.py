"""Assemble a report over one or more groups: numbers, tables, figures, disclosure, MLE-bench files.

The report is a list of blocks (headings, paragraphs, tables, images) rendered to markdown or HTML by
`bench.reporting.render`; `report_json` gives the same numbers as data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bench.grade import CompetitionReport, RunReport
from bench.group import slug
from bench.reporting import figures
from bench.reporting.load import LADDER, GroupData, RunRow, load_group
from bench.reporting.summary import Summary, summaries
from bench.reporting.timeline import Point, medals_over_time, run_timeline

UNFINISHED_NOTE = ("Runs that did not finish count as failed attempts (no submission, no medal) in every rate, as "
                   "MLE-bench pads a competition missing from a seed.")


@dataclass
class Block:
    kind: str  # "h1", "h2", "h3", "p", "table", "img", "list"
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass
class Report:
    groups: list[GroupData]
    summaries: list[Summary]
    timelines: dict[Path, list[Point]]
    out_dir: Path
    generated_at: str
    figures: list[Path] = field(default_factory=list)
    mlebench_files: list[Path] = field(default_factory=list)

    @property
    def many(self) -> bool:
        return len(self.groups) > 1


def build_report(group_dirs: list[Path], out_dir: Path) -> Report:
    groups = [load_group(d) for d in group_dirs]
    out_dir.mkdir(parents=True, exist_ok=True)
    timelines = {r.dir: run_timeline(r) for g in groups for r in g.rows}
    report = Report(groups, [s for g in groups for s in summaries(g)], {k: v for k, v in timelines.items() if v},
                    out_dir, datetime.now(timezone.utc).isoformat(timespec="seconds"))
    report.figures = make_figures(report)
    report.mlebench_files = write_mlebench_files(report)
    return report


def make_figures(report: Report) -> list[Path]:
    fig_dir = report.out_dir / "figures"
    fig_dir.mkdir(exist_ok=True)
    paths = figures.any_medal(report.summaries, fig_dir, report.many)
    paths += figures.pass_at_k(report.summaries, fig_dir, report.many)
    paths += figures.cost_vs_medals(report.summaries, fig_dir, report.many)
    if report.timelines:
        paths += figures.score_over_time(report.groups, report.timelines, fig_dir)
        series = {}
        for g in report.groups:
            for kind in g.kinds():
                for agent, model in g.pairs():
                    label = (f"{g.name}: " if report.many else "") + f"{agent}/{model}" + \
                        (" (reference ladder)" if kind == LADDER else "")
                    series[label] = medals_over_time(g, agent, model, kind, report.timelines)
        paths += figures.medals_over_time(series, fig_dir)
    return paths


# ---- MLE-bench's files --------------------------------------------------------------------------------
def _competition_report(row: RunRow) -> CompetitionReport:
    if row.finished and row.grade:
        return CompetitionReport.from_dict(row.grade)
    # A run with no grade is a failing report, as MLE-bench's --pad-missing writes one.
    return CompetitionReport(row.competition, None, None, None, None, None, False, False, False, False, False,
                             False, False, False, datetime.now().isoformat(), "", f"not graded: {row.failure}")


def write_mlebench_files(report: Report) -> list[Path]:
    """Per group and agent x model: MLE-bench's grading report and its submission JSONL."""
    written = []
    for g in report.groups:
        prefix = f"{slug(g.name)}__" if report.many else ""
        for agent, model in g.pairs():
            rows = g.select(agent, model)
            name = f"{prefix}{slug(agent)}__{slug(model)}"
            grading = report.out_dir / f"grading_report_{name}.json"
            grading.write_text(json.dumps(RunReport([_competition_report(r) for r in rows]).to_dict(), indent=2,
                                          default=str))
            jsonl = report.out_dir / f"submission_{name}.jsonl"
            lines = [json.dumps({"competition_id": r.competition,
                                 "submission_path": str((r.dir / "submission" / "submission.csv").resolve())})
                     for r in rows if r.finished]
            jsonl.write_text("".join(line + "\n" for line in lines))
            written += [grading, jsonl]
    return written


# ---- JSON ----------------------------------------------------------------------------------------------
def report_json(report: Report) -> dict[str, Any]:
    groups = []
    for g in report.groups:
        runs = [{"dir": r.dir.name, "agent": r.agent, "model": r.model, "competition": r.competition, "seed": r.seed,
                 "leaderboard_kind": r.leaderboard_kind, "state": r.state, "score": r.score, "medal": r.medal,
                 "above_median": r.flag("above_median"), "valid_submission": r.flag("valid_submission"),
                 "cost_usd": r.number("cost_usd"), "tokens": int(r.number("tokens")),
                 "wall_time_s": r.number("wall_time_s"), "failure": r.failure,
                 "score_over_time": [p.__dict__ for p in report.timelines.get(r.dir, [])]} for r in g.rows]
        groups.append({"name": g.name, "dir": str(g.dir), "disclosure": disclosure(g),
                       "summaries": [s.to_dict() for s in report.summaries if s.group == g.name], "runs": runs})
    return {"generated_at": report.generated_at, "note": UNFINISHED_NOTE, "groups": groups,
            "figures": [str(p) for p in report.figures], "mlebench_files": [str(p) for p in report.mlebench_files]}


# ---- disclosure -----------------------------------------------------------------------------------------
def _hours(seconds: float | None) -> str:
    if not seconds:
        return "none"
    return f"{seconds / 3600:g} h" if seconds >= 3600 else f"{seconds:g} s"


def _hardware_line(hw: dict[str, Any]) -> str:
    gpus = hw.get("gpus") or []
    names = ", ".join(f"{g.get('id')}: {g.get('name') or 'GPU'}" for g in gpus) or "none"
    return f"{hw.get('hostname')}: {hw.get('cpus')} CPUs, {hw.get('memory_mb', 0) / 1024:.0f} GiB RAM, GPUs: {names}"


def disclosure(g: GroupData) -> dict[str, Any]:
    """The facts MLE-bench asks a leaderboard submission to state, from what the runner recorded."""
    run = g.grid.get("run", {})
    limits = run.get("limits") or {}
    records = [r.record for r in g.rows if r.record]
    backends = sorted({r.get("sandbox_backend") for r in records if r.get("sandbox_backend")})
    isolated = [b for b in backends if b != "local"]
    internet = "never: agent code ran in a sandbox without network" + (f" ({', '.join(isolated)})" if isolated else "")
    if "local" in backends:
        internet = "NOT BLOCKED for some runs: the 'local' sandbox backend has no network isolation"
    invocations = g.meta.get("invocations", [])
    return {
        "agents": g.grid["agents"], "models": g.grid["models"],
        "other_models": {k: v for k, v in (run.get("models") or {}).items()},
        "competitions": f"{len(g.grid['competitions'])}" + (f" (split {g.grid['split']})" if g.grid.get("split") else ""),
        "seeds": g.grid["seeds"],
        "hardware": sorted({_hardware_line(i.get("hardware", {})) for i in invocations}),
        "executors": sorted({json.dumps({k: v for k, v in i.get("executor", {}).items() if k != "cluster_resources"})
                             for i in invocations}),
        "per_run": {"cpus": limits.get("cpus") or "no limit", "gpus": g.grid.get("gpus_per_run", 0),
                    "memory_mb": limits.get("memory_mb") or "sandbox default"},
        "time_limit": _hours(limits.get("wall_time_s")), "max_steps": limits.get("max_steps") or "none",
        "max_cost_usd": limits.get("max_cost_usd") or "none",
        "internet_for_agent_code": internet, "sandbox_backends": backends,
        "test_set_signals": "none: agents get a format-only validator; grading happens on the host after each run",
        "descriptions": "obfuscated" if run.get("obfuscated") else "plain",
        "created_at": g.meta.get("created_at"), "last_invocation": invocations[-1]["started_at"] if invocations else "",
        "code_version": g.meta.get("code_version"),
        "code_versions_of_runs": sorted({r.get("code_version", "") for r in records} - {""}),
    }
