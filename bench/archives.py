"""Archive checks and extraction (zip, tar, tar.gz/bz2/xz, 7z when py7zr is installed).

Members are extracted only inside the destination: absolute paths and `..` are refused, since
archives come from the network or from a user's disk.
"""

from __future__ import annotations

import logging
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

logger = logging.getLogger(__name__)

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".7z")


class ArchiveError(RuntimeError):
    """The archive is unreadable, truncated, of an unknown type, or unsafe."""


def archive_kind(path: Path) -> str:
    name = path.name.lower()
    for suffix in (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar"):
        if name.endswith(suffix):
            return "tar"
    if name.endswith(".zip") or zipfile.is_zipfile(path):
        return "zip"
    if name.endswith(".7z"):
        return "7z"
    if tarfile.is_tarfile(path):
        return "tar"
    raise ArchiveError(f"{path} is not an archive this tool can read (expected one of {ARCHIVE_SUFFIXES})")


def _safe_name(name: str, archive: Path) -> str:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith("/") or ".." in parts:
        raise ArchiveError(f"{archive} contains an unsafe member path {name!r}; refusing to extract it")
    return "/".join(parts)


def verify_archive(path: Path) -> None:
    """Read every member once (CRC checks) so a truncated download is caught before extraction."""
    kind = archive_kind(path)
    hint = "delete it and download it again (or pass a good copy with --archive)"
    try:
        if kind == "zip":
            with zipfile.ZipFile(path) as zf:
                bad = zf.testzip()
            if bad is not None:
                raise ArchiveError(f"{path} is corrupt (bad CRC in {bad!r}); {hint}")
        elif kind == "tar":
            with tarfile.open(path, "r:*") as tf:
                for member in tf:
                    if member.isfile():
                        handle = tf.extractfile(member)
                        while handle is not None and handle.read(1 << 20):
                            pass
        else:
            import py7zr

            with py7zr.SevenZipFile(path, "r") as sz:
                if not sz.test():
                    raise ArchiveError(f"{path} is corrupt; {hint}")
    except ArchiveError:
        raise
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, EOFError) and exc.errno is not None:
            raise
        raise ArchiveError(f"{path} is corrupt or truncated ({exc}); {hint}") from None
    except ImportError:
        raise ArchiveError(f"{path} is a 7z archive; install py7zr to read it") from None


def extract_archive(path: Path, dest: Path) -> None:
    """Extract all members of `path` under `dest` (created if needed)."""
    kind = archive_kind(path)
    dest.mkdir(parents=True, exist_ok=True)
    try:
        if kind == "zip":
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    _safe_name(info.filename, path)
                zf.extractall(dest)
        elif kind == "tar":
            with tarfile.open(path, "r:*") as tf:
                for member in tf.getmembers():
                    _safe_name(member.name, path)
                    if member.issym() or member.islnk():
                        raise ArchiveError(f"{path} contains a link {member.name!r}; refusing it")
                tf.extractall(dest, filter="data")
        else:
            import py7zr

            with py7zr.SevenZipFile(path, "r") as sz:
                for name in sz.getnames():
                    _safe_name(name, path)
                sz.extractall(dest)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError) as exc:
        raise ArchiveError(f"{path} could not be extracted ({exc}); it may be truncated") from None
