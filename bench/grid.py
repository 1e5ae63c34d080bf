"""A grid of runs: every (agent, model, competition, seed) as one `run_one` episode, resumable at any point.

`run_grid(grid, group_dir, executor)` expands the grid into specs with fixed run directories
(`bench.group.run_name`), writes `group.json`, and runs whatever is not finished yet:
- a run whose `record.json` says finished is skipped: never run or graded again;
- a run that was interrupted (Ctrl-C, or its runner killed: its worker then writes an "interrupted"
  record, or none at all if it was killed too) resumes in place from its own journal/trajectory;
- a run that crashed (a harness error, a worker that died) is retried, resuming in place, until it has
  crashed `max_attempts` times; then it stays failed, with each attempt's reason in `attempts.jsonl`.
All state lives in the run directories, written atomically, so running the same command again after
a kill -9 at any moment continues the group and loses no finished result.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from bench.executors import Ended, Executor
from bench.group import (GROUP_FILE, GROUP_SCHEMA_VERSION, PREVIOUS_DIR, RECORD_FILE, GroupError, append_attempt,
                         read_attempts, read_group, read_record, run_name)
from bench.hardware import Hardware
from bench.runner import RunSpec, code_version
from scaffolds.core.rundir import atomic_write_json

# Per-run, or where things are rather than what is run: a rerun may change these.
_PER_RUN_FIELDS = ("agent", "competition", "seed", "out_dir", "run_dir", "resume", "api_base", "data_dir")


class Status(str, Enum):
    TODO = "todo"  # never started
    RESUME = "resume"  # interrupted: continue in place (does not count as a crash)
    RETRY = "retry"  # crashed fewer than max_attempts times: try again, in place
    DONE = "done"  # record.json says finished (graded)
    FAILED = "failed"  # crashed max_attempts times


@dataclass(frozen=True)
class Grid:
    """What to run. `template` holds the settings every run shares; agent, competition, seed and the
    main model are filled in per run."""

    agents: tuple[str, ...]
    models: tuple[str, ...]
    competitions: tuple[str, ...]
    seeds: tuple[int, ...]
    template: RunSpec
    split: str | None = None
    gpus_per_run: int = 0
    max_attempts: int = 3
    api_bases: tuple[tuple[str, str], ...] = ()  # model -> URL of a server shared by the runs (not settings)

    def __post_init__(self) -> None:
        for name in ("agents", "models", "competitions", "seeds"):
            values = getattr(self, name)
            if not values:
                raise ValueError(f"a grid needs at least one of {name}")
            if len(set(values)) != len(values):
                raise ValueError(f"{name} repeat a value: {', '.join(map(str, values))}")
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")

    def coordinates(self) -> list[tuple[str, str, str, int]]:
        """(agent, model, competition, seed), seed by seed, so complete seeds finish first."""
        return [(a, m, c, s) for s in self.seeds for c in self.competitions for a in self.agents for m in self.models]

    def spec(self, group_dir: Path, agent: str, model: str, competition: str, seed: int) -> RunSpec:
        models = dict(self.template.models, main=model)
        api_base = dict(self.api_bases).get(model, self.template.api_base)
        return replace(self.template, agent=agent, competition=competition, seed=seed, api_base=api_base,
                       models=tuple(sorted(models.items())), out_dir=str(group_dir),
                       run_dir=str(Path(group_dir) / run_name(agent, model, competition, seed)), resume=False)

    def specs(self, group_dir: Path) -> list[RunSpec]:
        return [self.spec(group_dir, *xs) for xs in self.coordinates()]

    def settings(self) -> dict[str, Any]:
        """What identifies the grid: a rerun with other settings in the same group directory is refused."""
        shared = {k: v for k, v in self.template.to_dict().items() if k not in _PER_RUN_FIELDS}
        shared["models"] = {k: v for k, v in shared["models"].items() if k != "main"}
        shared["limits"] = {k: v for k, v in shared["limits"].items() if k != "gpus"}
        return {"agents": list(self.agents), "models": list(self.models), "competitions": list(self.competitions),
                "seeds": list(self.seeds), "split": self.split, "gpus_per_run": self.gpus_per_run,
                "max_attempts": self.max_attempts, "run": shared}


# ---- group.json --------------------------------------------------------------------------------------
def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _differences(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            out += _differences(a, b, f"{prefix}{key}.")
        elif a != b:
            out.append(f"{prefix}{key}: {a!r} -> {b!r}")
    return out


def check_group(grid: Grid, group_dir: Path) -> dict[str, Any] | None:
    """The existing `group.json` when it holds this grid, None when there is none; GroupError when it
    holds another grid (checked before anything expensive starts)."""
    if not (Path(group_dir) / GROUP_FILE).is_file():
        return None
    data = read_group(group_dir)
    diff = _differences(data["grid"], grid.settings())
    if diff:
        raise GroupError(f"{group_dir} holds a group made with other settings ({'; '.join(diff)}); run the "
                         "same command as before to continue it, or pass another --out for a new group")
    return data


def write_group(grid: Grid, group_dir: Path, competitions: dict[str, dict[str, Any]], hardware: Hardware,
                executor: dict[str, Any]) -> dict[str, Any]:
    """Create `group.json`, or check the grid against it and add this invocation (GroupError on a mismatch)."""
    group_dir = Path(group_dir)
    invocation = {"started_at": _now(), "code_version": code_version(), "hardware": hardware.to_dict(),
                  "executor": executor, "command": " ".join(sys.argv), "pid": os.getpid()}
    data = check_group(grid, group_dir)
    if data is not None:
        data["invocations"].append(invocation)
    else:
        group_dir.mkdir(parents=True, exist_ok=True)
        runs = [{"dir": run_name(*xs), "agent": xs[0], "model": xs[1], "competition": xs[2], "seed": xs[3]}
                for xs in grid.coordinates()]
        data = {"schema_version": GROUP_SCHEMA_VERSION, "created_at": invocation["started_at"],
                "code_version": invocation["code_version"], "grid": grid.settings(), "competitions": competitions,
                "runs": runs, "invocations": [invocation]}
    atomic_write_json(group_dir / GROUP_FILE, data)
    return data


# ---- the state of one run ----------------------------------------------------------------------------
def crashes(run_dir: Path) -> int:
    return sum(1 for a in read_attempts(run_dir) if a.get("outcome") == "crashed")


def _log_attempt(run_dir: Path, outcome: str, record: dict[str, Any] | None, ended: Ended | None) -> None:
    tail = ended.log_tail if ended else ""
    last_line = next((ln for ln in reversed(tail.strip().splitlines()) if ln.strip()), "")
    message = (record or {}).get("message") or (ended.error if ended else "") or last_line
    reason = (record or {}).get("reason") or (f"exit code {ended.exit_code}" if ended else "unknown")
    append_attempt(run_dir, {
        "attempt": len(read_attempts(run_dir)) + 1, "outcome": outcome, "reason": reason, "message": message,
        "exit_code": ended.exit_code if ended else None, "ended_at": _now(),
        "record_started_at": (record or {}).get("started_at"), "log_tail": tail[-1500:]})


def classify(run_dir: Path, max_attempts: int) -> Status:
    """Where a run stands, from its directory alone. A crash record that no attempt line mentions yet
    (the runner was killed right after it) is logged first, so it is counted exactly once."""
    run_dir = Path(run_dir)
    record = read_record(run_dir)
    if record is not None and record.get("status") == "finished":
        return Status.DONE
    if record is not None and record.get("reason") != "interrupted":
        logged = {a.get("record_started_at") for a in read_attempts(run_dir)}
        if record.get("started_at") not in logged:
            _log_attempt(run_dir, "crashed", record, None)
    n = crashes(run_dir)
    started = record is not None or (run_dir / "spec.json").is_file()
    if n >= max_attempts:
        return Status.FAILED
    if record is not None and record.get("reason") != "interrupted":
        return Status.RETRY
    if started:
        return Status.RESUME
    return Status.RETRY if n else Status.TODO


def set_aside_unfinished(run_dir: Path) -> None:
    """Move a record of an unfinished attempt (and its error.txt) to previous/ before the next attempt,
    so the record found after it is surely the new one, and nothing is lost."""
    run_dir = Path(run_dir)
    record = run_dir / RECORD_FILE
    if not record.is_file():
        return
    folder = run_dir / PREVIOUS_DIR
    folder.mkdir(exist_ok=True)
    k = len(list(folder.glob("record.*.json"))) + 1
    os.replace(record, folder / f"record.{k}.json")
    if (run_dir / "error.txt").is_file():
        os.replace(run_dir / "error.txt", folder / f"error.{k}.txt")


def settle(ended: Ended, max_attempts: int) -> Status:
    """How an ended attempt leaves its run: done, to retry, or failed (attempt logged)."""
    run_dir = Path(ended.spec.run_dir or "")
    record = read_record(run_dir)
    if record is not None and record.get("status") == "finished":
        return Status.DONE
    # The runner is alive, so nobody asked this run to stop: an interrupted record counts as a crash.
    _log_attempt(run_dir, "crashed", record, ended)
    return Status.FAILED if crashes(run_dir) >= max_attempts else Status.RETRY


# ---- the loop ----------------------------------------------------------------------------------------
class Progress(Protocol):
    def initial(self, spec: RunSpec, status: Status) -> None: ...

    def started(self, spec: RunSpec) -> None: ...

    def ended(self, spec: RunSpec, status: Status) -> None: ...

    def note(self, text: str) -> None: ...


class _Silent:
    def initial(self, spec: RunSpec, status: Status) -> None:
        pass

    def started(self, spec: RunSpec) -> None:
        pass

    def ended(self, spec: RunSpec, status: Status) -> None:
        pass

    def note(self, text: str) -> None:
        pass


@dataclass
class GridResult:
    statuses: dict[str, Status] = field(default_factory=dict)  # run dir name -> final status

    def count(self, status: Status) -> int:
        return sum(1 for s in self.statuses.values() if s == status)


def run_specs(specs: Iterable[RunSpec], executor: Executor, max_attempts: int = 3,
              progress: Progress | None = None, poll_s: float = 0.5) -> GridResult:
    """Run every spec that is not finished, retrying crashes; Ctrl-C stops every run for real and re-raises."""
    progress = progress or _Silent()
    result, queue = GridResult(), []
    for spec in specs:
        status = classify(Path(spec.run_dir or ""), max_attempts)
        result.statuses[Path(spec.run_dir or "").name] = status
        progress.initial(spec, status)
        if status in (Status.TODO, Status.RESUME, Status.RETRY):
            queue.append(spec)
    try:
        while queue or executor.running():
            while queue and executor.free_slots() > 0:
                spec = queue.pop(0)
                set_aside_unfinished(Path(spec.run_dir or ""))
                executor.start(spec)
                progress.started(spec)
            for ended in executor.wait(poll_s):
                status = settle(ended, max_attempts)
                result.statuses[Path(ended.spec.run_dir or "").name] = status
                progress.ended(ended.spec, status)
                if status == Status.RETRY:
                    queue.append(ended.spec)
    except KeyboardInterrupt:
        progress.note("stopping every running run (each saves its state first); run the same command to continue")
        executor.cancel()
        raise
    return result


def run_grid(grid: Grid, group_dir: Path, executor: Executor, progress: Progress | None = None) -> GridResult:
    """Run the grid's unfinished specs in `group_dir` (whose `group.json` the caller wrote)."""
    return run_specs(grid.specs(group_dir), executor, grid.max_attempts, progress)
