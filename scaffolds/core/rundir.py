"""The layout of one run directory, and atomic saves so a crash never leaves a half-written file."""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` via a temp file in the same dir and `os.replace` (atomic on POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, data: Any) -> None:
    """Serialise `data` as indented JSON and write it atomically."""
    atomic_write_text(path, json.dumps(data, indent=2, default=str))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def new_run_name(*parts: str) -> str:
    """A sortable, unique directory name: UTC timestamp, the given parts, a short random suffix."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    clean = [p.replace("/", "-") for p in parts if p]
    return "_".join([stamp, *clean, secrets.token_hex(3)])


@dataclass(frozen=True)
class RunDir:
    """Paths of one run. Everything a run leaves behind lives under `root`."""

    root: Path

    @classmethod
    def create(cls, base: Path, *name_parts: str) -> RunDir:
        """A fresh run dir under `base` with a unique name."""
        root = Path(base) / new_run_name(*name_parts)
        root.mkdir(parents=True, exist_ok=False)
        return cls(root)

    @property
    def config(self) -> Path:
        return self.root / "config.yaml"

    @property
    def journal(self) -> Path:
        return self.root / "journal.json"

    @property
    def llm_log(self) -> Path:
        return self.root / "llm_calls.jsonl"

    @property
    def workspace(self) -> Path:
        """The sandbox workspace (submission/, code/, logs/, working/ are created under it)."""
        return self.root / "workspace"

    @property
    def nodes(self) -> Path:
        return self.root / "nodes"

    def node_dir(self, node_id: str) -> Path:
        return self.nodes / node_id

    @property
    def submission(self) -> Path:
        """The run's final submission (a copy of the chosen one, kept outside the workspace)."""
        return self.root / "submission" / "submission.csv"

    @property
    def best_solution(self) -> Path:
        return self.root / "best_solution.py"

    @property
    def tree_html(self) -> Path:
        return self.root / "tree.html"

    @property
    def grade(self) -> Path:
        return self.root / "grade.json"

    @property
    def task(self) -> Path:
        return self.root / "task.json"

    def exists(self) -> bool:
        return self.journal.exists()
