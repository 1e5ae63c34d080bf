"""bubblewrap backend: every spawn is a bwrap with no network, its own pid/ipc/uts namespaces, a
read-only system, the data dir read-only at /home/data, the workspace at /home, the runtime dir
read-only at /run/mle-sandbox (its kernels/ dir writable), the sandbox's tmp at /tmp, the harness's
venv and python prefix read-only, and a seccomp filter (sandbox/seccomp.py: no new user namespaces, no
mount calls, no keyrings, bpf, ...). bwrap mounts everything nosuid.

When the harness is root, bwrap runs without a user namespace (it mounts with root's rights, so bind
sources under a mode-0700 dir such as /root/.pyenv work) and keeps only CAP_SETUID/SETGID/SETPCAP,
which `setpriv` uses as the first thing inside to become AGENT_UID on the host, with no capabilities,
an empty bounding set and no_new_privs: agent code is never root, cannot read root-only host files
(e.g. /etc/docker/key.json) and owns what it writes. Otherwise (an unprivileged harness) bwrap makes a
user namespace, maps the harness's own uid, drops every capability and disables nested namespaces."""

from __future__ import annotations

import logging
import os
import shlex
import signal
import shutil
import subprocess
from pathlib import Path

import psutil

from sandbox import seccomp
from sandbox.backends.base import (
    AGENT_UID, MLEBENCH_PATHS, VALIDATION_PORT, Capabilities, IsolationSpec, agent_owner, forwarder_argv,
    harness_python,
)
from sandbox.backends.process import ProcessIsolation

log = logging.getLogger(__name__)

