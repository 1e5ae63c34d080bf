"""The layout of one run directory, atomic saves so a crash never leaves a half-written file, and a
lock so that two processes never continue the same run."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def atomic_write_text(path: Path, text: str, durable: bool = True) -> None:
    """Write `text` to `path` via a temp file in the same dir and `os.replace` (atomic on POSIX).

    `durable=False` skips the fsync: the file still survives the process being killed (the kernel has
    it), only a power cut may lose it; for small files rewritten often (progress, heartbeat)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, data: Any, durable: bool = True) -> None:
    """Serialise `data` as indented JSON and write it atomically."""
    atomic_write_text(path, json.dumps(data, indent=2, default=str), durable)


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


class RunDirBusy(RuntimeError):
    """Another process holds the run directory's lock."""


class RunLock:
    """An exclusive lock on a run directory (`.lock`, flock), held while a process works on the run.

    The kernel drops the lock when the holder dies, so a killed run never leaves a stale lock. Taking
    it again in the process that holds it (e.g. the runner, then the agent) is a no-op.
    """

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / ".lock"
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EACCES):
                raise
            if holder == str(os.getpid()):
                return  # this process holds it already
            raise RunDirBusy(f"run directory {self.path.parent} is in use by another process (pid {holder or '?'}); "
                             "wait for it to finish or stop it, then try again") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
