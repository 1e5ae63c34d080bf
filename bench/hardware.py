"""What this machine has (CPUs, memory, GPUs), for sizing a pool of runs and for the disclosure block."""

from __future__ import annotations

import getpass
import math
import os
import platform
import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from typing import Any

import psutil

DEFAULT_RUN_MEMORY_MB = 4096  # assumed per run when the grid sets no memory limit


@dataclass(frozen=True)
class Gpu:
    id: str
    name: str = ""
    memory_mb: int | None = None


@dataclass(frozen=True)
class Hardware:
    cpus: int
    memory_mb: int
    gpus: tuple[Gpu, ...] = field(default_factory=tuple)
    hostname: str = ""
    user: str = ""
    platform: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _nvidia_gpus() -> tuple[Gpu, ...]:
    if shutil.which("nvidia-smi") is None:
        return ()
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=index,name,memory.total", "--format=csv,noheader,nounits"],
                             capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    gpus = []
    for line in out.stdout.splitlines() if out.returncode == 0 else []:
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 3 and parts[0].isdigit():
            gpus.append(Gpu(parts[0], parts[1], int(float(parts[2])) if parts[2].replace(".", "").isdigit() else None))
    return tuple(gpus)


def detect_gpus() -> tuple[Gpu, ...]:
    """GPUs this process may use: nvidia-smi's list, narrowed by $CUDA_VISIBLE_DEVICES when it is set."""
    found = _nvidia_gpus()
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is None:
        return found
    ids = [v.strip() for v in visible.split(",") if v.strip() and v.strip() != "-1"]
    by_id = {g.id: g for g in found}
    return tuple(by_id.get(i, Gpu(i)) for i in ids)


def detect(gpu_ids: list[str] | None = None) -> Hardware:
    """This machine; `gpu_ids` (e.g. from --gpu-ids) replaces GPU detection."""
    gpus = tuple(Gpu(i) for i in gpu_ids) if gpu_ids is not None else detect_gpus()
    return Hardware(cpus=os.cpu_count() or 1, memory_mb=psutil.virtual_memory().total >> 20, gpus=gpus,
                    hostname=platform.node(), user=getpass.getuser(), platform=platform.platform())


def default_workers(hw: Hardware, cpus_per_run: float | None, memory_mb_per_run: int | None,
                    gpus_per_run: int) -> int:
    """How many runs fit at once: the tightest of CPUs, memory and GPUs for the per-run request."""
    if gpus_per_run > len(hw.gpus):
        raise ValueError(f"each run asks for {gpus_per_run} GPU(s) but only {len(hw.gpus)} are visible here "
                         f"({', '.join(g.id for g in hw.gpus) or 'none'}); lower --gpus-per-run or pass --gpu-ids")
    by_cpu = int(hw.cpus // max(1.0, math.ceil(cpus_per_run or 1)))
    by_memory = hw.memory_mb // (memory_mb_per_run or DEFAULT_RUN_MEMORY_MB)
    by_gpu = len(hw.gpus) // gpus_per_run if gpus_per_run else by_cpu
    return max(1, min(by_cpu, by_memory, by_gpu))
