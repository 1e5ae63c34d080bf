"""DockerIsolation: one container per sandbox, every spawn a `docker exec` into it.

The container has no network, memory/swap, cpu, pids, file-size and /dev/shm limits, no capabilities,
no new privileges and a read-only root filesystem (containers.host_config). Agent processes run as
AGENT_UID when the harness is root (else as the harness's uid), never as root; the container's main
process runs as 65534, which they cannot signal, so they cannot stop their own container. Workspace
files are on a nosuid quota volume when there is one (sandbox/volume.py); setuid/setgid bits are
cleared at close in any case. stderr=STDOUT is merged inside (docker exec would reorder the streams).

Killing a tree: killing the `docker exec` client does not stop the process inside. Each spawn's root
process is recorded from the container's cgroup when it appears, and kill_tree SIGKILLs from the host
that root, its descendants and every process that escaped its tree (see procs.py), until none is left.
Only where the host cannot see the container's processes (a remote or rootless daemon) does killing
fall back to `docker exec` and a per-spawn environment marker.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

from sandbox import safefs
from sandbox.backends.base import MLEBENCH_PATHS, Capabilities, Isolation, IsolationSpec, agent_owner
from sandbox.backends.docker import containers
from sandbox.backends.docker.forwarder import Forwarder
from sandbox.backends.docker.images import ImageChoice, choose_image, host_bind_mounts
from sandbox.backends.docker.procs import ContainerProcs
from sandbox.errors import SandboxClosed, SandboxUnavailable

log = logging.getLogger(__name__)

TREE_ENV = "MLE_SUITE_TREE"  # per-spawn marker; used only when the host cannot see the container
ROOT_WAIT_S = 5.0  # how long a spawn waits for its process to appear in the container
START_HINT = (
    "start a daemon with `sudo bash scripts/setup_system.sh` (dockerd with no bridge or NAT), or use "
    "backend='bwrap'"
)


class DockerIsolation(Isolation):
    name = "docker"

    def __init__(self, spec: IsolationSpec) -> None:
        super().__init__(spec)
        self.paths = MLEBENCH_PATHS
        lim = spec.limits
        self.owner = agent_owner()
        self.capabilities = Capabilities(
            network_isolated=True, filesystem_isolated=True, data_read_only=True, pid_isolated=True,
            memory_limited=bool(lim.memory_mb), pids_limited=bool(lim.max_pids), unprivileged=self.owner is not None,
            syscalls_filtered=True,  # docker's default seccomp profile
        )
        uid, gid = self.owner or (os.getuid(), os.getgid())
        self.user = f"{uid}:{gid}"
        self.container_id: str | None = None
        self.image: ImageChoice | None = None
        self._client = None
        self._stdin_sock = None  # the attach connection whose loss stops the container
        self._procs_view: ContainerProcs | None = None
        self._roots: dict[int, int | None] = {}  # docker-exec client pid -> root pid inside (host pid)
        self._tokens: dict[int, str] = {}  # client pid -> marker (fallback only)
        self._clients: dict[int, subprocess.Popen] = {}
        self._lock = threading.Lock()  # serialises spawns, so each new root is attributed right
        self._forwarder: Forwarder | None = None
        self._closed = False
        self._docker_cli = shutil.which("docker") or "docker"

    # ---- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        self._client = containers.client()
        containers.reap_orphans(self._client)
        self.image = choose_image(self._client, self.spec.image)
        self.python, self.search_path = self.image.python, self.image.search_path
        api = self._client.api
        created = api.create_container(
            self.image.name, ["cat"], stdin_open=True, detach=False, user=containers.KEEPER_USER,
            labels=containers.labels(self.spec.sandbox_id),
            host_config=containers.host_config(api, self.spec, self.paths, self.image),
            working_dir=self.paths.home, environment={"PATH": self.search_path}, hostname="sandbox",
        )
        self.container_id = created["Id"]
        atexit.register(self.close)
        try:
            self._stdin_sock = api.attach_socket(self.container_id, params={"stdin": 1, "stream": 1})
            api.start(self.container_id)
            init_pid = api.inspect_container(self.container_id)["State"].get("Pid") or None
            self._procs_view = ContainerProcs(init_pid)
            self._procs_view.find_keeper()
            self._forwarder = Forwarder(api, self.container_id, init_pid, self.paths, self.python, self.user,
                                        self.search_path, self._lock, self._note_root_started)
            with self._lock:
                self._forwarder.start()
            self._forwarder.watch()
        except Exception as exc:
            self.close()
            if self.spec.limits.gpus and "device driver" in str(exc):
                raise SandboxUnavailable(
                    f"GPUs {self.spec.limits.gpus!r} were requested but this docker daemon cannot pass "
                    "GPUs through (install nvidia-container-toolkit and restart dockerd), or set "
                    "Limits.gpus=None"
                ) from exc
            raise
        log.info("docker sandbox %s: container %s from %s", self.spec.sandbox_id, self.container_id[:12],
                 self.image.name)

    def _note_root_started(self) -> None:
        """After a harness-side exec (the forwarder): wait for its root so later spawns are not confused."""
        if self._procs_view is not None and self._procs_view.visible:
            self._wait_new_root(self._known_roots(), lambda: False, 2.0)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._forwarder is not None:
            self._forwarder.stop()
        atexit.unregister(self.close)
        if self._client is not None:
            if self.container_id:
                try:
                    containers.remove_container(self._client, self.container_id)
                except Exception as exc:  # never let cleanup errors hide the caller's own error
                    log.warning("could not remove container %s: %s", self.container_id[:12], exc)
            self._client.close()
        if self._stdin_sock is not None:
            try:
                self._stdin_sock.close()
            except OSError:
                pass
        for proc in list(self._clients.values()):  # the clients exit once their container is gone
            _stop_client(proc)
        self._clients.clear()
        if self.container_id:
            cleared = safefs.strip_setid(Path(self.spec.host.home))
            if cleared:
                log.warning("cleared setuid/setgid bits on %d workspace file(s) set inside the sandbox", cleared)

    @classmethod
    def available(cls) -> tuple[bool, str]:
        try:
            import docker
        except ImportError:
            return False, "the docker Python SDK is missing: pip install docker"
        if not shutil.which("docker"):
            return False, "the docker CLI is missing (apt-get install docker.io); " + START_HINT
        try:
            client = containers.client(timeout=5)
        except docker.errors.DockerException as exc:
            return False, f"no docker daemon answers ({exc}); {START_HINT}"
        try:
            client.ping()
            if choose_image(client, None).host_bind:
                host_bind_mounts()  # refuses a harness Python that would clash with sandbox paths
        except docker.errors.DockerException as exc:
            return False, f"no docker daemon answers ({exc}); {START_HINT}"
        except SandboxUnavailable as exc:
            return False, str(exc)
        finally:
            client.close()
        return True, "docker daemon answers and a sandbox image is present"

    # ---- processes -------------------------------------------------------------------------------
    def spawn(self, argv, *, env, cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
              stderr=subprocess.STDOUT) -> subprocess.Popen:
        if self._closed or not self.container_id:
            raise SandboxClosed("this docker sandbox is closed (or never started); no process can be started")
        self._forwarder.revive()
        token = uuid.uuid4().hex
        inside_env = dict(env)
        inside_env[TREE_ENV] = token
        if self.spec.limits.gpus and "CUDA_VISIBLE_DEVICES" in inside_env:
            # The container sees only the requested GPUs, renumbered from 0.
            n = len([g for g in self.spec.limits.gpus.split(",") if g.strip()])
            inside_env["CUDA_VISIBLE_DEVICES"] = ",".join(str(i) for i in range(n))
        cmd = [self._docker_cli, "exec", "-i", "-u", self.user, "-w", cwd]
        for key in inside_env:  # `-e NAME` takes the value from the client's env: no values in argv
            cmd += ["-e", key]
        if stderr == subprocess.STDOUT:
            # docker exec carries stdout and stderr as two streams and the client writes them out in
            # no fixed order; merge them inside so output order (and marker lines) are preserved.
            argv = ["/bin/sh", "-c", 'exec "$@" 2>&1', "sh", *argv]
        cmd += [self.container_id, *argv]
        client_env = {k: v for k, v in os.environ.items() if k.startswith("DOCKER_")}
        client_env.setdefault("HOME", os.environ.get("HOME", "/"))
        with self._lock:
            before = self._known_roots()
            proc = subprocess.Popen(cmd, env={**client_env, **inside_env}, stdin=stdin, stdout=stdout,
                                    stderr=stderr, start_new_session=True, close_fds=True)
            root = self._wait_new_root(before, lambda: proc.poll() is not None, ROOT_WAIT_S)
            self._roots[proc.pid] = root
            self._tokens[proc.pid] = token
            self._clients[proc.pid] = proc
        return proc

    def _known_roots(self) -> set[int]:
        return self._procs_view.roots() if self._procs_view and self._procs_view.visible else set()

    def _wait_new_root(self, before: set[int], gone, timeout: float) -> int | None:
        if not (self._procs_view and self._procs_view.visible):
            return None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = self._procs_view.roots() - before
            if new:
                return min(new)
            if gone():
                return None
            time.sleep(0.005)
        return None

    def sweep(self) -> None:
        """Kill processes that escaped their tree (reparented to the container's init)."""
        if self._procs_view and self._procs_view.visible and not self._closed:
            self._procs_view.kill(None, set(), lambda: True, timeout=5)

    def kill_tree(self, proc: subprocess.Popen) -> None:
        with self._lock:
            root = self._roots.pop(proc.pid, None)
            token = self._tokens.pop(proc.pid, None)
            self._clients.pop(proc.pid, None)
        if self.container_id and not self._closed:
            if self._procs_view and self._procs_view.visible:
                if not self._procs_view.kill(root, set(), lambda: proc.poll() is not None):
                    log.warning("process tree of %s still alive after repeated SIGKILL", proc.pid)
            elif token:
                self._signal_via_exec(token, "KILL", rounds=3)
        _stop_client(proc)

    def interrupt(self, proc: subprocess.Popen) -> None:
        """SIGINT to the process group of the spawned argv inside (the exec'd process is a session and
        group leader); signalling the local `docker exec` client would not reach it."""
        if self._closed:
            return
        if not (self._procs_view and self._procs_view.visible):
            token = self._tokens.get(proc.pid)
            if token:
                self._signal_via_exec(token, "INT")
            return
        root = self._roots.get(proc.pid)
        if root is not None:
            try:
                os.killpg(root, signal.SIGINT)
            except (ProcessLookupError, PermissionError):
                pass

    def _signal_via_exec(self, token: str, sig: str, rounds: int = 1) -> None:
        """Fallback when the host cannot see the container's processes: signal by marker from inside."""
        script = (
            f'for i in $(seq {rounds}); do for p in /proc/[0-9]*; do '
            f'if tr "\\0" "\\n" < $p/environ 2>/dev/null | grep -qx "{TREE_ENV}={token}"; then '
            f'kill -{sig} ${{p#/proc/}} 2>/dev/null; fi; done; done'
        )
        try:
            exec_id = self._client.api.exec_create(self.container_id, ["/bin/sh", "-c", script], user=self.user)
            self._client.api.exec_start(exec_id)
        except Exception as exc:
            log.warning("could not signal a process tree inside container %s: %s", self.container_id[:12], exc)

    # ---- accounting ------------------------------------------------------------------------------
    def oom_count(self, proc: subprocess.Popen) -> int:
        """OOM kills in the whole container (v1 memory.oom_control, v2 memory.events)."""
        view = self._procs_view
        if view is None:
            return 0
        return max(view.counter("memory", "memory.oom_control", "oom_kill"),
                   view.counter("memory", "memory.events", "oom_kill"))

    def pids_limit_hits(self) -> int:
        return self._procs_view.counter("pids", "pids.events", "max") if self._procs_view else 0


def _stop_client(proc: subprocess.Popen) -> None:
    """Reap the local `docker exec` client (it exits once the process inside is gone)."""
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()