INSIDE_UID = AGENT_UID  # the uid inside (and, when the harness is root, on the host)
KEPT_CAPS = ("CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP")  # for setpriv only; it drops them all
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
        self._prefix: list[str] = []
        self.owner = agent_owner()
        self._seccomp = b""
        self._python = harness_python()
        self.python = self._python.python
        self.search_path = f"{self._python.bin_dir}:/usr/local/bin:/usr/bin:/bin"

    def start(self) -> None:
        super().start()
        self.capabilities = Capabilities(True, True, True, True, bool(self.spec.limits.memory_mb),
                                         pids_limited=self.uses_cgroups, unprivileged=self.owner is not None,
                                         syscalls_filtered=True)
        self._seccomp = seccomp.filter_program()
        self._base_args = self._namespace_args() + self._mount_args()

    def _namespace_args(self) -> list[str]:
        common = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                  "--die-with-parent", "--new-session"]
        if self.owner is None:  # unprivileged harness: a user namespace mapping its own uid
            return ["bwrap", "--unshare-user", "--disable-userns", *common, "--uid", str(INSIDE_UID),
                    "--gid", str(INSIDE_UID), "--cap-drop", "ALL"]
        uid, gid = self.owner
        self._prefix = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--inh-caps=-all",
                        "--bounding-set=-all", "--no-new-privs", "--"]
        return ["bwrap", *common, "--cap-drop", "ALL", *[x for c in KEPT_CAPS for x in ("--cap-add", c)]]

    def _mount_args(self) -> list[str]:
        host, inside = self.spec.host, self.paths
        a = ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
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
              # a /dev/shm the agent's uid can write: without it joblib falls back to one process
              # (multiprocessing semaphores live there) and torch's DataLoader workers fail
              "--perms", "1777", "--size", str(self.spec.limits.shm_mb * 1024 * 1024), "--tmpfs", "/dev/shm",
              "--bind", self.spec.tmp_dir, "/tmp",
              "--bind", host.home, inside.home,
              "--ro-bind", host.data, inside.data,
              "--ro-bind", host.runtime, inside.runtime,
              "--bind", f"{host.runtime}/kernels", f"{inside.runtime}/kernels"]
        a += self._gpu_args()
        return with_parent_dirs(a) + ["--remount-ro", "/"]

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
        inner = [*self._prefix, "/bin/sh", "-c", launcher, "sh", *argv]
        args = list(self._base_args) + ["--chdir", cwd, "--clearenv"]
        for k, v in env.items():
            args += ["--setenv", k, v]
        return args + ["--seccomp", "{SECCOMP_FD}", "--"] + inner, {"PATH": "/usr/bin:/bin"}, "/"

    def spawn(self, argv, *, env, cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
              stderr=subprocess.STDOUT) -> subprocess.Popen:
        fd = seccomp.program_fd(self._seccomp)
        try:
            return self._spawn_with(argv, env=env, cwd=cwd, stdin=stdin, stdout=stdout, stderr=stderr,
                                    fds={"{SECCOMP_FD}": fd})
        finally:
            os.close(fd)

    def interrupt(self, proc: subprocess.Popen) -> None:
        # proc is bwrap on the host; the argv process is its first descendant that is not bwrap (after
        # the launcher's exec), a session leader thanks to --new-session.
        try:
            for d in psutil.Process(proc.pid).children(recursive=True):
                if d.name() not in ("bwrap", "setpriv") and d.parent().name() == "bwrap":
                    os.killpg(os.getpgid(d.pid), signal.SIGINT)
                    return
        except (psutil.Error, ProcessLookupError, PermissionError):
            pass

    @classmethod
    def available(cls) -> tuple[bool, str]:
        if not shutil.which("bwrap"):
            return False, "bubblewrap not installed: apt-get install bubblewrap (or run scripts/setup_system.sh)"
        if os.geteuid() == 0 and not shutil.which("setpriv"):
            return False, "setpriv (util-linux) is missing: apt-get install util-linux"
        if os.geteuid() == 0:
            argv = ["bwrap", "--unshare-pid", "--unshare-net", "--cap-drop", "ALL",
                    *[x for c in KEPT_CAPS for x in ("--cap-add", c)], "--ro-bind", "/", "/", "--",
                    "setpriv", f"--reuid={INSIDE_UID}", f"--regid={INSIDE_UID}", "--clear-groups", "/bin/true"]
        else:
            argv = ["bwrap", "--unshare-user", "--disable-userns", "--unshare-pid", "--unshare-net",
                    "--uid", str(INSIDE_UID), "--cap-drop", "ALL", "--ro-bind", "/", "/", "--", "/bin/true"]
        try:
            r = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return False, f"bwrap failed to run: {exc}"
        if r.returncode != 0:
            return False, f"bwrap cannot create namespaces here: {r.stderr.strip()}"
        return True, "bubblewrap works"


TWO_ARG = {"--bind", "--ro-bind", "--dev-bind", "--symlink"}
ONE_ARG = {"--tmpfs", "--proc", "--dev", "--dir"}
MODIFIERS = {"--perms", "--size"}  # each takes a value and applies to the mount right after it


def with_parent_dirs(args: list[str]) -> list[str]:
    """The mount args with `--perms 0755 --dir` for every parent of a mount point that nothing made yet:
    bwrap would create those itself with mode 0700 when run by root, and agent code (another uid)
    could not reach what is mounted below (e.g. the python prefix under /root/.pyenv)."""
    out, made, modifiers, i = [], {"/"}, [], 0
    while i < len(args):
        op = args[i]
        if op in MODIFIERS:  # held back until the mount they modify, past any parent dirs put before it
            modifiers += args[i:i + 2]
            i += 2
            continue
        width = 3 if op in TWO_ARG else 2 if op in ONE_ARG else 1
        if width > 1:
            dest = Path(args[i + width - 1])
            for parent in reversed(dest.parents):
                if str(parent) not in made:
                    out += ["--perms", "0755", "--dir", str(parent)]
                    made.add(str(parent))
            made.add(str(dest))
        out += modifiers + args[i:i + width]
        modifiers = []
        i += width
    return out
