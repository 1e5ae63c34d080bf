"""The host's view of a container's processes, found through the container's cgroup: whose tree is
whose, and killing trees and escaped processes.

Every `docker exec` starts a process whose parent (containerd's shim) is outside the container: a
*root*. The harness records each spawn's root when it appears in the cgroup (spawns are serialised),
so trees are identified by pid and parentage, never by something agent code could change, like its
environment. A process that leaves its tree (double fork, `setsid cmd &` whose parent exits) is
reparented to the container's init: it is an *escapee*, and is killed whenever a tree is killed and
before every action. Only processes in the container's own pid namespace are ever signalled."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from sandbox import cgroups


def stat_of(pid: int) -> tuple[int, int, int] | None:
    """(ppid, pgid, sid) of a host pid, or None when it is gone."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = data[data.rfind(")") + 2:].split()  # the command name may contain spaces and parens
    return int(fields[1]), int(fields[2]), int(fields[3])


def pid_namespace(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return None


class ContainerProcs:
    """Processes of one container, seen from the host. `visible` is False for a remote or rootless
    daemon whose container processes the host cannot see (the caller then falls back to docker exec)."""

    def __init__(self, init_pid: int | None) -> None:
        self.init_pid = init_pid
        self.keeper: int | None = None  # the container's main process (a child of init)
        self._ns = pid_namespace(init_pid) if init_pid else None
        self.visible = bool(self._ns) and self._ns != pid_namespace(os.getpid()) and self.snapshot() is not None

    def snapshot(self) -> dict[int, tuple[int, int, int]] | None:
        """{host pid: (ppid, pgid, sid)} of the container's processes; None when not visible."""
        if not self.init_pid or not self._ns:
            return None
        pids = cgroups.group_pids(cgroups.process_group_file(self.init_pid, "pids", "cgroup.procs"))
        if pids is None:
            pids = self._pids_by_namespace()
        # Only processes in the container's own pid namespace: if the init pid was reused by a host
        # process, its cgroup would be the host's, and signalling it could reach the daemon or us.
        return {p: s for p in pids if pid_namespace(p) == self._ns and (s := stat_of(p)) is not None}

    def _pids_by_namespace(self) -> list[int]:
        return [int(e) for e in os.listdir("/proc") if e.isdigit() and pid_namespace(int(e)) == self._ns]

    def roots(self) -> set[int]:
        """Pids whose parent is outside the container (each a `docker exec`), except init."""
        snap = self.snapshot() or {}
        return {p for p, (ppid, _, _) in snap.items() if ppid not in snap and p != self.init_pid}

    def find_keeper(self, timeout: float = 10.0) -> None:
        """The main process, the first child of init (init starts it a moment after the container)."""
        deadline = time.monotonic() + timeout
        while self.visible and time.monotonic() < deadline:
            snap = self.snapshot() or {}
            kids = [p for p, (ppid, _, _) in snap.items() if ppid == self.init_pid]
            if kids:
                self.keeper = min(kids)
                return
            time.sleep(0.005)

    def escapees(self, snap: dict[int, tuple[int, int, int]]) -> set[int]:
        if self.keeper is None:  # cannot tell the main process from an escapee: leave them all
            return set()
        return {p for p, (ppid, _, _) in snap.items() if ppid == self.init_pid and p != self.keeper}

    def victims(self, root: int | None, keep: set[int]) -> set[int]:
        """The tree of `root` (by parentage) plus every escapee; never init, the keeper or `keep`'s
        trees (the other live spawns, e.g. the forwarder)."""
        snap = self.snapshot() or {}
        out = self.escapees(snap) | ({root} if root in snap else set())
        grew = True
        while grew:
            extra = {p for p, (ppid, _, _) in snap.items() if ppid in out and p not in out}
            out |= extra
            grew = bool(extra)
        return out - keep - {self.init_pid, self.keeper}

    def kill(self, root: int | None, keep: set[int], done, timeout: float = 10.0) -> bool:
        """SIGSTOP then SIGKILL the victims until none is left and done() is True; False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            victims = self.victims(root, keep)
            if not victims and done():
                return True
            for sig in (signal.SIGSTOP, signal.SIGKILL):  # freeze first so a fork bomb cannot outrun us
                for pid in victims:
                    try:
                        os.kill(pid, sig)
                    except (ProcessLookupError, PermissionError):
                        pass
            time.sleep(0.01 if victims else 0.02)
        return False

    def counter(self, controller: str, name: str, key: str) -> int:
        if not self.init_pid:
            return 0
        return cgroups.counter(cgroups.process_group_file(self.init_pid, controller, name), key)
