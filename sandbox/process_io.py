"""Reading a spawned process's output in the background, and a sandbox-wide wall clock."""

from __future__ import annotations

import codecs
import os
import threading
import time

from sandbox.errors import WallTimeExceeded
from sandbox.results import CaptureBuffer


class OutputReader:
    """Drains a pipe in a thread into a CaptureBuffer; `wait_for` blocks until a marker shows up."""

    def __init__(self, fd: int, keep: int) -> None:
        self._fd = fd
        self._keep = keep
        self._cond = threading.Condition()
        self.buffer = CaptureBuffer(keep)
        self._recent = ""  # last characters, for marker detection
        self.eof = False
        self._thread = threading.Thread(target=self._run, name=f"reader-{fd}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while True:
            try:
                chunk = os.read(self._fd, 65536)
            except OSError:
                chunk = b""
            text = decoder.decode(chunk, final=not chunk)
            with self._cond:
                if text:
                    self.buffer.append(text)
                    self._recent = (self._recent + text)[-4096:]
                if not chunk:
                    self.eof = True
                self._cond.notify_all()
            if not chunk:
                return

    def reset(self) -> None:
        with self._cond:
            self.buffer = CaptureBuffer(self._keep)
            self._recent = ""

    def wait_for(self, marker: str, timeout: float) -> bool:
        """True once `marker` was read; False on timeout or end of file."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while marker not in self._recent:
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    return False
                self._cond.wait(min(left, 0.1))
            return True

    def wait_eof(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self.eof:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.1))
            return True

    def snapshot(self) -> CaptureBuffer:
        with self._cond:
            copy = CaptureBuffer(self.buffer.keep)
            copy.head, copy.tail, copy.dropped = self.buffer.head, self.buffer.tail, self.buffer.dropped
            return copy


class WallClock:
    """The whole sandbox's time budget. `budget(t)` shortens an action's timeout to what is left."""

    def __init__(self, wall_time_s: float | None) -> None:
        self.deadline = time.monotonic() + wall_time_s if wall_time_s else None

    def check(self) -> None:
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise WallTimeExceeded("the sandbox's wall-clock limit is used up; no more actions can run")

    def budget(self, timeout: float) -> tuple[float, bool]:
        """(timeout to use, True when the wall clock rather than `timeout` is the binding limit)."""
        self.check()
        if self.deadline is None:
            return timeout, False
        left = self.deadline - time.monotonic()
        return (left, True) if left < timeout else (timeout, False)
