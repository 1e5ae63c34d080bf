"""Configuration records of a sandbox: limits, the validator hook, and what to open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    """Limits the harness enforces on everything that runs inside one sandbox."""

    action_timeout_s: float = 600.0  # default per shell/kernel/script call
    wall_time_s: float | None = None  # whole-sandbox wall clock; afterwards calls raise WallTimeExceeded
    memory_mb: int | None = 4096
    max_pids: int | None = 256
    file_size_mb: int | None = 2048  # RLIMIT_FSIZE: one file's size
    disk_mb: int | None = 32768  # workspace + /tmp quota (a sparse ext4 volume; needs root, else none)
    max_files: int = 1_000_000  # inode quota of that volume
    cpus: float | None = None
    gpus: str | None = None  # e.g. "0,1" -> CUDA_VISIBLE_DEVICES; None = no GPU visible

    @property
    def shm_mb(self) -> int:
        """Size of the sandbox's own /dev/shm (joblib's and torch's worker processes share memory there):
        half the memory limit, at most 2 GiB."""
        return min(self.memory_mb // 2, 2048) if self.memory_mb else 1024


@dataclass(frozen=True)
class ValidationResult:
    """Format check of a submission: valid or the reason why not (never a score)."""

    valid: bool
    message: str


Validator = Callable[[Path], ValidationResult]


@dataclass
class SandboxConfig:
    """What to open: data (read-only inside), a host workspace, a backend and limits."""

    data_dir: Path
    workspace: Path
    backend: str = "auto"  # "auto" | "docker" | "bwrap" | "local"
    limits: Limits = field(default_factory=Limits)
    validator: Validator | None = None
    env: dict[str, str] = field(default_factory=dict)  # extra env vars for inside (never API keys)
    image: str | None = None  # docker image (docker backend only)
    output_limit_chars: int = 20_000  # middle-truncation size, applied in sandbox/results.py only
