"""The sandbox contract: what an agent loop (a scaffold) may call, with each method's errors and limits.

`sandbox.Sandbox` implements it; a scaffold should depend on `SandboxAPI` (and `ShellAPI`,
`KernelAPI`) only, so a sandbox whose files are not on the harness's disk would work as well. Paths
are workspace-relative ("submission/submission.csv"), "data/..." for the read-only data, or inside
paths ("/home/code/x.py"). No method follows a link in the workspace: a link is refused (or, for
`clear`, removed), never followed, because agent-written files are hostile input.

Every method raises `SandboxClosed` after `close()`. Actions that run code raise `WallTimeExceeded`
once the sandbox's wall clock is spent; their own failures (exit codes, tracebacks, timeouts, memory
or process limits, a full disk) are reported in the result, never raised.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from sandbox.backends.base import SandboxPaths
from sandbox.config import ValidationResult
from sandbox.results import CellResult, ExecResult


@runtime_checkable
class ShellAPI(Protocol):
    cwd: str

    def run(self, cmd: str, timeout: float | None = None) -> ExecResult:
        """Run `cmd` in a persistent bash (cwd and exported variables persist), stdin at end of file.
        `timeout` (default: the sandbox's action timeout) interrupts, then restarts the shell if ignored.
        Output is middle-truncated to `output_limit_chars`. Raises: SandboxClosed, WallTimeExceeded."""

    def start_background(self, cmd: str) -> str:
        """Start `cmd` in its own bash; returns a job id. Raises: SandboxClosed, WallTimeExceeded."""

    def poll(self, job_id: str) -> ExecResult:
        """Output so far; exit_code None while running. Raises: SandboxClosed, KeyError (unknown id)."""

    def kill(self, job_id: str) -> ExecResult:
        """Kill a background job's whole tree. Raises: SandboxClosed, KeyError (unknown id)."""


@runtime_checkable
class KernelAPI(Protocol):
    def execute(self, code: str, timeout: float | None = None) -> CellResult:
        """Run one Jupyter cell (state persists). On timeout the cell is interrupted, and the kernel
        restarted if it ignores that (`kernel_restarted=True`: state lost). Streams are middle-truncated;
        at most 50 results and 20 images (saved under logs/images/) are kept per cell; a kernel message
        over 8 MiB is dropped. Raises: SandboxClosed, WallTimeExceeded."""

    def restart(self) -> None:
        """A fresh kernel; all state is lost. Raises: SandboxClosed, SandboxError (kernel cannot start)."""


@runtime_checkable
class SandboxAPI(Protocol):
    paths: SandboxPaths  # inside paths: data, submission, code, logs, working, home
    validation_url: str  # where code inside posts a submission (MLE-bench's /validate protocol)
    shell: ShellAPI
    kernel: KernelAPI

    def run_script(self, path: str, timeout: float | None = None, args: list[str] | tuple = ()) -> ExecResult:
        """Run a python file as a fresh process tree (cwd: working dir); the tree dies at the end.
        Raises: SandboxClosed, WallTimeExceeded, SandboxPathError (no such regular file)."""

    def read_file(self, path: str, max_bytes: int = ...) -> str:
        """A file's text (UTF-8, bad bytes replaced); at most `max_bytes` (default 16 MiB).
        Raises: SandboxClosed, SandboxPathError (outside, missing, a link or not a regular file),
        FileTooLarge (a SandboxPathError: over max_bytes)."""

    def write_file(self, path: str, content: str) -> None:
        """Create or replace a workspace file (parents created). A link at `path` is replaced, never
        written through. Raises: SandboxClosed, SandboxPathError (outside, in data/, a link in a parent)."""

    def list_files(self, path: str = ".") -> list[str]:
        """Sorted names in a directory, directories ending with '/'. Raises: SandboxClosed,
        SandboxPathError (outside, missing, a link or not a directory)."""

    def copy_out(self, inside_path: str, host_dest: Path, max_bytes: int = ...) -> Path:
        """Copy a regular file to the host path `host_dest` (replaced atomically); sparse-aware, at
        most `max_bytes` (default 2 GiB). Returns host_dest. Raises: SandboxClosed, SandboxPathError
        (outside, missing, a link or not a regular file), FileTooLarge, OSError (host side)."""

    def copy_in(self, host_src: Path, inside_path: str) -> None:
        """Copy the harness's own file into the workspace (replacing what is there, never through a
        link). Raises: SandboxClosed, SandboxPathError, FileTooLarge, OSError (reading host_src)."""

    def clear(self, inside_dir: str) -> None:
        """Make a workspace directory an empty real directory: entries are removed without following
        links; a link or file standing in its place is removed. Raises: SandboxClosed, SandboxPathError."""

    def exists(self, path: str) -> bool:
        """Whether a regular file is at `path` (a link is not one). Raises: SandboxClosed."""

    def validate(self, path: str = "submission/submission.csv") -> ValidationResult:
        """Format check (never a score) of a copy of the file. Never raises for a bad path or file:
        the result is invalid and says why. Raises: SandboxClosed."""

    def validate_copy(self, host_copy: Path) -> ValidationResult:
        """Format check of a harness-owned file made by copy_out (what is kept is what was checked).
        Never raises for a bad file. Raises: SandboxClosed."""

    def close(self) -> None:
        """Stop everything and release the workspace. Idempotent; never raises for cleanup errors."""
