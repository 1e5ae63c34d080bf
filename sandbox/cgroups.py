"""cgroups: the ONE place cgroup files are read (counters of any group, and the group of a process),
and the v1 limits of the process backends: memory, pids and cpu, with one child group per spawned
process tree so a tree can be killed completely and its OOM kills / pid-limit hits attributed to it.

Layout: /sys/fs/cgroup/<controller>/mle-suite-<sandbox id>/ holds the limits (hierarchical: they cover
the whole sandbox); /sys/fs/cgroup/<controller>/mle-suite-<id>/p<n>/ holds one spawned tree. The docker
backend reads the container's own groups (found through its init process) with the same functions."""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

from sandbox.config import Limits

log = logging.getLogger(__name__)

ROOT = Path("/sys/fs/cgroup")
PREFIX = "mle-suite-"
CONTROLLERS = ("memory", "pids", "cpu")


def usable() -> bool:
    """v1 memory and pids hierarchies exist and we may create groups in them (root)."""
    if os.geteuid() != 0:
        return False
    return all(os.access(ROOT / c / "cgroup.procs", os.W_OK) for c in ("memory", "pids"))


def leftover_groups() -> list[Path]:
    """Sandbox cgroups that still exist (for leak checks)."""
    found: list[Path] = []
    for c in CONTROLLERS:
        base = ROOT / c
        if base.is_dir():
            found += [p for p in base.iterdir() if p.name.startswith(PREFIX)]
    return found


def reap_stale() -> int:
    """Remove sandbox cgroups left by a harness that died without closing (names carry its pid:
    mle-suite-<pid>-<id>). Their processes are killed first. Returns how many groups were removed."""
    removed = 0
    for g in leftover_groups():
        pid = g.name[len(PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or pid_alive(int(pid)):
            continue
        for sub in [p for p in g.iterdir() if p.is_dir()]:
            CgroupSet.kill_child({"x": sub})
            _rmdir(sub)
        CgroupSet.kill_child({"x": g})
        _rmdir(g)
        removed += 1
    return removed


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _write(path: Path, value: str) -> None:
    path.write_text(value)


def _read_kv(path: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        for line in path.read_text().splitlines():
            k, _, v = line.partition(" ")
            out[k] = int(v) if v.strip().lstrip("-").isdigit() else 0
    except OSError:
        pass
    return out


def counter(path: Path | None, key: str) -> int:
    """One `key value` counter of a cgroup file (memory.oom_control, pids.events, ...); 0 if unknown."""
    return _read_kv(path).get(key, 0) if path is not None else 0


def process_group_file(pid: int, controller: str, name: str) -> Path | None:
    """A cgroup file of the group `pid` is in (v1 controller hierarchy, or v2 unified), if it exists."""
    try:
        lines = Path(f"/proc/{pid}/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            candidate = ROOT / controllers / path.lstrip("/") / name
        elif controllers == "":
            candidate = ROOT / path.lstrip("/") / name
        else:
            continue
        if candidate.exists():
            return candidate
    return None


def group_pids(procs_file: Path | None) -> list[int] | None:
    """Pids listed in a cgroup.procs file; None when it cannot be read."""
    if procs_file is None:
        return None
    try:
        return [int(x) for x in procs_file.read_text().split()]
    except (OSError, ValueError):
        return None


class CgroupSet:
    """The cgroups of one sandbox."""

    def __init__(self, sandbox_id: str, limits: Limits) -> None:
        self.name = PREFIX + sandbox_id
        self.limits = limits
        self._next = 0
        self.groups = {c: ROOT / c / self.name for c in CONTROLLERS if (ROOT / c).is_dir()}

    def create(self) -> None:
        for g in self.groups.values():
            g.mkdir(exist_ok=True)
        lim = self.limits
        mem = self.groups.get("memory")
        if mem and lim.memory_mb:
            nbytes = str(lim.memory_mb * 1024 * 1024)
            _write(mem / "memory.limit_in_bytes", nbytes)
            if (mem / "memory.memsw.limit_in_bytes").exists():  # no swapping around the limit
                _write(mem / "memory.memsw.limit_in_bytes", nbytes)
        pids = self.groups.get("pids")
        if pids and lim.max_pids:
            _write(pids / "pids.max", str(lim.max_pids))
        cpu = self.groups.get("cpu")
        if cpu and lim.cpus:
            period = 100_000
            _write(cpu / "cpu.cfs_period_us", str(period))
            _write(cpu / "cpu.cfs_quota_us", str(int(lim.cpus * period)))

    def new_child(self) -> dict[str, Path]:
        """A fresh child group per controller for one spawned tree."""
        self._next += 1
        child = {c: g / f"p{self._next}" for c, g in self.groups.items()}
        for p in child.values():
            p.mkdir(exist_ok=True)
        return child

    @staticmethod
    def procs_files(child: dict[str, Path]) -> list[str]:
        """cgroup.procs paths, to be written by the child itself before exec (see preexec)."""
        return [str(p / "cgroup.procs") for p in child.values()]

    @staticmethod
    def pids_in(child: dict[str, Path]) -> list[int]:
        found: set[int] = set()
        for g in child.values():
            try:
                found.update(int(x) for x in (g / "cgroup.procs").read_text().split())
            except OSError:
                pass
        return sorted(found)

    @classmethod
    def kill_child(cls, child: dict[str, Path], timeout: float = 5.0) -> None:
        """SIGKILL everything in the child group until it is empty (a fork bomb keeps forking, so loop)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = cls.pids_in(child)
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)
        log.warning("cgroup %s still has processes after kill", child)

    @staticmethod
    def oom_kills(child: dict[str, Path]) -> int:
        g = child.get("memory")
        return counter(g / "memory.oom_control", "oom_kill") if g else 0

    def pids_limit_hits(self) -> int:
        """How often fork failed at the sandbox's pid limit. Kernel 6.x v1 counts the event in the
        forking task's own (child) group, older kernels where the limit is set: sum all of them."""
        g = self.groups.get("pids")
        if not g:
            return 0
        groups = [g] + [p for p in g.iterdir() if p.is_dir()]
        return sum(counter(p / "pids.events", "max") for p in groups)

    def remove_child(self, child: dict[str, Path]) -> None:
        self.kill_child(child)
        for p in child.values():
            _rmdir(p)

    def close(self) -> None:
        for g in self.groups.values():
            if not g.exists():
                continue
            for sub in [p for p in g.iterdir() if p.is_dir()]:
                self.remove_child({"x": sub})
            _rmdir(g)


def _rmdir(path: Path) -> None:
    # A killed process can take a moment to leave its group; rmdir fails with EBUSY until then.
    for _ in range(100):
        try:
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.02)
    log.warning("could not remove cgroup %s", path)
