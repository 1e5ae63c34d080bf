"""Docker containers of sandboxes: the client, labels, the container's settings, removal and reaping.

Lifetime: the container's main process reads stdin, and the harness holds the only attach connection
to it (StdinOnce). If the harness dies for any reason, SIGKILL included, the daemon closes that stdin,
the main process exits and the daemon removes the container (AutoRemove). `reap_orphans()` (run at
every start) removes labelled containers whose owner process is gone."""

from __future__ import annotations

import logging
import os
import socket
import time

from sandbox.backends.base import IsolationSpec, SandboxPaths
from sandbox.backends.docker.images import ImageChoice, host_bind_mounts

log = logging.getLogger(__name__)

LABEL_SANDBOX = "mle-suite.sandbox"  # sandbox id; every container we create has it
LABEL_OWNER_PID = "mle-suite.owner-pid"  # pid of the harness that owns the container
LABEL_OWNER_START = "mle-suite.owner-start"  # that process's start time (guards against pid reuse)
LABEL_OWNER_HOST = "mle-suite.owner-host"  # only containers of this host are reaped
KEEPER_USER = "65534:65534"  # the container's main process: a uid the agent's processes cannot signal


def client(timeout: int = 60):
    import docker

    return docker.from_env(timeout=timeout)


def process_start(pid: int) -> float | None:
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def labels(sandbox_id: str) -> dict[str, str]:
    started = process_start(os.getpid()) or 0.0
    return {LABEL_SANDBOX: sandbox_id, LABEL_OWNER_PID: str(os.getpid()),
            LABEL_OWNER_START: f"{started:.2f}", LABEL_OWNER_HOST: socket.gethostname()}


def host_config(api, spec: IsolationSpec, inside: SandboxPaths, image: ImageChoice | None) -> dict:
    """No network, no capabilities, no new privileges, read-only root, limits; the sandbox's binds:
    workspace, data (ro), runtime dir (ro) with its kernels/ dir (rw), and tmp."""
    import docker

    host, lim = spec.host, spec.limits
    binds = host_bind_mounts() if image and image.host_bind else {}
    binds.update({
        os.path.realpath(host.home): {"bind": inside.home, "mode": "rw"},
        os.path.realpath(host.data): {"bind": inside.data, "mode": "ro"},
        os.path.realpath(host.runtime): {"bind": inside.runtime, "mode": "ro"},
        os.path.realpath(os.path.join(host.runtime, "kernels")): {"bind": f"{inside.runtime}/kernels", "mode": "rw"},
        os.path.realpath(spec.tmp_dir): {"bind": "/tmp", "mode": "rw"},
    })
    ulimits = [docker.types.Ulimit(name="core", soft=0, hard=0)]
    if lim.file_size_mb:
        size = lim.file_size_mb * 1024 * 1024
        ulimits.append(docker.types.Ulimit(name="fsize", soft=size, hard=size))
    kwargs: dict = dict(
        binds=binds, network_mode="none", init=True, auto_remove=True, read_only=True,
        cap_drop=["ALL"], security_opt=["no-new-privileges"], ipc_mode="private",
        ulimits=ulimits, pids_limit=lim.max_pids or None,
        shm_size=f"{lim.shm_mb}m",
    )
    if lim.memory_mb:  # swap limit == memory limit: no swapping around the limit
        kwargs.update(mem_limit=f"{lim.memory_mb}m", memswap_limit=f"{lim.memory_mb}m")
    if lim.cpus:
        kwargs["nano_cpus"] = int(lim.cpus * 1e9)
    if lim.gpus:
        ids = [g.strip() for g in lim.gpus.split(",") if g.strip()]
        kwargs["device_requests"] = [docker.types.DeviceRequest(device_ids=ids, capabilities=[["gpu"]])]
    return api.create_host_config(**kwargs)


def reap_orphans(docker_client=None) -> list[str]:
    """Remove this host's labelled containers whose owner process is gone; returns their short ids."""
    own = docker_client is None
    docker_client = docker_client or client()
    removed: list[str] = []
    try:
        for c in docker_client.api.containers(all=True, filters={"label": LABEL_SANDBOX}):
            lab = c.get("Labels") or {}
            if lab.get(LABEL_OWNER_HOST) != socket.gethostname():
                continue
            try:
                pid, started = int(lab[LABEL_OWNER_PID]), float(lab[LABEL_OWNER_START])
            except (KeyError, ValueError):
                pid, started = 0, 0.0
            now_started = process_start(pid) if pid else None
            if now_started is not None and abs(now_started - started) < 1.0:
                continue  # owner alive
            remove_container(docker_client, c["Id"])
            removed.append(c["Id"][:12])
    finally:
        if own:
            docker_client.close()
    if removed:
        log.info("removed %d orphaned sandbox container(s): %s", len(removed), ", ".join(removed))
    return removed


def remove_container(docker_client, cid: str, wait_s: float = 10.0) -> None:
    """Force-remove and wait until the daemon no longer knows the container."""
    import docker

    try:
        docker_client.api.remove_container(cid, force=True)
    except docker.errors.NotFound:
        return
    except docker.errors.APIError as exc:  # 409: AutoRemove already removing it
        if exc.status_code != 409:
            raise
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            docker_client.api.inspect_container(cid)
        except docker.errors.NotFound:
            return
        time.sleep(0.05)
    log.warning("container %s still present %.0f s after removal", cid[:12], wait_s)


def sandbox_containers(docker_client=None) -> list[str]:
    """Ids of all containers (any state) that carry the sandbox label, for leak checks."""
    own = docker_client is None
    docker_client = docker_client or client()
    try:
        return [c["Id"] for c in docker_client.api.containers(all=True, filters={"label": LABEL_SANDBOX})]
    finally:
        if own:
            docker_client.close()
