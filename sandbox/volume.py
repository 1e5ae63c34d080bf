"""A disk and inode quota for one sandbox: its workspace and /tmp live on a size-limited ext4 image.

While the sandbox is open, an ext4 image (sparse: it takes only the space written) is loop-mounted
with nosuid,nodev in the sandbox's private runtime dir; its home/ is bound onto the host workspace
(also nosuid,nodev, so the run dir shows progress live and no setuid file there is ever honoured)
and its tmp/ is the sandbox's /tmp. The agent gets ENOSPC ("No space left on device") at the quota;
the shell and scripts then say "disk quota exceeded" (see `quota_note`).

At close the tree is copied back into the plain workspace dir (regular files, directories and links
as links; setuid/setgid bits dropped; FIFOs, sockets and devices skipped), then everything is unmounted
and the image deleted. A harness that dies with the volume mounted leaves a `volume.json`; the next
sandbox opened recovers that workspace the same way (`recover`), so no agent work is lost.

Needs root, mkfs.ext4 and loop devices; elsewhere `usable()` is False and the workspace is a plain dir.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sandbox import safefs
from sandbox.errors import SandboxError

log = logging.getLogger(__name__)

STATE_FILE = "volume.json"
BYTES_PER_INODE_MIN = 4096


def usable() -> bool:
    """Root, mkfs.ext4 and loop devices: a quota volume can be made here."""
    return (os.geteuid() == 0 and shutil.which("mkfs.ext4") is not None and shutil.which("mount") is not None
            and os.path.exists("/dev/loop-control"))


def _run(argv: list[str]) -> None:
    r = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise SandboxError(f"{' '.join(argv[:2])} failed: {(r.stderr or r.stdout).strip()[-400:]}")


def _mounted(path: Path) -> bool:
    target = os.path.realpath(path)
    with open("/proc/self/mountinfo") as f:
        return any(line.split()[4] == target for line in f)


def _umount(path: Path) -> None:
    if not _mounted(path):
        return
    r = subprocess.run(["umount", str(path)], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:  # still busy (a process of the sandbox not reaped yet): detach lazily
        log.warning("umount %s: %s; detaching it lazily", path, r.stderr.strip())
        _run(["umount", "-l", str(path)])


@dataclass(frozen=True)
class VolumeState:
    image: str
    mount: str
    workspace: str

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.__dict__))

    @classmethod
    def load(cls, path: Path) -> VolumeState:
        return cls(**json.loads(path.read_text()))


class Volume:
    """Create with `open(...)`; `home` and `tmp` are the host dirs to bind; `close()` copies back."""

    def __init__(self, state: VolumeState, state_path: Path) -> None:
        self.state, self._state_path = state, state_path
        self.home = Path(state.mount) / "home"
        self.tmp = Path(state.mount) / "tmp"

    @classmethod
    def open(cls, private: Path, workspace: Path, size_mb: int, max_files: int,
             owner: tuple[int, int] | None) -> Volume:
        image, mount = private / "workspace.img", private / "fs"
        mount.mkdir(mode=0o700)
        state = VolumeState(str(image), str(mount), str(workspace))
        vol = cls(state, private / STATE_FILE)
        inodes = max(min(max_files, size_mb * 2**20 // BYTES_PER_INODE_MIN), 64)
        with open(image, "wb") as f:
            f.truncate(size_mb * 2**20)
        uid, gid = owner or (os.getuid(), os.getgid())
        _run(["mkfs.ext4", "-q", "-F", "-m", "0", "-N", str(inodes), "-L", "mle-sandbox",
              "-E", f"lazy_itable_init=1,lazy_journal_init=1,root_owner={uid}:{gid}", str(image)])
        _run(["mount", "-o", "loop,nosuid,nodev,noatime,discard", str(image), str(mount)])
        state.save(vol._state_path)  # from here on a crash leaves something to recover
        try:
            shutil.rmtree(mount / "lost+found", ignore_errors=True)
            vol.tmp.mkdir(mode=0o1777)
            vol.tmp.chmod(0o1777)  # sticky, like /tmp (mkdir's mode is masked by the umask)
            vol.home.mkdir()
            os.chown(vol.home, uid, gid)
            if any(workspace.iterdir()):  # a resumed run: its files go onto the volume
                copy_tree(workspace, vol.home, owner=owner)
            _run(["mount", "--bind", str(vol.home), str(workspace)])
            _run(["mount", "-o", "remount,bind,nosuid,nodev", str(workspace)])
        except BaseException:
            vol.close()
            raise
        return vol

    def usage(self) -> tuple[int, int, int, int]:
        """(bytes free, bytes total, files free, files total)."""
        st = os.statvfs(self.state.mount)
        return st.f_bavail * st.f_frsize, st.f_blocks * st.f_frsize, st.f_favail, st.f_files

    def full(self) -> bool:
        free, total, ffree, _ = self.usage()
        return free < max(total // 1000, 1 << 20) or ffree < 16

    def quota_note(self) -> str:
        _, total, _, files = self.usage()
        return (f"\n[disk quota exceeded: the workspace and /tmp together hold at most {total / 2**20:.0f} MiB "
                f"and {files} files; delete files (e.g. in /tmp or working/) to go on]")

    def close(self) -> None:
        """Copy the tree back into the workspace dir, unmount, delete the image. Idempotent."""
        st, workspace = self.state, Path(self.state.workspace)
        if not Path(st.image).exists():
            return
        _umount(workspace)
        if _mounted(Path(st.mount)):
            with safefs.open_dir(workspace) as fd:
                safefs.remove_entries(fd)  # the pre-open contents: the volume holds them, updated
            if self.home.is_dir():
                copy_tree(self.home, workspace, owner=None)
            _umount(Path(st.mount))
        Path(st.image).unlink(missing_ok=True)
        self._state_path.unlink(missing_ok=True)


def recover(private: Path) -> bool:
    """Copy back and unmount the volume a dead harness left in `private`; True if there was one."""
    path = private / STATE_FILE
    if not path.exists():
        return False
    try:
        Volume(VolumeState.load(path), path).close()
    except (OSError, ValueError, TypeError, SandboxError) as exc:
        log.error("could not recover the sandbox volume in %s: %s (image kept)", private, exc)
        return False
    log.warning("recovered the workspace of a sandbox whose harness died (runtime dir %s)", private)
    return True


def copy_tree(src: Path, dst: Path, owner: tuple[int, int] | None) -> None:
    """Copy src's tree into the existing dir dst, never following links: regular files (sparse-aware,
    setid bits dropped), directories, links as links; FIFOs, sockets and devices are skipped."""
    with safefs.open_dir(src) as sfd, safefs.open_dir(dst) as dfd:
        _copy_entries(sfd, dfd, owner)


def _copy_entries(sfd: int, dfd: int, owner: tuple[int, int] | None) -> None:
    for name in os.listdir(sfd):
        st = os.stat(name, dir_fd=sfd, follow_symlinks=False)
        mode = stat.S_IMODE(st.st_mode) & ~(stat.S_ISUID | stat.S_ISGID)
        if stat.S_ISDIR(st.st_mode):
            try:
                os.mkdir(name, 0o700, dir_fd=dfd)
            except FileExistsError:
                pass
            sub_s = os.open(name, safefs.DIR_FLAGS, dir_fd=sfd)
            sub_d = os.open(name, safefs.DIR_FLAGS, dir_fd=dfd)
            try:
                _copy_entries(sub_s, sub_d, owner)
                os.fchmod(sub_d, mode)
                if owner is not None:
                    os.fchown(sub_d, *owner)
            finally:
                os.close(sub_s)
                os.close(sub_d)
        elif stat.S_ISREG(st.st_mode):
            fd = os.open(name, safefs.FILE_FLAGS, dir_fd=sfd)
            try:
                safefs.write_at(dfd, name, src=(fd, os.fstat(fd).st_size), mode=mode, owner=owner, limit=1 << 62)
            finally:
                os.close(fd)
        elif stat.S_ISLNK(st.st_mode):
            os.symlink(os.readlink(name, dir_fd=sfd), name, dir_fd=dfd)
            if owner is not None:
                os.chown(name, *owner, dir_fd=dfd, follow_symlinks=False)
        else:
            log.warning("not copying %s out of the sandbox volume: not a file, directory or link", name)
