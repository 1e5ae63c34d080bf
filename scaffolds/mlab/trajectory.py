"""MLAB's run log: `trajectory.jsonl`, one JSON object per line, appended and fsynced as each step ends.

Format "mle-suite/mlab-trajectory", version 1. Each line has a "type":
- "header" (first line): format, version, agent, competition_id, config (the whole MlabConfig),
  models (the model of each role), created (unix time).
- "session": one per start or resume: session (1, 2, ...), started, resumed_after_step (the number of
  steps already done), elapsed_s before it.
- "step": step (0-based), session; entries (the six entries of the reply, as written);
  action, action_input (the parsed arguments, or null), raw_action_input, input_parse ("json",
  "sanitised", "by_names" or "error"); observation (exactly as the next prompts show it, with the
  time and steps left); raw_observation_chars, summarized; format_retries and format_errors (the
  replies re-asked before this one), outage_waits; llm (calls, prompt_tokens, completion_tokens,
  cost_usd, seconds, and the same per role under by_role); timing (step_s, llm_s, exec_s, harness_s:
  the rest, i.e. the harness's own time); elapsed_s (run time at the end of the step, over all
  sessions); files (path, size, copy: where the step's version is kept under the run dir, or null
  with a note); submission_valid (whether the submission passed the format check after the step; null
  while there is none); final_answer (text, accepted, reason) on a Final Answer step; ts.
- "end": reason, message, steps, elapsed_s, submission (run-dir path or null), validation
  ({valid, message} or null), ts.

A step is complete once its line is written; files a step changed are copied to steps/NNNN/ before
that. A line cut short by a crash is dropped (and the file truncated) when the run resumes.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "mle-suite/mlab-trajectory"
VERSION = 1
FILE_NAME = "trajectory.jsonl"


class TrajectoryError(ValueError):
    """The trajectory file cannot be continued; the message says why and what to do."""


def trajectory_path(run_dir: Path) -> Path:
    return Path(run_dir) / FILE_NAME


def step_files_dir(run_dir: Path, step: int) -> Path:
    return Path(run_dir) / "steps" / f"{step:04d}"


@dataclass
class Loaded:
    header: dict[str, Any] | None = None
    sessions: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    end: dict[str, Any] | None = None
    valid_bytes: int = 0  # length of the file up to its last complete line


def load(path: Path) -> Loaded:
    """The records of a trajectory; a last line cut short by a crash is left out."""
    loaded = Loaded()
    if not path.exists():
        return loaded
    data = path.read_bytes()
    offset = 0
    for raw in data.splitlines(keepends=True):
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            if offset + len(raw) == len(data):
                break  # the crash cut this last line short
            raise TrajectoryError(f"{path}: line at byte {offset} is not JSON; the file is damaged") from None
        if not raw.endswith(b"\n"):
            break
        offset += len(raw)
        _add(loaded, record, path)
    loaded.valid_bytes = offset
    return loaded


def _add(loaded: Loaded, record: dict[str, Any], path: Path) -> None:
    kind = record.get("type")
    if kind == "header":
        if record.get("format") != FORMAT or record.get("version") != VERSION:
            raise TrajectoryError(f"{path} is not an {FORMAT} v{VERSION} file "
                                  f"(format {record.get('format')!r}, version {record.get('version')!r})")
        loaded.header = record
    elif kind == "session":
        loaded.sessions.append(record)
    elif kind == "step":
        if record.get("step") != len(loaded.steps):
            raise TrajectoryError(f"{path}: step {record.get('step')} follows {len(loaded.steps)} steps")
        loaded.steps.append(record)
    elif kind == "end":
        loaded.end = record


class Writer:
    """Appends records; each is on disk (fsynced) when `append` returns."""

    def __init__(self, path: Path, valid_bytes: int | None = None) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if valid_bytes is not None and path.exists() and path.stat().st_size > valid_bytes:
            with open(path, "r+b") as handle:  # drop a line cut short by a crash
                handle.truncate(valid_bytes)

    def append(self, record: dict[str, Any]) -> None:
        line = json.dumps({**record, "ts": record.get("ts", time.time())}, default=str) + "\n"
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())


def header(competition_id: str, config: dict[str, Any], models: dict[str, str]) -> dict[str, Any]:
    return {"type": "header", "format": FORMAT, "version": VERSION, "agent": "mlab",
            "competition_id": competition_id, "config": config, "models": models, "created": time.time()}
