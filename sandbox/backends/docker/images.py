"""Which image a docker sandbox runs, and the read-only host binds a "host-bind" image needs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sandbox.backends.base import INSIDE_RUNTIME, harness_python
from sandbox.errors import SandboxUnavailable

IMAGE_KIND_LABEL = "mle-suite.image-kind"  # "host-bind" images get the host's /usr and python bound
IMAGE_ENV = "MLE_SUITE_DOCKER_IMAGE"
AGENT_IMAGE = "mle-suite/agent:latest"  # built from sandbox/docker/Dockerfile
HOST_BIND_IMAGE = "mle-suite/hostbind:local"  # built by sandbox/docker/build_local_image.py
HOST_ETC = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
            "/etc/localtime", "/etc/fonts", "/etc/mime.types")  # what host-bind binaries need from /etc
BUILD_HINT = (
    "build an image: `python -m sandbox.docker.build_local_image` (seconds, no download; uses the host's "
    "Python) or `docker build -t mle-suite/agent sandbox/docker` (self-contained), or set "
    f"{IMAGE_ENV} / SandboxConfig.image"
)


@dataclass(frozen=True)
class ImageChoice:
    name: str
    host_bind: bool
    search_path: str  # PATH inside
    python: str  # interpreter inside, with ipykernel and the ML stack


def host_bind_mounts() -> dict[str, dict[str, str]]:
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
