"""Docker backend: one container per sandbox, every spawn a `docker exec` into it.

    images.py      which image, and the host binds a "host-bind" image needs
    containers.py  client, labels, the container's settings, removal, reaping orphans
    forwarder.py   127.0.0.1:5000 inside -> the grader's Unix socket, watched and revived
    procs.py       the container's processes seen from the host: trees, escapees, killing
    isolation.py   DockerIsolation, the Isolation the sandbox uses
"""

from sandbox.backends.docker.containers import (
    LABEL_OWNER_HOST, LABEL_OWNER_PID, LABEL_OWNER_START, LABEL_SANDBOX, process_start, reap_orphans,
    sandbox_containers,
)
from sandbox.backends.docker.images import AGENT_IMAGE, HOST_BIND_IMAGE, IMAGE_ENV, choose_image, host_bind_mounts
from sandbox.backends.docker.isolation import DockerIsolation

__all__ = [
    "AGENT_IMAGE", "HOST_BIND_IMAGE", "IMAGE_ENV", "LABEL_OWNER_HOST", "LABEL_OWNER_PID", "LABEL_OWNER_START",
    "LABEL_SANDBOX", "DockerIsolation", "choose_image", "host_bind_mounts", "process_start", "reap_orphans",
    "sandbox_containers",
]
