"""A run group as the report sees it: `group.json` plus each run's `record.json` and attempt log.

Only those files are read (the contract of `bench.group` and `bench/record.schema.json`), never the
runner's internals. A run counts as finished only when its record says so; anything else (failed,
interrupted, not started, still running) counts as a failed attempt in every rate, as MLE-bench pads
a missing competition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.group import PREVIOUS_DIR, read_attempts, read_group, read_record

MEDALS = ("gold", "silver", "bronze")
LADDER = "reference-ladder"
KAGGLE = "kaggle"


@dataclass
class RunRow:
    """One planned run of a group and what it left."""

    group: str
    dir: Path
    agent: str
    model: str
    competition: str
    seed: int
    leaderboard_kind: str
    record: dict[str, Any] | None
    attempts: list[dict[str, Any]] = field(default_factory=list)
    previous: list[dict[str, Any]] = field(default_factory=list)  # records of earlier unfinished attempts

    @property
    def finished(self) -> bool:
        return self.record is not None and self.record.get("status") == "finished"

    @property
    def state(self) -> str:
        """finished, failed (its last attempt crashed), or not finished (never ran, interrupted, running)."""
        if self.finished:
            return "finished"
        if self.attempts and self.attempts[-1].get("outcome") == "crashed":
            return "failed"
        return "not finished"

    @property
    def grade(self) -> dict[str, Any]:
        """The grade of a finished run; empty otherwise (every flag then reads False)."""
        return (self.record or {}).get("grade") or {} if self.finished else {}

    def flag(self, name: str) -> bool:
        return bool(self.grade.get(name))

    @property
    def medal(self) -> str:
        return next((m for m in MEDALS if self.flag(f"{m}_medal")), "")

    @property
    def score(self) -> float | None:
        return self.grade.get("score")

    def number(self, key: str) -> float:
        """cost_usd, tokens or wall_time_s summed over every session that left a record (a resumed run's
        record counts only its last session; crashed attempts cost too). Sessions killed before writing
        a record are not counted."""
        return float(sum((r or {}).get(key) or 0 for r in [self.record, *self.previous]))

    @property
    def failure(self) -> str:
        if self.finished:
            return ""
        if self.record is not None and self.record.get("message"):
            return f"{self.record.get('reason')}: {self.record['message']}"
        if self.attempts:
            last = self.attempts[-1]
            return f"{last.get('reason')}: {last.get('message')}"
        return "not run yet"


@dataclass
class GroupData:
    dir: Path
    meta: dict[str, Any]
    rows: list[RunRow]

    @property
    def name(self) -> str:
        return self.dir.name

    @property
    def grid(self) -> dict[str, Any]:
        return self.meta["grid"]

    def pairs(self) -> list[tuple[str, str]]:
        """(agent, model) in grid order."""
        return [(a, m) for a in self.grid["agents"] for m in self.grid["models"]]

    def kinds(self) -> list[str]:
        """Leaderboard kinds present, Kaggle first."""
        present = {r.leaderboard_kind for r in self.rows}
        return [k for k in (KAGGLE, LADDER) if k in present] + sorted(present - {KAGGLE, LADDER})

    def competitions(self, kind: str) -> list[str]:
        return [c for c in self.grid["competitions"]
                if self.meta["competitions"].get(c, {}).get("leaderboard_kind", KAGGLE) == kind]

    def select(self, agent: str, model: str, kind: str | None = None) -> list[RunRow]:
        return [r for r in self.rows
                if r.agent == agent and r.model == model and (kind is None or r.leaderboard_kind == kind)]


def load_group(group_dir: Path) -> GroupData:
    """Read a group directory; GroupError (from bench.group) when it is not one."""
    group_dir = Path(group_dir)
    meta = read_group(group_dir)
    facts = meta.get("competitions", {})
    rows = []
    for run in meta["runs"]:
        run_dir = group_dir / run["dir"]
        record = read_record(run_dir)
        kind = (record or {}).get("leaderboard_kind") or facts.get(run["competition"], {}).get("leaderboard_kind") \
            or KAGGLE
        previous = [read_record(p.parent, p.name) for p in sorted((run_dir / PREVIOUS_DIR).glob("record.*.json"))]
        rows.append(RunRow(group_dir.name, run_dir, run["agent"], run["model"], run["competition"], int(run["seed"]),
                           kind, record, read_attempts(run_dir), [p for p in previous if p]))
    return GroupData(group_dir, meta, rows)
