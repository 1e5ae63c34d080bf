"""Build the local "host-bind" sandbox image with no registry access, in about a second.

The image is an almost empty root filesystem (directories, /etc/passwd, /etc/group, the /bin and /lib
symlinks of a merged-/usr host) made here as a tar and loaded with `docker import`. Nothing is
downloaded. At run time the docker backend bind-mounts the host's /usr, the harness's Python prefix and
virtualenv read-only, so the container has the same ML stack as the host with nothing to install.
Use it for tests and local runs; for a self-contained image build sandbox/docker/Dockerfile instead.

    python3 sandbox/docker/build_local_image.py [--tag mle-suite/hostbind:local] [--force]
    (or python -m sandbox.docker.build_local_image; standard library only, any python3)
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tarfile
import time

HOST_BIND_IMAGE = "mle-suite/hostbind:local"
IMAGE_KIND_LABEL = "mle-suite.image-kind"  # "host-bind": the backend adds the host binds
AGENT_UID = 1500  # sandbox.backends.base.AGENT_UID (this script is stdlib-only, so a copy)

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


def _docker(*args: str, data: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], input=data, capture_output=True, check=False)


def build(tag: str = HOST_BIND_IMAGE, *, force: bool = False) -> str:
    """Import the host-bind image under `tag` (kept when it exists, unless force); returns its id.
    Uses only the docker CLI and the standard library, so it runs before any virtualenv exists."""
    if not force:
        found = _docker("image", "inspect", "--format", "{{.Id}}", tag)
        if found.returncode == 0:
            return found.stdout.decode().strip()
    changes = [f"LABEL {IMAGE_KIND_LABEL}=host-bind", "ENV PATH=/usr/local/bin:/usr/bin:/bin", "WORKDIR /home"]
    args = [x for c in changes for x in ("--change", c)]
    done = _docker("import", *args, "-", tag, data=rootfs_tar())
    if done.returncode != 0:
        raise RuntimeError(f"docker import failed: {done.stderr.decode().strip()}")
    return done.stdout.decode().strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tag", default=HOST_BIND_IMAGE, help=f"image name (default {HOST_BIND_IMAGE})")
    parser.add_argument("--force", action="store_true", help="rebuild even if the image exists")
    args = parser.parse_args(argv)
    if shutil.which("docker") is None:
        print("build_local_image: the docker CLI is missing; run `sudo bash scripts/setup_system.sh`",
              file=sys.stderr)
        return 1
    try:
        image_id = build(args.tag, force=args.force)
    except RuntimeError as exc:
        print(f"build_local_image: {exc}; is the daemon running? (`sudo bash scripts/setup_system.sh`)",
              file=sys.stderr)
        return 1
    print(f"{args.tag} {image_id[:19]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
