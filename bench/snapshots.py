"""Submission snapshots during a run, for score over time (`--snapshot-every 1h`).

While the agent works, a background thread copies its submission every `every_s` seconds into
`<run_dir>/snapshots/<elapsed>.csv` and appends a line to `snapshots/index.jsonl`. What is copied:
- the run directory's `submission/submission.csv` when the agent keeps its best submission there
  and has written it during this session (AIDE puts its best working node's CSV there after every
  node; a file left by an earlier session is the previous final copy, not the agent's live choice);
- otherwise the workspace's current `submission/submission.csv`, through `Sandbox.copy_out`, which
  never follows a link the agent planted.
Snapshots are graded later, on the host, by the report (`bench.reporting`), never during the run.
A resumed run continues the clock from its last snapshot, so times add up across sessions (the time
between the last snapshot and an interruption is not counted).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only a type here: reports read snapshot indexes without loading the sandbox layer
    from sandbox import Sandbox

log = logging.getLogger(__name__)

SNAPSHOT_DIR = "snapshots"
INDEX_FILE = "index.jsonl"
MAX_SNAPSHOT_BYTES = 4 << 30


def read_index(run_dir: Path) -> list[dict[str, Any]]:
    """The snapshot lines of a run (oldest first); a torn last line (a kill mid-write) is skipped."""
    path = Path(run_dir) / SNAPSHOT_DIR / INDEX_FILE
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return entries


def _copy_host_file(src: Path, dest: Path, newer_than: float) -> bool:
    """Copy a regular file modified after `newer_than` (epoch s) without following a link at its last
    component; False when there is no such file."""
    try:
        fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SNAPSHOT_BYTES or info.st_mtime < newer_than:
            return False
        with open(dest, "wb") as out:
            shutil.copyfileobj(handle, out)
    return True


class Snapshotter:
    """Copies the agent's submission every `every_s` seconds while the sandbox is open."""

    def __init__(self, sandbox: Sandbox, run_dir: Path, every_s: float) -> None:
        if every_s <= 0:
            raise ValueError(f"snapshot interval must be positive, got {every_s}")
        self.sandbox, self.every_s = sandbox, every_s
        self.folder = Path(run_dir) / SNAPSHOT_DIR
        self.best_file = Path(run_dir) / "submission" / "submission.csv"
        previous = read_index(run_dir)
        self.offset_s = max((e.get("elapsed_s", 0.0) for e in previous), default=0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="submission-snapshots", daemon=True)
        self._t0, self._since = time.monotonic(), time.time()

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._t0, self._since = time.monotonic(), time.time()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                self.take()
            except Exception as exc:  # noqa: BLE001 - a failed snapshot must never end the run
                log.warning("submission snapshot failed: %s", exc)

    def take(self) -> dict[str, Any]:
        """Copy the current submission now and append its index line."""
        elapsed = round(self.offset_s + time.monotonic() - self._t0, 3)
        dest = self.folder / f"{elapsed:010.1f}s.csv"
        tmp = dest.with_name(f".{dest.name}.tmp")
        source = "run_dir"
        if not _copy_host_file(self.best_file, tmp, self._since):
            source = "workspace"
            try:
                self.sandbox.copy_out(f"{self.sandbox.paths.submission}/submission.csv", tmp,
                                      max_bytes=MAX_SNAPSHOT_BYTES)
            except Exception:  # noqa: BLE001 - missing, refused or sandbox closing: no submission yet
                source = ""
        if source:
            os.replace(tmp, dest)
        entry = {"elapsed_s": elapsed, "file": dest.name if source else None, "source": source or None,
                 "taken_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        with open(self.folder / INDEX_FILE, "a", encoding="utf-8") as index:
            index.write(json.dumps(entry) + "\n")
        return entry


@contextmanager
def snapshots_every(sandbox: Sandbox, run_dir: Path, every_s: float | None) -> Iterator[Snapshotter | None]:
    """Snapshot the submission while the block runs; does nothing when `every_s` is None."""
    if not every_s:
        yield None
        return
    snapper = Snapshotter(sandbox, run_dir, every_s)
    snapper.start()
    try:
        yield snapper
    finally:
        snapper.stop()
