"""Shared machinery of the backends that run host processes (local, bwrap): cgroups, rlimits, killing.

Each spawn gets its own session (so a whole tree can be signalled), its own child cgroup when cgroups
are usable (so it can be killed completely and OOM kills are attributed), and rlimits set in the child
before exec."""

from __future__ import annotations

import logging
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable

import psutil

from sandbox import cgroups
from sandbox.backends.base import Isolation, IsolationSpec
from sandbox.errors import SandboxClosed

log = logging.getLogger(__name__)


def _preexec(procs_files: list[str], rlimits: list[tuple[int, int]]) -> Callable[[], None]:
    """Runs in the child between fork and exec: join the cgroups first (so every descendant is
    accounted), then lower rlimits. Kept minimal because it runs in a forked copy of the harness."""

    def run() -> None:
        pid = str(os.getpid()).encode()
        for path in procs_files:
            fd = os.open(path, os.O_WRONLY)
            try:
                os.write(fd, pid)
            finally:
                os.close(fd)
        for which, value in rlimits:
            resource.setrlimit(which, (value, value))
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    return run


class ProcessIsolation(Isolation):
    """Base of local and bwrap: subclasses turn an inside argv into a host argv with `wrap`."""

    def __init__(self, spec: IsolationSpec) -> None:
        super().__init__(spec)
        # The harness's own venv: it has ipykernel and the ML stack (bwrap binds it read-only).
        self.python = os.path.join(sys.prefix, "bin", "python")
        self.search_path = f"{sys.prefix}/bin:/usr/local/bin:/usr/bin:/bin"
        self._cg: cgroups.CgroupSet | None = None
        self._children: dict[int, dict] = {}
        self._procs: dict[int, subprocess.Popen] = {}
        self._closed = False

    @property
    def uses_cgroups(self) -> bool:
        return self._cg is not None

    def start(self) -> None:
        if cgroups.usable():
            self._cg = cgroups.CgroupSet(self.spec.sandbox_id, self.spec.limits)
            self._cg.create()
        else:
            log.warning(
                "cgroups v1 not usable (not root or not mounted): memory limited by RLIMIT_AS only, "
                "no process-count limit, killing relies on process groups"
            )

    def _rlimits(self) -> list[tuple[int, int]]:
        lim = self.spec.limits
        out = [(resource.RLIMIT_CORE, 0)]
        if lim.file_size_mb:
            out.append((resource.RLIMIT_FSIZE, lim.file_size_mb * 1024 * 1024))
        if lim.memory_mb and self._cg is None:
            # Address-space cap is a crude stand-in for a memory cgroup (it counts reservations too).
            out.append((resource.RLIMIT_AS, lim.memory_mb * 1024 * 1024))
        return out

    def wrap(self, argv: list[str], env: dict[str, str], cwd: str) -> tuple[list[str], dict[str, str], str]:
        """Host argv, host env and host cwd that run `argv` inside the isolation."""
        raise NotImplementedError

    def spawn(self, argv, *, env, cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
              stderr=subprocess.STDOUT) -> subprocess.Popen:
        return self._spawn_with(argv, env=env, cwd=cwd, stdin=stdin, stdout=stdout, stderr=stderr)

    def _spawn_with(self, argv, *, env, cwd, stdin, stdout, stderr, fds: dict[str, int] | None = None):
        """Spawn; `fds` maps placeholders in the wrapped argv to fds the child inherits (e.g. seccomp)."""
        if self._closed:
            raise SandboxClosed("this sandbox is closed; no process can be started in it")
        host_argv, host_env, host_cwd = self.wrap(list(argv), dict(env), cwd)
        fds = fds or {}
        host_argv = [str(fds.get(a, a)) for a in host_argv]
        child = self._cg.new_child() if self._cg else None
        procs_files = cgroups.CgroupSet.procs_files(child) if child else []
        proc = subprocess.Popen(
            host_argv, env=host_env, cwd=host_cwd, stdin=stdin, stdout=stdout, stderr=stderr,
            start_new_session=True, close_fds=True, pass_fds=tuple(fds.values()),
            preexec_fn=_preexec(procs_files, self._rlimits()),
        )
        if child:
            self._children[proc.pid] = child
        self._procs[proc.pid] = proc
        return proc

    def kill_tree(self, proc: subprocess.Popen) -> None:
        child = self._children.pop(proc.pid, None)
        try:
            descendants = psutil.Process(proc.pid).children(recursive=True)
        except psutil.Error:
            descendants = []
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for d in descendants:  # those that left the process group (setsid, daemons)
            try:
                d.kill()
            except psutil.Error:
                pass
        if child and self._cg:
            self._cg.remove_child(child)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.warning("process %s did not exit after SIGKILL", proc.pid)
        self._procs.pop(proc.pid, None)

    def oom_count(self, proc: subprocess.Popen) -> int:
        child = self._children.get(proc.pid)
        return cgroups.CgroupSet.oom_kills(child) if child else 0

    def pids_limit_hits(self) -> int:
        return self._cg.pids_limit_hits() if self._cg else 0

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for proc in list(self._procs.values()):
            self.kill_tree(proc)
        if self._cg:
            self._cg.close()
