"""Continuing an interrupted AIDE run: reading its journal (with one-line errors), restoring the time it
ran and what it spent, and the heartbeat that keeps the clock of a process that may be killed."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from scaffolds.aide.journal import JOURNAL_VERSION, Journal, Node
from scaffolds.core.rundir import RunDir, atomic_write_json

logger = logging.getLogger(__name__)

HEARTBEAT_FILE = "heartbeat.json"
PROGRESS_FILE = "progress.json"  # the attempt being worked on, saved before its script and its review


class ResumeError(ValueError):
    """A run directory cannot be started or continued; the one-line message says what to do."""


def open_journal(rd: RunDir, resume: bool | None) -> Journal:
    """The run's journal. `resume` True: it must exist; False: it must not (a new run never overwrites
    an old one); None: continue it when there is one."""
    if resume and not rd.root.is_dir():
        raise ResumeError(f"cannot resume {rd.root}: no such directory; check the path, or start a new run "
                          "without --resume")
    exists = rd.journal.exists()
    if resume and not exists:
        raise ResumeError(f"cannot resume {rd.root}: it holds no journal.json (the run saved nothing yet); "
                          "start a new run without --resume")
    if resume is False and exists:
        raise ResumeError(f"{rd.root} already holds an AIDE run; continue it with --resume, or choose a new "
                          "run directory")
    if not exists:
        return Journal()
    return _read_journal(rd)


def _read_journal(rd: RunDir) -> Journal:
    corrupt = (f"{rd.journal} is corrupt ({{}}); this run cannot be resumed: start a new run "
               f"(each node's code and output stay in {rd.nodes})")
    try:
        data = json.loads(rd.journal.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ResumeError(f"cannot read {rd.journal}: {exc.strerror}; check its permissions") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResumeError(corrupt.format(f"not valid JSON: {exc}".replace("\n", " "))) from None
    version = data.get("version") if isinstance(data, dict) else None
    if version != JOURNAL_VERSION:
        raise ResumeError(f"{rd.journal} has journal format {version!r} but this mle-suite reads format "
                          f"{JOURNAL_VERSION}; resume it with the mle-suite version that wrote it, or start a new run")
    try:
        return Journal.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ResumeError(corrupt.format(f"{type(exc).__name__}: {exc}")) from None


def save_progress(root: Path, node: Node, elapsed_s: float) -> None:
    """Save the attempt in progress (its code, LLM spending and, once run, its result)."""
    atomic_write_json(Path(root) / PROGRESS_FILE, {"elapsed_s": elapsed_s, "node": node.to_dict()}, durable=False)


def _unfinished(journal: Journal, root: Path) -> Node | None:
    """The attempt a dead process was working on: in the journal, or in progress.json when the journal
    does not know that node yet."""
    node, journal.in_progress = journal.in_progress, None
    if node is not None:
        return node
    try:
        data = json.loads((Path(root) / PROGRESS_FILE).read_text())
        saved = Node.from_dict(data["node"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    known = {n.id for n in (*journal.nodes, *journal.abandoned)}
    if saved.id in known:
        return None
    journal.elapsed_s = max(journal.elapsed_s, float(data.get("elapsed_s") or 0.0))
    return saved


def recover(journal: Journal, root: Path) -> Node | None:
    """Undo what a dead process left half-done: its clock runs on from the last heartbeat, and its
    attempt in progress is kept (as an unreviewed node when its script had run, else as abandoned
    with its cost). Returns the node that became unreviewed, if any."""
    journal.elapsed_s = max(journal.elapsed_s, _heartbeat_elapsed(root / HEARTBEAT_FILE))
    node = _unfinished(journal, root)
    if node is None:
        return None
    if node.phase == "reviewing":
        node.reviewed, node.is_buggy = False, True
        node.bug_reasons = ["not reviewed yet: the process stopped during the review"]
        journal.nodes.append(node)
        return node
    journal.abandon(node, f"the process stopped while {node.phase or 'working on it'}")
    return None


def _heartbeat_elapsed(path: Path) -> float:
    try:
        return float(json.loads(path.read_text())["elapsed_s"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def carry_over_spending(journal: Journal, llms: Iterable[Any]) -> None:
    """Count what earlier sessions spent in the budget shared by `llms` (each budget once)."""
    totals = journal.totals()
    seen: set[int] = set()
    for llm in llms:
        budget = getattr(llm, "budget", None)
        if budget is None or id(budget) in seen:
            continue
        seen.add(id(budget))
        budget.carry_over(totals.cost_usd, totals.tokens, totals.calls)


def saved_settings(run_dir: Path) -> dict[str, Any]:
    """What a run saved to be continued (models, API base, preset, overrides, limits, seed); a front end
    may fill in flags the user did not repeat on --resume."""
    return dict(open_journal(RunDir(Path(run_dir)), resume=True).settings)


class Heartbeat:
    """Writes the run's elapsed time every `interval_s` seconds, so a run killed in the middle of a long
    script loses at most that much of its clock when it is resumed."""

    def __init__(self, root: Path, elapsed: Callable[[], float], interval_s: float) -> None:
        self.path, self.elapsed, self.interval_s = Path(root) / HEARTBEAT_FILE, elapsed, interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        self._thread = threading.Thread(target=self._beat, name="aide-heartbeat", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _beat(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                atomic_write_json(self.path, {"elapsed_s": self.elapsed(), "pid": os.getpid(), "at": time.time()},
                                  durable=False)
            except OSError as exc:  # a full disk must not kill the run; the journal saves still count
                logger.warning("could not write the heartbeat %s: %s", self.path, exc)
