"""Docker backend: one container per sandbox, every spawn a `docker exec` into it.

The container has no network (network_mode="none"), memory/swap, cpu, pids, file-size and /dev/shm
limits, no capabilities, no new privileges and a read-only root filesystem. The workspace is bound at
/home, the data dir read-only at /home/data, the runtime dir at /run/mle-sandbox and its tmp/ at /tmp.
With the local "host-bind" image (sandbox/docker/build_local_image.py) the host's /usr and the harness's
Python are bound read-only as well, so the ML stack needs no image build.

Processes run as the harness's uid:gid, so files they write belong to the harness and the harness
can signal them. When the harness is root they therefore run as root, but without any capability:
they cannot remount, bypass file permissions, or signal the container's main process (uid 65534), so
they cannot stop their own container. Setuid/setgid bits they set on workspace files are cleared at
close. stderr=STDOUT is merged inside (docker exec would reorder the two streams).

Lifetime: the container's main process reads stdin, and the harness holds the only attach connection
to it (StdinOnce). If the harness dies for any reason, SIGKILL included, the daemon closes that stdin,
the main process exits and the daemon removes the container (AutoRemove). `close()` removes it at once;
`reap_orphans()` (run at every start) removes labelled containers whose owner process is gone.

Killing a tree: killing the `docker exec` client does not stop the process inside. Each spawn carries a
unique MLE_SUITE_TREE=<token> variable; kill_tree SIGKILLs, from the host, every process of the
container that has the token in its environment, plus the sessions and descendants of those, until
none is left. (A process that both clears its environment and leaves its session survives until close.)
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import signal
import socket
import stat
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sandbox.backends.base import (
    INSIDE_RUNTIME,
    MLEBENCH_PATHS,
    VALIDATION_PORT,
    Capabilities,
    Isolation,
    IsolationSpec,
    agent_owner,
    forwarder_argv,
    harness_python,
)
from sandbox.errors import SandboxError, SandboxUnavailable

log = logging.getLogger(__name__)

LABEL_SANDBOX = "mle-suite.sandbox"  # sandbox id; every container we create has it
LABEL_OWNER_PID = "mle-suite.owner-pid"  # pid of the harness that owns the container
LABEL_OWNER_START = "mle-suite.owner-start"  # that process's start time (guards against pid reuse)
LABEL_OWNER_HOST = "mle-suite.owner-host"  # only containers of this host are reaped
IMAGE_KIND_LABEL = "mle-suite.image-kind"  # "host-bind" images get the host's /usr and python bound
IMAGE_ENV = "MLE_SUITE_DOCKER_IMAGE"
AGENT_IMAGE = "mle-suite/agent:latest"  # built from sandbox/docker/Dockerfile
HOST_BIND_IMAGE = "mle-suite/hostbind:local"  # built by sandbox/docker/build_local_image.py
KEEPER_USER = "65534:65534"  # the container's main process: a uid the agent's processes cannot signal
FORWARDER_CHECK_S = 1.0  # how often the validation forwarder is checked and revived
TREE_ENV = "MLE_SUITE_TREE"  # per-spawn marker inherited by the whole process tree inside
HOST_ETC = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
            "/etc/localtime", "/etc/fonts", "/etc/mime.types")  # what host-bind binaries need from /etc
BUILD_HINT = (
    "build an image: `python -m sandbox.docker.build_local_image` (seconds, no download; uses the host's "
    "Python) or `docker build -t mle-suite/agent sandbox/docker` (self-contained), or set "
    f"{IMAGE_ENV} / SandboxConfig.image"
)
START_HINT = (
    "start a daemon with `sudo bash scripts/setup_system.sh` (dockerd with no bridge or NAT), or use "
    "backend='bwrap'"
)


@dataclass(frozen=True)
class ImageChoice:
    name: str
    host_bind: bool
    search_path: str  # PATH inside
    python: str  # interpreter inside, with ipykernel and the ML stack


def _client(timeout: int = 60):
    import docker

    return docker.from_env(timeout=timeout)


def _process_start(pid: int) -> float | None:
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def reap_orphans(client=None) -> list[str]:
    """Remove this host's labelled containers whose owner process is gone; returns their short ids."""
    own = client is None
    client = client or _client()
    removed: list[str] = []
    try:
        for c in client.api.containers(all=True, filters={"label": LABEL_SANDBOX}):
            labels = c.get("Labels") or {}
            if labels.get(LABEL_OWNER_HOST) != socket.gethostname():
                continue
            try:
                pid, started = int(labels[LABEL_OWNER_PID]), float(labels[LABEL_OWNER_START])
            except (KeyError, ValueError):
                pid, started = 0, 0.0
            now_started = _process_start(pid) if pid else None
            if now_started is not None and abs(now_started - started) < 1.0:
                continue  # owner alive
            _remove_container(client, c["Id"])
            removed.append(c["Id"][:12])
    finally:
        if own:
            client.close()
    if removed:
        log.info("removed %d orphaned sandbox container(s): %s", len(removed), ", ".join(removed))
    return removed


