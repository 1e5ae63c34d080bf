"""Live progress of a grid: runs done / running / failed, medals so far, spend, ETA.

On a terminal it is a rich live panel; otherwise (a log file, CI) one plain line per event.
Medals against reference ladders (offline split) are counted apart from Kaggle medals.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from bench.grid import Status
from bench.group import read_record
from bench.runner import RunSpec

MEDALS = ("gold", "silver", "bronze")


def _medal(record: dict[str, Any] | None) -> str:
    grade = (record or {}).get("grade") or {}
    return next((m for m in MEDALS if grade.get(f"{m}_medal")), "")


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def _label(spec: RunSpec) -> str:
    return f"{spec.agent}/{spec.model_map.get('main', '?')} on {spec.competition} seed {spec.seed}"


@dataclass
class _Tally:
    total: int
    slots: int
    done: int = 0
    failed: int = 0
    medals_kaggle: int = 0
    medals_ladder: int = 0
    spend_usd: float = 0.0
    durations: list[float] = field(default_factory=list)  # wall time of runs finished in this invocation
    running: dict[str, tuple[RunSpec, float]] = field(default_factory=dict)

    def add_record(self, record: dict[str, Any] | None) -> None:
        if record is None:
            return
        self.spend_usd += record.get("cost_usd") or 0.0
        if _medal(record):
            if record.get("leaderboard_kind") == "reference-ladder":
                self.medals_ladder += 1
            else:
                self.medals_kaggle += 1

    def eta_s(self) -> float | None:
        left = self.total - self.done - self.failed
        if not self.durations or left <= 0:
            return None if left > 0 else 0.0
        mean = sum(self.durations) / len(self.durations)
        return mean * left / max(1, min(self.slots, left))

    def summary(self) -> str:
        eta = self.eta_s()
        medals = f"medals {self.medals_kaggle} (Kaggle)"
        if self.medals_ladder:
            medals += f", {self.medals_ladder} (reference ladder)"
        return (f"{self.done}/{self.total} done, {len(self.running)} running, {self.failed} failed | {medals} | "
                f"${self.spend_usd:.4f} | ETA {'?' if eta is None else _duration(eta)}")


class GridProgress:
    """Implements `bench.grid.Progress`; use as a context manager around `run_grid`."""

    def __init__(self, total: int, slots: int, console: Console | None = None, live: bool | None = None) -> None:
        self.console = console or Console()
        self.tally = _Tally(total, slots)
        self.live = self.console.is_terminal if live is None else live
        self._events: list[str] = []
        self._live: Live | None = None

    def __enter__(self) -> GridProgress:
        if self.live:
            self._live = Live(self._render(), console=self.console, refresh_per_second=2, transient=False,
                              get_renderable=self._render)
            self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.__exit__(None, None, None)
            self._live = None
        self.console.print(f"grid: {self.tally.summary()}", highlight=False, soft_wrap=True)

    # ---- bench.grid.Progress -----------------------------------------------------------------------
    def initial(self, spec: RunSpec, status: Status) -> None:
        if status == Status.DONE:
            self.tally.done += 1
            self.tally.add_record(read_record(Path(spec.run_dir or "")))
        elif status == Status.FAILED:
            self.tally.failed += 1

    def started(self, spec: RunSpec) -> None:
        self.tally.running[spec.run_dir or ""] = (spec, time.monotonic())
        self._event(f"started {_label(spec)}" + (" (resuming)" if Path(spec.run_dir or "", "spec.json").is_file()
                                                   else ""))

    def ended(self, spec: RunSpec, status: Status) -> None:
        _, began = self.tally.running.pop(spec.run_dir or "", (spec, time.monotonic()))
        record = read_record(Path(spec.run_dir or ""))
        if status == Status.DONE:
            self.tally.done += 1
            self.tally.durations.append(time.monotonic() - began)
            self.tally.add_record(record)
            grade = (record or {}).get("grade") or {}
            score = grade.get("score")
            what = f"score {score:.5g}" if isinstance(score, (int, float)) else "no valid submission"
            medal = _medal(record)
            self._event(f"finished {_label(spec)}: {what}" + (f", {medal}" if medal else "")
                        + f" ({(record or {}).get('reason', '?')})")
        else:
            if status == Status.FAILED:
                self.tally.failed += 1
                self.tally.add_record(record)
            why = (record or {}).get("message") or "the worker ended without a record (see worker.log)"
            self._event(f"{'FAILED' if status == Status.FAILED else 'crashed, will retry'} {_label(spec)}: {why}")

    def note(self, text: str) -> None:
        self._event(text)

    # ---- output ------------------------------------------------------------------------------------
    def _event(self, text: str) -> None:
        if self._live is None:
            self.console.print(f"[{self.tally.summary()}] {text}", highlight=False, soft_wrap=True)
        else:
            self._events = (self._events + [text])[-6:]

    def _render(self) -> Group:
        table = Table(show_header=True, header_style="bold", box=None)
        table.add_column("running")
        table.add_column("for", justify="right")
        now = time.monotonic()
        for spec, began in self.tally.running.values():
            table.add_row(_label(spec), _duration(now - began))
        lines = [Text(self.tally.summary(), style="bold"), table]
        lines += [Text(e, style="dim") for e in self._events]
        return Group(*lines)
