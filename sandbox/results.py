"""Result records of sandbox actions, and the ONE place where output is middle-truncated."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


def truncate_middle(text: str, limit: int, already_cut: int = 0) -> str:
    """Keep the head and the tail of `text` within `limit` characters, saying how much was cut.

    The middle goes because the start (what ran) and the end (the error, the final metric) are what an
    agent needs. `already_cut` counts characters a CaptureBuffer dropped from the middle before."""
    if limit <= 0 or (len(text) <= limit and not already_cut):
        return text
    if len(text) <= limit:
        half = len(text) // 2
        return text[:half] + f"\n... [{already_cut} characters truncated] ...\n" + text[half:]
    keep = max(limit - 64, 0)  # 64 characters reserved for the marker
    cut = len(text) - keep + already_cut
    marker = f"\n... [{cut} characters truncated] ...\n"
    head = keep // 2
    tail = keep - head
    return text[:head] + marker + (text[len(text) - tail :] if tail else "")


@dataclass
class ExecResult:
    """Outcome of a shell command or a script."""

    output: str  # combined stdout+stderr, middle-truncated
    exit_code: int | None  # None while a background job runs, or when killed before an exit code
    timed_out: bool
    duration_s: float
    killed_reason: str | None = None  # "timeout" | "memory" | "pids" | "wall_time" | "file_size" ...


@dataclass
class KernelError:
    """An exception raised by a cell."""

    ename: str
    evalue: str
    traceback: list[str] = field(default_factory=list)


@dataclass
class CellResult:
    """Outcome of one Jupyter cell."""

    stdout: str
    stderr: str
    results: list[str]  # text/plain of execute_result
    images: list[Path]  # image/png outputs saved under workspace/logs/images (host paths)
    error: KernelError | None
    timed_out: bool
    kernel_restarted: bool  # True: the kernel was restarted and all state is lost
    duration_s: float
    killed_reason: str | None = None


class CaptureBuffer:
    """Output of a running process held in bounded memory: the first and last `keep` characters, and
    how many were dropped between them. `text()` applies truncate_middle, the one truncation rule."""

    def __init__(self, keep: int) -> None:
        self.keep = max(keep, 1)
        self.head = ""
        self.tail = ""
        self.dropped = 0

    def append(self, chunk: str) -> None:
        if len(self.head) < self.keep:
            room = self.keep - len(self.head)
            self.head += chunk[:room]
            chunk = chunk[room:]
        if not chunk:
            return
        self.tail += chunk
        if len(self.tail) > self.keep:
            extra = len(self.tail) - self.keep
            self.dropped += extra
            self.tail = self.tail[extra:]

    def raw(self) -> str:
        return self.head + self.tail

    def text(self, limit: int) -> str:
        return truncate_middle(self.raw(), limit, self.dropped)