def _remove_container(client, cid: str, wait_s: float = 10.0) -> None:
    """Force-remove and wait until the daemon no longer knows the container."""
    import docker

    try:
        client.api.remove_container(cid, force=True)
    except docker.errors.NotFound:
        return
    except docker.errors.APIError as exc:  # 409: AutoRemove already removing it
        if exc.status_code != 409:
            raise
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            client.api.inspect_container(cid)
        except docker.errors.NotFound:
            return
        time.sleep(0.05)
    log.warning("container %s still present %.0f s after removal", cid[:12], wait_s)


def sandbox_containers(client=None) -> list[str]:
    """Ids of all containers (any state) that carry the sandbox label, for leak checks."""
    own = client is None
    client = client or _client()
    try:
        return [c["Id"] for c in client.api.containers(all=True, filters={"label": LABEL_SANDBOX})]
    finally:
        if own:
            client.close()


def _host_bind_mounts() -> dict[str, dict[str, str]]:
    """Read-only binds that make a host-bind image usable: /usr, non-merged /bin etc, /etc bits, python."""
    binds = {"/usr": {"bind": "/usr", "mode": "ro"}}
    for name in ("bin", "lib", "lib32", "lib64", "libx32"):
        p = Path("/" + name)
        if p.is_dir() and not p.is_symlink():
            binds[str(p)] = {"bind": str(p), "mode": "ro"}
    for path in HOST_ETC:
        if os.path.exists(path):
            binds[path] = {"bind": path, "mode": "ro"}
    for source, target in harness_python().binds:
        clash = next((d for d in ("/home", "/tmp", INSIDE_RUNTIME) if target == d or target.startswith(d + "/")),
                     None)
        if clash:
            raise SandboxUnavailable(
                f"the host-bind docker image needs the Python installation at {source} inside the container, "
                f"but {clash} is a sandbox path there; use a Python installed outside {clash} or "
                "`docker build -t mle-suite/agent sandbox/docker` and pass image='mle-suite/agent'"
            )
        binds[source] = {"bind": target, "mode": "ro"}
    return binds


def choose_image(client, requested: str | None) -> ImageChoice:
    """SandboxConfig.image, else $MLE_SUITE_DOCKER_IMAGE, else the built agent image, else host-bind."""
    import docker

    candidates = [requested] if requested else (
        [os.environ[IMAGE_ENV]] if os.environ.get(IMAGE_ENV) else [AGENT_IMAGE, HOST_BIND_IMAGE])
    for name in candidates:
        try:
            image = client.images.get(name)
        except docker.errors.ImageNotFound:
            continue
        config = image.attrs.get("Config") or {}
        host_bind = (config.get("Labels") or {}).get(IMAGE_KIND_LABEL) == "host-bind"
        env = dict(e.split("=", 1) for e in (config.get("Env") or []) if "=" in e)
        if host_bind:
            py = harness_python()
            return ImageChoice(name, True, f"{py.bin_dir}:/usr/local/bin:/usr/bin:/bin", py.python)
        return ImageChoice(name, False, env.get("PATH", "/usr/local/bin:/usr/bin:/bin"), "python3")
    if requested or os.environ.get(IMAGE_ENV):
        raise SandboxUnavailable(f"docker image {candidates[0]!r} not found; {BUILD_HINT}")
    raise SandboxUnavailable(f"no sandbox docker image found ({AGENT_IMAGE} or {HOST_BIND_IMAGE}); {BUILD_HINT}")


