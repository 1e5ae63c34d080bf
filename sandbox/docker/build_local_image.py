"""Build the local "host-bind" sandbox image with no registry access, in about a second.

The image is an almost empty root filesystem (directories, /etc/passwd, /etc/group, the /bin and /lib
symlinks of a merged-/usr host) made here as a tar and loaded with `docker import`. Nothing is
downloaded. At run time the docker backend bind-mounts the host's /usr, the harness's Python prefix and
virtualenv read-only, so the container has the same ML stack as the host with nothing to install.
Use it for tests and local runs; for a self-contained image build sandbox/docker/Dockerfile instead.

    python -m sandbox.docker.build_local_image [--tag mle-suite/hostbind:local] [--force]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tarfile
import time

HOST_BIND_IMAGE = "mle-suite/hostbind:local"
IMAGE_KIND_LABEL = "mle-suite.image-kind"  # "host-bind": the backend adds the host binds
AGENT_UID = 1000

# Mount points and empty dirs; /sbin is a real dir (not a link into the read-only /usr bind) because
# docker mounts its init binary at /sbin/docker-init.
_DIRS = ("usr", "etc", "home", "tmp", "proc", "sys", "dev", "run", "var", "var/tmp", "root", "opt",
         "sbin", "mnt", "srv")
_PASSWD = (
    "root:x:0:0:root:/root:/bin/sh\n"
    f"agent:x:{AGENT_UID}:{AGENT_UID}:agent:/home:/bin/bash\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
)
_GROUP = f"root:x:0:\nagent:x:{AGENT_UID}:\nnogroup:x:65534:\n"
_NSSWITCH = "passwd: files\ngroup: files\nhosts: files\n"


def _add(tf: tarfile.TarFile, name: str, *, mode: int = 0o755, data: bytes | None = None,
         link: str | None = None) -> None:
    info = tarfile.TarInfo(name)
    info.mtime = int(time.time())
    info.mode = mode
    if link is not None:
        info.type, info.linkname = tarfile.SYMTYPE, link
        tf.addfile(info)
    elif data is None:
        info.type = tarfile.DIRTYPE
        tf.addfile(info)
    else:
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))


def rootfs_tar() -> bytes:
    """The image's root filesystem as an uncompressed tar."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for d in _DIRS:
            _add(tf, d, mode=0o1777 if d in ("tmp", "var/tmp") else 0o755)
        # Mirror the host's top-level links into /usr (bin -> usr/bin, ...); on a host without merged
        # /usr the backend binds those dirs instead (see docker.py _host_bind_mounts).
        for name in ("bin", "lib", "lib32", "lib64", "libx32"):
            path = "/" + name
            if os.path.islink(path):
                _add(tf, name, link=os.readlink(path))
        _add(tf, "etc/passwd", mode=0o644, data=_PASSWD.encode())
        _add(tf, "etc/group", mode=0o644, data=_GROUP.encode())
        _add(tf, "etc/nsswitch.conf", mode=0o644, data=_NSSWITCH.encode())
    return buf.getvalue()


def build(tag: str = HOST_BIND_IMAGE, *, force: bool = False) -> str:
    """Import the host-bind image under `tag` (skipped when it exists, unless force). Returns its id."""
    import docker

    client = docker.from_env()
    try:
        if not force:
            try:
                return client.images.get(tag).id
            except docker.errors.ImageNotFound:
                pass
        repo, sep, version = tag.rpartition(":")
        if not sep or "/" in version:  # no tag given, or the colon belonged to a registry host:port
            repo, version = tag, "latest"
        changes = [f"LABEL {IMAGE_KIND_LABEL}=host-bind", "ENV PATH=/usr/local/bin:/usr/bin:/bin",
                   "WORKDIR /home"]
        client.api.import_image_from_data(rootfs_tar(), repository=repo, tag=version, changes=changes)
        return client.images.get(tag).id
    finally:
        client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tag", default=HOST_BIND_IMAGE, help=f"image name (default {HOST_BIND_IMAGE})")
    parser.add_argument("--force", action="store_true", help="rebuild even if the image exists")
    args = parser.parse_args(argv)
    try:
        import docker

        image_id = build(args.tag, force=args.force)
    except docker.errors.DockerException as exc:
        print(f"build_local_image: cannot reach the docker daemon ({exc}); start it with "
              "`sudo bash scripts/setup_system.sh`", file=sys.stderr)
        return 1
    print(f"{args.tag} {image_id[:19]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
