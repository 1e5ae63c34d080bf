"""The on-disk layout of a run group: `group.json`, one run directory per spec, attempt logs.

A group directory (`--out runs/GROUP` of a grid) holds:
- `group.json`: the grid (agents, models, competitions, seeds, the shared run settings), the code
  version, who ran it where, and one entry per run (its directory name and coordinates);
- one run directory per (agent, model, competition, seed), named by `run_name` so that running the
  same command again finds it; inside, `record.json` (written by `run_one`) and `attempts.jsonl`
  (one line per attempt that ended without a graded record: crashed or interrupted).
This module only names and reads files; it imports nothing heavy, so reports can use it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

GROUP_FILE = "group.json"
GROUP_SCHEMA_VERSION = 1
RECORD_FILE = "record.json"  # the runner's record (bench.runner.RECORD_FILE)
RECORD_SCHEMA_VERSIONS = (1,)  # record.json versions this module reads
SPEC_FILE = "spec.json"
ATTEMPTS_FILE = "attempts.jsonl"
PREVIOUS_DIR = "previous"  # records of earlier unfinished attempts, moved aside when a new one starts

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class GroupError(Exception):
    """A group directory is missing, unreadable or of another version; the message says what to do."""


def slug(text: str) -> str:
    """A file-name-safe form of a model or agent name ('openai/gpt-4o' -> 'openai-gpt-4o')."""
    return _UNSAFE.sub("-", text).strip("-") or "default"


def run_name(agent: str, model: str, competition: str, seed: int) -> str:
    """The deterministic directory name of one run of a group."""
    return f"{slug(agent)}__{slug(model)}__{slug(competition)}__seed{seed}"


def read_group(group_dir: Path) -> dict[str, Any]:
    """`group.json` of a group directory; GroupError when it is not a group of a version we read."""
    path = Path(group_dir) / GROUP_FILE
    if not path.is_file():
        raise GroupError(f"{group_dir} is not a run group (no {GROUP_FILE}); pass the --out directory of "
                         "`python -m bench run --agents ... --out DIR`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GroupError(f"cannot read {path}: {exc}") from None
    if data.get("schema_version") != GROUP_SCHEMA_VERSION:
        raise GroupError(f"{path} has schema_version {data.get('schema_version')!r}; this version of "
                         f"mle-suite reads {GROUP_SCHEMA_VERSION}")
    return data


def read_record(run_dir: Path, name: str = RECORD_FILE) -> dict[str, Any] | None:
    """The run's `record.json` (or another record file) as a dict; None when there is none, or it is
    unreadable or of another schema version."""
    path = Path(run_dir) / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if data.get("schema_version") in RECORD_SCHEMA_VERSIONS else None


def read_attempts(run_dir: Path) -> list[dict[str, Any]]:
    """The ended attempts of a run, oldest first; a torn last line (a kill mid-write) is skipped."""
    path = Path(run_dir) / ATTEMPTS_FILE
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


def append_attempt(run_dir: Path, entry: dict[str, Any]) -> None:
    """Append one attempt line and flush it to disk (so a kill right after loses nothing)."""
    path = Path(run_dir) / ATTEMPTS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, default=str) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