class DockerIsolation(Isolation):
    name = "docker"

    def __init__(self, spec: IsolationSpec) -> None:
        super().__init__(spec)
        self.paths = MLEBENCH_PATHS
        lim = spec.limits
        self.capabilities = Capabilities(
            network_isolated=True, filesystem_isolated=True, data_read_only=True, pid_isolated=True,
            memory_limited=bool(lim.memory_mb), pids_limited=bool(lim.max_pids),
        )
        self.owner = agent_owner()
        uid, gid = self.owner or (os.getuid(), os.getgid())
        self.user = f"{uid}:{gid}"
        self.container_id: str | None = None
        self.image: ImageChoice | None = None
        self._client = None
        self._stdin_sock = None  # the attach connection whose loss stops the container
        self._init_pid: int | None = None  # host pid of the container's init
        self._tokens: dict[int, str] = {}  # docker-exec client pid -> tree token
        self._procs: dict[int, subprocess.Popen] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()  # ends the forwarder watchdog
        self._closed = False
        self._docker_cli = shutil.which("docker") or "docker"

    # ---- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        self._client = _client()
        reap_orphans(self._client)
        self.image = choose_image(self._client, self.spec.image)
        self.python, self.search_path = self.image.python, self.image.search_path
        api = self._client.api
        created = api.create_container(
            self.image.name, ["cat"], stdin_open=True, detach=False, user=KEEPER_USER,
            labels=self._labels(), host_config=self._host_config(), working_dir=self.paths.home,
            environment={"PATH": self.search_path}, hostname="sandbox",
        )
        self.container_id = created["Id"]
        atexit.register(self.close)
        try:
            self._stdin_sock = api.attach_socket(self.container_id, params={"stdin": 1, "stream": 1})
            api.start(self.container_id)
            self._init_pid = api.inspect_container(self.container_id)["State"].get("Pid") or None
            self._start_forwarder()
            if self._forwarder_listening() is not None:
                threading.Thread(target=self._watch_forwarder, name=f"fwd-{self.spec.sandbox_id}",
                                 daemon=True).start()
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

    def _labels(self) -> dict[str, str]:
        started = _process_start(os.getpid()) or 0.0
        return {LABEL_SANDBOX: self.spec.sandbox_id, LABEL_OWNER_PID: str(os.getpid()),
                LABEL_OWNER_START: f"{started:.2f}", LABEL_OWNER_HOST: socket.gethostname()}

    def _host_config(self) -> dict:
        import docker

        host, inside, lim = self.spec.host, self.paths, self.spec.limits
        binds = _host_bind_mounts() if self.image and self.image.host_bind else {}
        binds.update({
            os.path.realpath(host.home): {"bind": inside.home, "mode": "rw"},
            os.path.realpath(host.data): {"bind": inside.data, "mode": "ro"},
            os.path.realpath(host.runtime): {"bind": inside.runtime, "mode": "ro"},
            os.path.realpath(os.path.join(host.runtime, "kernels")): {"bind": f"{inside.runtime}/kernels",
                                                                      "mode": "rw"},
            os.path.realpath(self.spec.tmp_dir): {"bind": "/tmp", "mode": "rw"},
        })
        ulimits = [docker.types.Ulimit(name="core", soft=0, hard=0)]
        if lim.file_size_mb:
            size = lim.file_size_mb * 1024 * 1024
            ulimits.append(docker.types.Ulimit(name="fsize", soft=size, hard=size))
        kwargs: dict = dict(
            binds=binds, network_mode="none", init=True, auto_remove=True, read_only=True,
            cap_drop=["ALL"], security_opt=["no-new-privileges"], ipc_mode="private",
            ulimits=ulimits, pids_limit=lim.max_pids or None,
            shm_size=f"{min(lim.memory_mb // 2, 2048) if lim.memory_mb else 1024}m",
        )
        if lim.memory_mb:  # swap limit == memory limit: no swapping around the limit
            kwargs.update(mem_limit=f"{lim.memory_mb}m", memswap_limit=f"{lim.memory_mb}m")
        if lim.cpus:
            kwargs["nano_cpus"] = int(lim.cpus * 1e9)
        if lim.gpus:
            ids = [g.strip() for g in lim.gpus.split(",") if g.strip()]
            kwargs["device_requests"] = [docker.types.DeviceRequest(device_ids=ids, capabilities=[["gpu"]])]
        return self._client.api.create_host_config(**kwargs)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        atexit.unregister(self.close)
        if self._client is not None:
            if self.container_id:
                try:
                    _remove_container(self._client, self.container_id)
                except Exception as exc:  # never let cleanup errors hide the caller's own error
                    log.warning("could not remove container %s: %s", self.container_id[:12], exc)
            self._client.close()
        if self._stdin_sock is not None:
            try:
                self._stdin_sock.close()
            except OSError:
                pass
        for proc in list(self._procs.values()):  # the clients exit once their container is gone
            _stop_client(proc)
        self._procs.clear()
        if self.container_id:
            _strip_setid_bits(Path(self.spec.host.home))

    @classmethod
    def available(cls) -> tuple[bool, str]:
        try:
            import docker
        except ImportError:
            return False, "the docker Python SDK is missing: pip install docker"
        if not shutil.which("docker"):
            return False, "the docker CLI is missing (apt-get install docker.io); " + START_HINT
        try:
            client = _client(timeout=5)
        except docker.errors.DockerException as exc:
            return False, f"no docker daemon answers ({exc}); {START_HINT}"
        try:
            client.ping()
            if choose_image(client, None).host_bind:
                _host_bind_mounts()  # refuses a harness Python that would clash with sandbox paths
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
            raise SandboxError("docker sandbox is not running (closed or never started)")
        self._revive_forwarder()
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
        proc = subprocess.Popen(cmd, env={**client_env, **inside_env}, stdin=stdin, stdout=stdout,
                                stderr=stderr, start_new_session=True, close_fds=True)
        with self._lock:
            self._tokens[proc.pid] = token
            self._procs[proc.pid] = proc
        return proc

    def _start_forwarder(self) -> None:
        """Serve 127.0.0.1:5000 inside (once: the container is one network namespace), forwarding to
        the grader's socket; socat when the image has it, else the sandbox's stdlib forwarder."""
        socat = " ".join(forwarder_argv(self.paths, use_socat=True))
        python = " ".join(forwarder_argv(self.paths, use_socat=False, python=self.python))
        script = f"if command -v socat >/dev/null 2>&1; then exec {socat}; else exec {python}; fi"
        api = self._client.api
        exec_id = api.exec_create(self.container_id, ["/bin/sh", "-c", script], user=self.user,
                                  environment={"PATH": self.search_path})
        api.exec_start(exec_id, detach=True)
        # Wait until it listens, so the very first command can already validate.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if self._forwarder_listening() is not False:
                return
            time.sleep(0.01)
        log.warning("validation forwarder in container %s is not listening yet", self.container_id[:12])

    def _revive_forwarder(self) -> None:
        """Restart the forwarder if agent code killed it (same uid: e.g. `kill -9 -1`, `pkill socat`)."""
        if self._forwarder_listening() is False:
            with self._lock:
                if self._forwarder_listening() is False and not self._closed:
                    self._start_forwarder()

    def _watch_forwarder(self) -> None:
        while not self._stop.wait(FORWARDER_CHECK_S):
            try:
                self._revive_forwarder()
            except Exception as exc:  # the container may be going away under us
                log.debug("forwarder check failed: %s", exc)

    def _forwarder_listening(self) -> bool | None:
        """Is 127.0.0.1:5000 listening in the container (its /proc/net/tcp seen from the host)?
        None when the host cannot look."""
        listen = f"0100007F:{VALIDATION_PORT:04X} 00000000:0000 0A"
        try:
            return listen in Path(f"/proc/{self._init_pid}/net/tcp").read_text()
        except (OSError, TypeError):
            return None

    def kill_tree(self, proc: subprocess.Popen) -> None:
        with self._lock:
            token = self._tokens.pop(proc.pid, None)
            self._procs.pop(proc.pid, None)
        if token and self.container_id and not self._closed:
            if not self._kill_from_host(token, proc):
                self._kill_via_exec(token)
        _stop_client(proc)

    def interrupt(self, proc: subprocess.Popen) -> None:
        """SIGINT to the process group of the spawned argv inside (the exec'd process is a session and
        group leader); signalling the local `docker exec` client would not reach it."""
        token = self._tokens.get(proc.pid)
        if not token or self._closed:
            return
        if self._container_pids() is None:  # the host cannot see inside: signal from inside
            self._signal_via_exec(token, "INT")
            return
        root = self._tree_root(token)
        if root is not None:  # None: the process inside has not started yet or is gone
            try:
                os.killpg(root, signal.SIGINT)
            except (ProcessLookupError, PermissionError):
                pass

    def _tree_root(self, token: str) -> int | None:
        """Host pid of the exec'd process of a tree: marked, and its parent (containerd's shim) not."""
        marker = f"{TREE_ENV}={token}".encode()
        inside = _pid_namespace(self._init_pid)
        if inside is None or inside == _pid_namespace(os.getpid()):
            return None
        marked = {p: s for p in self._container_pids() or []
                  if _pid_namespace(p) == inside and marker in _environ(p).split(b"\0")
                  and (s := _stat(p)) is not None}
        roots = [p for p, (ppid, _, _) in marked.items() if ppid not in marked]
        return min(roots) if roots else None

    def _container_pids(self) -> list[int] | None:
        """Host pids of every process in the container, or None when the host cannot see them (remote
        or rootless daemon). From the container's cgroup (readable by any uid), else by comparing pid
        namespaces (needs root: the init runs as another uid)."""
        if not self._init_pid:
            return None
        procs = self._cgroup_file("pids", "cgroup.procs")
        if procs is not None:
            try:
                return [int(x) for x in procs.read_text().split()]
            except (OSError, ValueError):
                pass
        try:
            ns = os.readlink(f"/proc/{self._init_pid}/ns/pid")
        except OSError:
            return None
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if os.readlink(f"/proc/{entry}/ns/pid") == ns:
                        pids.append(int(entry))
                except OSError:
                    continue
        return pids

    def _tree_victims(self, token: str) -> list[int] | None:
        pids = self._container_pids()
        if pids is None:
            return None
        marker = f"{TREE_ENV}={token}".encode()
        # Only ever signal processes in the container's own pid namespace: if the init pid was reused
        # by a host process, the pid list above would be the host's, and a session match could reach
        # the daemon or the harness.
        inside = _pid_namespace(self._init_pid)
        if inside is None or inside == _pid_namespace(os.getpid()):
            return None
        stats = {p: s for p in pids if _pid_namespace(p) == inside and (s := _stat(p)) is not None}
        marked = {p for p in stats if p != self._init_pid and marker in _environ(p).split(b"\0")}
        sessions = {stats[p][2] for p in marked}
        victims = marked | {p for p, (_, _, sid) in stats.items() if sid in sessions and p != self._init_pid}
        grew = True
        while grew:  # descendants by parent pid
            extra = {p for p, (ppid, _, _) in stats.items() if ppid in victims and p not in victims}
            victims |= extra
            grew = bool(extra)
        return sorted(victims)

    def _kill_from_host(self, token: str, proc: subprocess.Popen) -> bool:
        """SIGKILL the tree from the host until nothing marked is left and the `docker exec` client
        has exited (right after spawn the process inside may not exist yet); False if the host
        cannot see the container's processes."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            victims = self._tree_victims(token)
            if victims is None:
                return False
            if not victims and proc.poll() is not None:
                return True
            for sig in (signal.SIGSTOP, signal.SIGKILL):  # freeze first so a fork bomb cannot outrun us
                for pid in victims:
                    try:
                        os.kill(pid, sig)
                    except (ProcessLookupError, PermissionError):
                        pass
            time.sleep(0.01 if victims else 0.02)
        log.warning("process tree %s still alive after repeated SIGKILL", token[:8])
        return True

    def _kill_via_exec(self, token: str) -> None:
        """Fallback when the host cannot see the container's processes: kill by marker from inside."""
        self._signal_via_exec(token, "KILL", rounds=3)

    def _signal_via_exec(self, token: str, sig: str, rounds: int = 1) -> None:
        script = (
            f'for i in $(seq {rounds}); do for p in /proc/[0-9]*; do '
            f'if tr "\\0" "\\n" < $p/environ 2>/dev/null | grep -qx "{TREE_ENV}={token}"; then '
            f'kill -{sig} ${{p#/proc/}} 2>/dev/null; fi; done; done'
        )
        try:
            exec_id = self._client.api.exec_create(self.container_id, ["/bin/sh", "-c", script], user=self.user)
            self._client.api.exec_start(exec_id)
        except Exception as exc:
            log.warning("could not kill process tree inside container %s: %s", self.container_id[:12], exc)

    # ---- accounting ------------------------------------------------------------------------------

    def _cgroup_file(self, controller: str, name: str) -> Path | None:
        """A cgroup file of the container (v1 controller hierarchy or v2 unified), if readable."""
        if not self._init_pid:
            return None
        try:
            lines = Path(f"/proc/{self._init_pid}/cgroup").read_text().splitlines()
        except OSError:
            return None
        for line in lines:
            _, controllers, path = line.split(":", 2)
            if controller in controllers.split(","):
                candidate = Path("/sys/fs/cgroup") / controllers / path.lstrip("/") / name
            elif controllers == "":
                candidate = Path("/sys/fs/cgroup") / path.lstrip("/") / name
            else:
                continue
            if candidate.exists():
                return candidate
        return None

    def _cgroup_counter(self, controller: str, name: str, key: str) -> int:
        path = self._cgroup_file(controller, name)
        if path is None:
            return 0
        try:
            for line in path.read_text().splitlines():
                k, _, v = line.partition(" ")
                if k == key and v.strip().isdigit():
                    return int(v)
        except OSError:
            pass
        return 0

    def oom_count(self, proc: subprocess.Popen) -> int:
        """OOM kills in the whole container (v1 memory.oom_control, v2 memory.events)."""
        return max(self._cgroup_counter("memory", "memory.oom_control", "oom_kill"),
                   self._cgroup_counter("memory", "memory.events", "oom_kill"))

    def pids_limit_hits(self) -> int:
        return self._cgroup_counter("pids", "pids.events", "max")


def _stat(pid: int) -> tuple[int, int, int] | None:
    """(ppid, pgid, sid) of a host pid, or None when it is gone."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = data[data.rfind(")") + 2:].split()  # the command name may contain spaces and parens
    return int(fields[1]), int(fields[2]), int(fields[3])


def _pid_namespace(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return None


def _environ(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def _strip_setid_bits(root: Path) -> None:
    """Clear setuid/setgid bits the sandbox set on workspace files: inside, a file's owner may set
    them without any capability, and when the harness is root such a file would be a root setuid
    program on the host."""
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            try:
                st = os.lstat(path)
                if st.st_mode & (stat.S_ISUID | stat.S_ISGID) and not stat.S_ISLNK(st.st_mode):
                    os.chmod(path, stat.S_IMODE(st.st_mode) & ~(stat.S_ISUID | stat.S_ISGID))
                    log.warning("cleared setuid/setgid bit on %s (set inside the sandbox)", path)
            except OSError:
                continue


def _stop_client(proc: subprocess.Popen) -> None:
    """Reap the local `docker exec` client (it exits once the process inside is gone)."""
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
