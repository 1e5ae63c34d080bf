"""`trajectory.jsonl`: the run log of a CodeAct run, one JSON object per line, appended and fsynced as
each event happens, so a crash (even kill -9) loses at most the turn in progress.

Format version 1. Every line has `type`, `version` and `time` (Unix seconds). Types:

- `header` (first line): `agent`, `competition`, `mode` ("native" tool calls or "tags"), `config` (the
  whole CodeAct config), `limits` (max_steps, time_limit_s), `messages` (the system prompt and the task
  message, as sent).
- `turn`: one step. `step` (0-based), `elapsed_s` (run time so far, across resumes), `action` (`tool`:
  execute_bash | execute_ipython_cell | str_replace_editor | think | finish | message; `args`;
  `thought`; `call_id`), `observation` (`text` as the model read it, before the time/steps footer, `exit_code`, `timed_out`, `error`,
  `exec_s`, `waiting`, `kernel_restarted`, `images`: run-dir relative PNG paths), `llm` (`model`,
  `prompt_tokens`, `completion_tokens`, `cost_usd`, `latency_s`), `timing` (`llm_s`, `exec_s`,
  `condense_s`, `harness_s`: the rest of the turn, `total_s`), `events` (e.g. "finish_refused",
  "finish_accepted", "stuck_redirect"), `submission_valid` (whether the submission passed the format check
  after the turn; null while there is none), `messages` (what this turn added to the conversation, as sent).
- `condensation`: `step` (the next step), `trigger` ("threshold" or "context_error"), `keep_first`,
  `keep_last`, `forgotten_steps`, `summary`, `tokens_before`, `tokens_after`, `llm`, `message`.
- `stuck`: `step`, `reason`, `response` ("redirect": the agent was told; "stop": the run ended).
- `resume`: `step` (the next step), `elapsed_s`, `message` (the notice given to the agent).
- `end`: `reason`, `message`, `steps`, `elapsed_s`, `cost_usd`, `tokens`, `submission` (`exists`,
  `valid`, `message`).

Readers ignore unknown keys; a newer format raises the version number.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

VERSION = 1
FILE_NAME = "trajectory.jsonl"


class TrajectoryError(ValueError):
    """The file is not a CodeAct trajectory this code can read."""


class Trajectory:
    """Append-only writer. `records()` reads what is there, tolerating a torn last line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, type_: str, **fields: Any) -> dict[str, Any]:
        record = {"type": type_, "version": VERSION, "time": round(time.time(), 3), **fields}
        line = json.dumps(record, default=str, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        return record

    def records(self) -> list[dict[str, Any]]:
        """Every complete record. A last line cut by a crash is dropped from the file (it was never a
        finished event); a bad line anywhere else is an error, so no data is silently skipped."""
        if not self.path.exists():
            return []
        raw = self.path.read_bytes()
        lines = raw.split(b"\n")
        records, good_bytes = [], 0
        for i, line in enumerate(lines):
            if not line.strip():
                good_bytes += len(line) + 1
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                if i == len(lines) - 1:  # no newline after it: a write cut short
                    log.warning("dropping a torn last line of %s (%d bytes)", self.path, len(line))
                    self._truncate(good_bytes)
                    break
                raise TrajectoryError(f"{self.path}: line {i + 1} is not JSON; the trajectory is damaged") from None
            good_bytes += len(line) + 1
        for record in records:
            if record.get("version", VERSION) > VERSION:
                raise TrajectoryError(f"{self.path} has format version {record['version']}; this code reads "
                                      f"up to {VERSION}: update mle-suite to resume it")
        return records

    def _truncate(self, size: int) -> None:
        with open(self.path, "r+b") as handle:
            handle.truncate(size)
