"""The isolation interface every backend implements (local processes, bubblewrap, docker).

An Isolation knows how to start a process *inside* the isolation and how to kill it with all its
descendants. Everything above it (shell, kernel, scripts, validation) is backend-generic.

Layout contract shared by all backends: the host workspace holds submission/ code/ logs/ working/.
A per-sandbox runtime dir (a short host temp dir, because Unix socket paths are limited to 107 bytes;
see sandbox/runtime.py) holds forwarder.py, grader/grader.sock (validation server) and kernels/ (one
dir per kernel: connection file + IPC sockets). Isolated backends mount the workspace at /home, the data
dir read-only at /home/data, the runtime dir READ-ONLY at /run/mle-sandbox with only its kernels/ dir
writable (and that one owned by root, mode 0711: only the per-kernel dirs are the agent's), and the
spec's tmp dir at /tmp, so the inside paths are MLE-bench's own (see MLEBENCH_PATHS). The local
backend sees host paths.

When the harness is root, isolated backends run agent code as AGENT_UID (an unprivileged host uid,
never mapped to root): it cannot read root-only host files, and nothing it creates is owned by root.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from sandbox.config import Limits

INSIDE_RUNTIME = "/run/mle-sandbox"  # where isolated backends mount the runtime dir
# Where isolated backends mount the harness's venv. A fixed path, because the checkout (and its .venv) may
# live under /tmp or /home, which are sandbox paths inside.
INSIDE_VENV = "/opt/mle-suite/venv"
GRADER_SOCKET = "grader/grader.sock"  # relative to the runtime dir
AGENT_UID = 1500  # host uid (and gid) of agent code in docker and bwrap when the harness is root
VALIDATION_PORT = 5000  # inside docker/bwrap the validation server answers on 127.0.0.1:5000


@dataclass(frozen=True)
class SandboxPaths:
    """The sandbox's directories, either as seen inside the isolation or on the host."""

    data: str
    submission: str
    code: str
    logs: str
    working: str
    home: str  # the workspace root (inside: /home)
    runtime: str  # kernel connection files, grader socket, tmp/

    @classmethod
    def under(cls, home: str | Path, data: str | Path, runtime: str | Path) -> SandboxPaths:
        """Paths for a workspace root `home`, a data dir and a runtime dir."""
        h = Path(home)
        return cls(
            data=str(data),
            submission=str(h / "submission"),
            code=str(h / "code"),
            logs=str(h / "logs"),
            working=str(h / "working"),
            home=str(h),
            runtime=str(runtime),
        )


# Inside paths of the isolated backends (docker, bwrap): MLE-bench's layout.
MLEBENCH_PATHS = SandboxPaths.under("/home", "/home/data", INSIDE_RUNTIME)


@dataclass(frozen=True)
class IsolationSpec:
    """Everything a backend needs to set itself up."""

    host: SandboxPaths  # host dirs: home = workspace root, data = public data dir, runtime = temp dir
    limits: Limits
    sandbox_id: str  # unique, [a-z0-9-]; use it to name containers/cgroups
    image: str | None = None  # docker image (docker only)
    tmp: str = ""  # host dir mounted at /tmp inside (default: <runtime>/tmp)

    @property
    def tmp_dir(self) -> str:
        return self.tmp or os.path.join(self.host.runtime, "tmp")


def agent_owner() -> tuple[int, int] | None:
    """(uid, gid) agent code runs as in isolated backends: AGENT_UID when the harness is root (so
    it is never root), else None: the harness's own uid, the only one an unprivileged user has."""
    return (AGENT_UID, AGENT_UID) if os.geteuid() == 0 else None


@dataclass(frozen=True)
class Capabilities:
    """What a backend really contains. `check` and the tests report these honestly."""

    network_isolated: bool
    filesystem_isolated: bool  # host files outside the mounts are invisible
    data_read_only: bool  # the data dir cannot be written, even by a process trying hard
    pid_isolated: bool  # cannot see or signal host processes
    memory_limited: bool = False  # memory limit enforced (cgroup or RLIMIT_AS)
    pids_limited: bool = False  # process-count limit enforced (pids cgroup); fork bombs contained
    unprivileged: bool = False  # agent code runs as a host uid that is not root
    syscalls_filtered: bool = False  # seccomp: no new user namespaces, no mount calls, ...
    disk_limited: bool = False  # workspace + /tmp on a quota volume (set by the Sandbox, see volume.py)


