"""bubblewrap backend: every spawn is a bwrap with no network, its own pid/ipc/uts namespaces, a
read-only system, the data dir read-only at /home/data, the workspace at /home, the runtime dir at
/run/mle-sandbox, the sandbox's shared tmp at /tmp, and the harness's venv + python prefix read-only.

Runs as a non-root uid with all capabilities dropped: as root, bwrap without --uid/--cap-drop lets the
sandboxed process remount the read-only data dir writable (verified, see reference/sandbox.md). Inside
uid 1500 maps to host root, so files it writes are owned by root on the host and every bound file owned
by root is readable inside: bind as little as possible and mask secrets under /etc."""

from __future__ import annotations

import logging
import os
import shlex
import signal
import shutil
import subprocess
from pathlib import Path

import psutil

from sandbox.backends.base import (
    MLEBENCH_PATHS, VALIDATION_PORT, Capabilities, IsolationSpec, forwarder_argv, harness_python,
)
from sandbox.backends.process import ProcessIsolation

log = logging.getLogger(__name__)

INSIDE_UID = 1500
SECRET_FILES = ("/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-", "/etc/sudoers")
SECRET_DIRS = ("/etc/ssl/private", "/etc/sudoers.d")


class BwrapIsolation(ProcessIsolation):
    name = "bwrap"

    def __init__(self, spec: IsolationSpec) -> None:
        super().__init__(spec)
        self.paths = MLEBENCH_PATHS
        self.capabilities = Capabilities(
            network_isolated=True, filesystem_isolated=True, data_read_only=True, pid_isolated=True,
            memory_limited=bool(spec.limits.memory_mb), pids_limited=False,
        )
        self._base_args: list[str] = []
        self._python = harness_python()
        self.python = self._python.python
        self.search_path = f"{self._python.bin_dir}:/usr/local/bin:/usr/bin:/bin"

    def start(self) -> None:
        super().start()
        self.capabilities = Capabilities(True, True, True, True, bool(self.spec.limits.memory_mb),
                                         pids_limited=self.uses_cgroups)
        self._base_args = self._mount_args()

    def _mount_args(self) -> list[str]:
        host, inside = self.spec.host, self.paths
        a = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
             "--uid", str(INSIDE_UID), "--gid", str(INSIDE_UID), "--cap-drop", "ALL",
             "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
        for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            p = Path("/" + name)
            if p.is_symlink():
                a += ["--symlink", os.readlink(p), str(p)]
            elif p.is_dir():
                a += ["--ro-bind", str(p), str(p)]
        for f in SECRET_FILES:
            if os.path.exists(f):
                a += ["--ro-bind", "/dev/null", f]
        for d in SECRET_DIRS:
            if os.path.isdir(d):
                a += ["--tmpfs", d]
        for source, target in self._python.binds:
            a += ["--ro-bind", source, target]
        a += ["--proc", "/proc", "--dev", "/dev",
              "--bind", f"{host.runtime}/tmp", "/tmp",
              "--bind", host.home, inside.home,
              "--ro-bind", host.data, inside.data,
              "--bind", host.runtime, inside.runtime]
        a += self._gpu_args()
        a += ["--remount-ro", "/"]
        return a

    def _gpu_args(self) -> list[str]:
        if not self.spec.limits.gpus:
            return []
        devices = sorted(Path("/dev").glob("nvidia*"))
        if not devices:
            log.warning("GPUs %r requested but no /dev/nvidia* devices exist here", self.spec.limits.gpus)
        return [x for dev in devices for x in ("--dev-bind", str(dev), str(dev))]

    def wrap(self, argv, env, cwd):
        # Each bwrap has its own loopback, so each gets its own forwarder from 127.0.0.1:5000 to the
        # grader socket; it runs in the background (ignoring SIGINT) and dies with the namespace.
        fwd = shlex.join(forwarder_argv(self.paths, python=self.python))
        # Wait (at most ~1 s) until it listens, so the command's first request does not race it.
        port = f"0100007F:{VALIDATION_PORT:04X} 00000000:0000 0A"
        # setsid: socat exits on SIGINT, and interrupts go to the command's process group.
        launcher = (f'setsid {fwd} >/dev/null 2>&1 & i=0; while [ $i -lt 200 ] && ! grep -q "{port}" /proc/net/tcp; '
                    f'do sleep 0.005; i=$((i+1)); done; exec "$@"')
        inner = ["/bin/sh", "-c", launcher, "sh", *argv]
        args = list(self._base_args) + ["--chdir", cwd, "--clearenv"]
        for k, v in env.items():
            args += ["--setenv", k, v]
        return args + ["--"] + inner, {"PATH": "/usr/bin:/bin"}, "/"

    def interrupt(self, proc: subprocess.Popen) -> None:
        # proc is bwrap on the host; the argv process is its first descendant that is not bwrap (after
        # the launcher's exec), a session leader thanks to --new-session.
        try:
            for d in psutil.Process(proc.pid).children(recursive=True):
                if d.name() != "bwrap" and d.parent().name() == "bwrap":
                    os.killpg(os.getpgid(d.pid), signal.SIGINT)
                    return
        except (psutil.Error, ProcessLookupError, PermissionError):
            pass

    @classmethod
    def available(cls) -> tuple[bool, str]:
        if not shutil.which("bwrap"):
            return False, "bubblewrap not installed: apt-get install bubblewrap (or run scripts/setup_system.sh)"
        try:
            r = subprocess.run(
                ["bwrap", "--unshare-all", "--uid", str(INSIDE_UID), "--cap-drop", "ALL",
                 "--ro-bind", "/", "/", "--", "/bin/true"],
                capture_output=True, text=True, timeout=20,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return False, f"bwrap failed to run: {exc}"
        if r.returncode != 0:
            return False, f"bwrap cannot create namespaces here: {r.stderr.strip()}"
        return True, "bubblewrap works"
