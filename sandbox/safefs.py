"""Host-side operations on agent-writable trees that never follow a link the agent could plant.

Every path is resolved once, one component at a time, relative to a trusted directory (a workspace
or data root the harness created): each component is opened with O_NOFOLLOW relative to the fd of
the one before it, `..` is refused, and anything that is not a regular file or a directory is refused.
The work is then done on the opened fd (copy first, then validate or grade the copy), so swapping a
path for a link after the check changes nothing. Harness files are written to a fresh name with
O_EXCL|O_NOFOLLOW and renamed into place, so the harness never writes into an inode the agent chose.

Copies are capped (a file over the cap is refused with the reason) and sparse-aware (holes are skipped,
not read), so a sparse 500 MiB file costs neither 500 MiB of reads nor of disk.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from sandbox.errors import SandboxPathError

READ_LIMIT = 16 * 2**20  # read_file: text an agent loop puts in a prompt never needs more
COPY_LIMIT = 2 * 2**30  # copy_out: larger than any MLE-bench submission (the largest answers are ~1 GiB)
CHUNK = 2**20
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK  # NONBLOCK: a FIFO must not hang us


class FileTooLarge(SandboxPathError):
    """A file is over the size cap of the operation (the message gives both sizes)."""


def split(rel: str | PurePosixPath) -> list[str]:
    """Components of a relative path; '..', absolute paths and NUL bytes are refused."""
    text = str(rel)
    if "\x00" in text:
        raise SandboxPathError(f"invalid path {text!r}")
    if text.startswith("/"):
        raise SandboxPathError(f"expected a relative path, got {text!r}")
    parts = [p for p in PurePosixPath(text).parts if p not in ("", ".")]
    if ".." in parts:
        raise SandboxPathError(f"path {text!r} contains '..'; use a path inside the workspace")
    return parts


def _refuse(name: str, st: os.stat_result, want: str) -> SandboxPathError:
    kind = ("a symbolic link" if stat.S_ISLNK(st.st_mode) else "a directory" if stat.S_ISDIR(st.st_mode)
            else "a regular file" if stat.S_ISREG(st.st_mode) else "a special file (fifo, socket or device)")
    return SandboxPathError(f"{name!r} is {kind}, not {want}; the harness never follows links in the workspace")


def open_root(root: Path) -> int:
    """An fd on a trusted root directory (its own path is the harness's, not the agent's)."""
    return os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)


def _open_dir_at(parent: int, name: str, shown: str, create: bool = False, owner: tuple[int, int] | None = None) -> int:
    try:
        return os.open(name, DIR_FLAGS, dir_fd=parent)
    except FileNotFoundError:
        if not create:
            raise SandboxPathError(f"no such directory in the sandbox: {shown!r}") from None
        try:
            os.mkdir(name, 0o755, dir_fd=parent)
        except FileExistsError:
            pass
        fd = os.open(name, DIR_FLAGS, dir_fd=parent)
        if owner is not None:
            os.fchown(fd, *owner)
        return fd
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise _refuse(shown, os.stat(name, dir_fd=parent, follow_symlinks=False), "a directory") from None
        raise


@contextmanager
def open_dir(root: Path, rel: str | PurePosixPath = "", *, create: bool = False,
             owner: tuple[int, int] | None = None) -> Iterator[int]:
    """fd of directory `rel` under `root`, walked without following links (created when asked)."""
    fd = open_root(root)
    try:
        shown = ""
        for part in split(rel):
            shown = f"{shown}/{part}" if shown else part
            nxt = _open_dir_at(fd, part, shown, create, owner)
            os.close(fd)
            fd = nxt
        yield fd
    finally:
        os.close(fd)


def parent_and_name(rel: str | PurePosixPath) -> tuple[str, str]:
    parts = split(rel)
    if not parts:
        raise SandboxPathError("a file path is needed, not the workspace root")
    return "/".join(parts[:-1]), parts[-1]


@contextmanager
def open_file(root: Path, rel: str | PurePosixPath) -> Iterator[tuple[int, os.stat_result]]:
    """(fd, fstat) of regular file `rel` under `root`; links, FIFOs, sockets and devices are refused."""
    parent, name = parent_and_name(rel)
    with open_dir(root, parent) as dfd:
        try:
            fd = os.open(name, FILE_FLAGS, dir_fd=dfd)
        except FileNotFoundError:
            raise SandboxPathError(f"no such file in the sandbox: {str(rel)!r}") from None
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR):
                raise _refuse(str(rel), os.stat(name, dir_fd=dfd, follow_symlinks=False), "a regular file") from None
            raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(str(rel), st, "a regular file")
        os.set_blocking(fd, True)
        yield fd, st
    finally:
        os.close(fd)


def read_bytes(root: Path, rel: str | PurePosixPath, limit: int = READ_LIMIT) -> bytes:
    with open_file(root, rel) as (fd, st):
        if st.st_size > limit:
            raise FileTooLarge(f"{str(rel)!r} is {st.st_size / 2**20:.1f} MiB, over the {limit / 2**20:.0f} MiB "
                               "limit for reading it whole; read part of it with the shell (head, tail) instead")
        chunks, total = [], 0
        while chunk := os.read(fd, min(CHUNK, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew after fstat
                raise FileTooLarge(f"{str(rel)!r} grew past the {limit / 2**20:.0f} MiB read limit while being read")
        return b"".join(chunks)


def copy_fd(src: int, dst: int, size: int, limit: int, shown: str) -> None:
    """Copy `size` bytes of data from src to dst, skipping holes (SEEK_DATA/SEEK_HOLE); never more than
    `limit` bytes of apparent size."""
    if size > limit:
        raise FileTooLarge(f"{shown!r} is {size / 2**20:.1f} MiB, over the {limit / 2**20:.0f} MiB copy limit")
    pos = 0
    while pos < size:
        try:
            data = os.lseek(src, pos, os.SEEK_DATA)
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: only a hole is left
                raise
            break
        end = min(os.lseek(src, data, os.SEEK_HOLE), size)
        os.lseek(src, data, os.SEEK_SET)
        os.lseek(dst, data, os.SEEK_SET)
        left = end - data
        while left > 0:
            chunk = os.read(src, min(CHUNK, left))
            if not chunk:
                break
            os.write(dst, chunk)
            left -= len(chunk)
        pos = end
    os.ftruncate(dst, size)


def _fresh_name(name: str) -> str:
    return f".{name}.mls-{uuid.uuid4().hex[:12]}"


def write_at(dir_fd: int, name: str, data: bytes | None = None, *, src: tuple[int, int] | None = None,
             mode: int = 0o644, owner: tuple[int, int] | None = None, limit: int = COPY_LIMIT) -> None:
    """Write `data` (or copy the open file src=(fd, size)) to `name` in dir_fd: a fresh name created
    with O_EXCL|O_NOFOLLOW, then renamed over `name` (a link or file planted there is replaced, never
    written through)."""
    tmp = _fresh_name(name)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=dir_fd)
    try:
        try:
            if src is not None:
                copy_fd(src[0], fd, src[1], limit, name)
            else:
                view = memoryview(data or b"")
                while view:
                    view = view[os.write(fd, view[:CHUNK]):]
            os.fchmod(fd, mode)  # umask-free, and never a setid bit
            if owner is not None:
                os.fchown(fd, *owner)
        finally:
            os.close(fd)
        if _is_dir_at(dir_fd, name):
            raise SandboxPathError(f"{name!r} is a directory; it was not replaced by a file")
        os.rename(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        try:
            os.unlink(tmp, dir_fd=dir_fd)
        except OSError:
            pass
        raise


def _is_dir_at(dir_fd: int, name: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return False


def write_bytes(root: Path, rel: str | PurePosixPath, data: bytes, *, mode: int = 0o644,
                owner: tuple[int, int] | None = None) -> None:
    """Write a file under root (parent dirs created, owned by `owner`), never through a link."""
    parent, name = parent_and_name(rel)
    with open_dir(root, parent, create=True, owner=owner) as dfd:
        write_at(dfd, name, data, mode=mode, owner=owner)


def copy_out(root: Path, rel: str | PurePosixPath, dest: Path, limit: int = COPY_LIMIT) -> Path:
    """Copy regular file `rel` under root to the host path `dest` (a path the harness chose; its parent
    is created). The copy is written to a fresh name and renamed, sparse-aware, at most `limit` bytes."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open_file(root, rel) as (fd, st):
        dfd = os.open(dest.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            write_at(dfd, dest.name, src=(fd, st.st_size), mode=0o644, limit=limit)
        finally:
            os.close(dfd)
    return dest


def copy_in(src: Path, root: Path, rel: str | PurePosixPath, *, owner: tuple[int, int] | None = None,
            limit: int = COPY_LIMIT) -> None:
    """Copy the harness's own file `src` to `rel` under root, never through a link."""
    parent, name = parent_and_name(rel)
    fd = os.open(src, os.O_RDONLY | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SandboxPathError(f"{src} is not a regular file")
        with open_dir(root, parent, create=True, owner=owner) as dfd:
            write_at(dfd, name, src=(fd, st.st_size), owner=owner, limit=limit)
    finally:
        os.close(fd)


def clear_dir(root: Path, rel: str | PurePosixPath, *, owner: tuple[int, int] | None = None) -> None:
    """Make `rel` under root an empty real directory: its entries are removed without following any
    link; if `rel` itself was replaced by a link or a file, that entry is removed and a directory made."""
    parent, name = parent_and_name(rel)
    with open_dir(root, parent, create=True, owner=owner) as pfd:
        try:
            st = os.stat(name, dir_fd=pfd, follow_symlinks=False)
        except FileNotFoundError:
            st = None
        if st is not None and not stat.S_ISDIR(st.st_mode):
            os.unlink(name, dir_fd=pfd)  # a link or file standing where the directory should be
        with open_dir(root, rel, create=True, owner=owner) as dfd:
            remove_entries(dfd)


def remove_entries(dfd: int) -> None:
    """Remove everything in an open directory; links are removed, never followed."""
    for name in os.listdir(dfd):
        try:
            st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
        except FileNotFoundError:
            continue
        if stat.S_ISDIR(st.st_mode):
            shutil.rmtree(name, dir_fd=dfd)  # the fd-based rmtree: it never follows links either
        else:
            os.unlink(name, dir_fd=dfd)


def list_names(root: Path, rel: str | PurePosixPath = "") -> list[str]:
    """Entries of a directory, directories with a trailing '/' (links are listed, not followed)."""
    with open_dir(root, rel) as fd:
        out = []
        for name in os.listdir(fd):
            try:
                is_dir = stat.S_ISDIR(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)
            except FileNotFoundError:
                continue
            out.append(name + "/" if is_dir else name)
        return sorted(out)


def is_regular_file(root: Path, rel: str | PurePosixPath) -> bool:
    try:
        with open_file(root, rel):
            return True
    except SandboxPathError:
        return False


def strip_setid(root: Path) -> int:
    """Clear setuid/setgid bits under root (never following links); returns how many were cleared."""
    cleared = 0
    with open_dir(root) as top:
        stack = [os.dup(top)]
        while stack:
            dfd = stack.pop()
            try:
                for name in os.listdir(dfd):
                    try:
                        st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
                        if stat.S_ISDIR(st.st_mode):
                            stack.append(os.open(name, DIR_FLAGS, dir_fd=dfd))
                        if st.st_mode & (stat.S_ISUID | stat.S_ISGID) and not stat.S_ISLNK(st.st_mode):
                            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                                         dir_fd=dfd)
                            try:
                                os.fchmod(fd, stat.S_IMODE(os.fstat(fd).st_mode) & ~(stat.S_ISUID | stat.S_ISGID))
                                cleared += 1
                            finally:
                                os.close(fd)
                    except OSError:
                        continue
            finally:
                os.close(dfd)
    return cleared