class Isolation(ABC):
    """A place to run processes. Subclasses set `name`, `capabilities` (may be refined per instance in
    __init__, e.g. when cgroups are usable) and `paths` (inside paths)."""

    name: str = "base"
    capabilities: Capabilities = Capabilities(False, False, False, False)
    python: str = "python3"  # interpreter inside, with ipykernel and the ML stack
    owner: tuple[int, int] | None = None  # uid/gid of agent code on the host, when not the harness's
    search_path: str = "/usr/local/bin:/usr/bin:/bin"  # PATH inside

    def __init__(self, spec: IsolationSpec) -> None:
        self.spec = spec
        self.paths: SandboxPaths = MLEBENCH_PATHS

    def start(self) -> None:  # noqa: B027 - an optional hook: the local backend needs no start-up
        """Prepare the isolation (create cgroups, start a container, ...). Called once."""

    @abstractmethod
    def spawn(
        self,
        argv: list[str],
        *,
        env: dict[str, str],
        cwd: str,
        stdin: int | None = subprocess.PIPE,
        stdout: int | None = subprocess.PIPE,
        stderr: int | None = subprocess.STDOUT,
    ) -> subprocess.Popen:
        """Start argv inside the isolation in its own process group/session. `env` is exactly the
        environment the process gets (already allow-listed); `cwd` is an inside path. Inside docker
        and bwrap, 127.0.0.1:VALIDATION_PORT must reach the Unix socket <runtime>/GRADER_SOCKET."""

    def interrupt(self, proc: subprocess.Popen) -> None:
        """Send SIGINT to the process group of the process running argv (the shell's foreground
        command gets it; a non-interactive bash ignores it for `&` jobs), without harming the isolation
        wrapper itself. Default: proc is that process (local). Wrapping backends override this."""
        try:
            os.killpg(proc.pid, signal.SIGINT)
        except (ProcessLookupError, PermissionError):
            pass

    @abstractmethod
    def kill_tree(self, proc: subprocess.Popen) -> None:
        """Kill proc and every descendant inside the isolation; must not raise if already dead."""

    def oom_killed(self, proc: subprocess.Popen) -> bool:
        """Best effort: was proc (or a descendant) killed because the memory limit was hit?"""
        return self.oom_count(proc) > 0

    def oom_count(self, proc: subprocess.Popen) -> int:
        """Best effort: how many processes of proc's tree the OOM killer has killed so far (the shell
        compares it before/after each command). Backends that cannot tell return 0."""
        return 0

    def sweep(self) -> None:  # noqa: B027 - an optional hook: only docker needs a sweep
        """Before each action: kill processes that escaped their tree between actions (docker: those
        reparented to the container's init). Process backends keep each tree in its own cgroup."""

    def pids_limit_hits(self) -> int:
        """Best effort: how many times a fork failed at the sandbox's process limit so far (compared
        before/after an action to report killed_reason="pids"). 0 when unknown."""
        return 0

    @abstractmethod
    def close(self) -> None:
        """Stop everything, remove containers/cgroups/temp dirs. Idempotent."""

    @classmethod
    @abstractmethod
    def available(cls) -> tuple[bool, str]:
        """(works here?, reason or how to fix)."""


def forwarder_argv(paths: SandboxPaths, *, use_socat: bool | None = None, python: str = "python3") -> list[str]:
    """Command to run INSIDE that serves 127.0.0.1:VALIDATION_PORT and forwards each connection to the
    grader's Unix socket: socat when available (default: whether the host has it, right for bwrap;
    a docker image should pass its own answer), else the stdlib forwarder that the sandbox copies to
    <runtime>/forwarder.py when it opens."""
    inside_socket = f"{paths.runtime}/{GRADER_SOCKET}"
    if use_socat is None:
        use_socat = shutil.which("socat") is not None
    if use_socat:
        return [
            "socat",
            f"TCP-LISTEN:{VALIDATION_PORT},bind=127.0.0.1,fork,reuseaddr",
            f"UNIX-CONNECT:{inside_socket}",
        ]
    return [python, f"{paths.runtime}/forwarder.py", str(VALIDATION_PORT), inside_socket]


@dataclass(frozen=True)
class HarnessPython:
    """The harness's interpreter as an isolated sandbox sees it: read-only binds (host, inside), the
    interpreter's inside path and its bin dir (for PATH)."""

    binds: tuple[tuple[str, str], ...]
    python: str
    bin_dir: str


def harness_python() -> HarnessPython:
    """The venv (ipykernel and the ML stack) at INSIDE_VENV, and the installation it is built on at its own
    path (the venv's interpreter is an absolute symlink into it). System paths are bound anyway."""
    venv, base = os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)
    roots = {base, os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))} - {venv}
    binds = [(r, r) for r in roots if r != "/" and r != "/usr" and not r.startswith("/usr/")]
    bin_dir = os.path.join(base, "bin")
    if venv != base:
        binds.append((venv, INSIDE_VENV))
        bin_dir = os.path.join(INSIDE_VENV, "bin")
    return HarnessPython(tuple(sorted(binds)), os.path.join(bin_dir, os.path.basename(sys.executable)), bin_dir)
