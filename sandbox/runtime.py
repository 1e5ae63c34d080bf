"""The per-sandbox runtime dir on the host, laid out so the agent can write only what it must.

    /tmp/mls-<harness pid>-XXXX/      0700, the harness's only (short: Unix socket paths max 107 bytes)
        box/                          0755, mounted READ-ONLY at /run/mle-sandbox inside
            forwarder.py              0644, the stdlib TCP->Unix forwarder (where socat is missing)
            grader/grader.sock        0666 socket of the validation server (connecting needs no write)
            kernels/                  0711 root: mounted writable, but only its per-kernel dirs are the
                <random>/             agent's (each locked back to root once its kernel is up)
        tmp/                          1777, the sandbox's /tmp when there is no quota volume
        fs/, workspace.img            the quota volume (sandbox/volume.py), when there is one

Commands reach the shell over its stdin and images and helper files are written through
sandbox.safefs, so no file the agent could redirect is ever written by the harness here.
`reap_stale()` removes what a harness that died left behind (after recovering its volume)."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sandbox import cgroups, volume

log = logging.getLogger(__name__)

PREFIX = "mls-"


@dataclass(frozen=True)
class RuntimeDir:
    root: Path  # private
    box: Path  # what the sandbox sees at /run/mle-sandbox

    @classmethod
    def create(cls) -> RuntimeDir:
        # Named after this process, so leftovers of a harness that was killed can be recognised.
        root = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
        root.chmod(0o700)
        box = root / "box"
        for path, mode in ((box, 0o755), (box / "grader", 0o755), (box / "kernels", 0o711)):
            path.mkdir()
            path.chmod(mode)
        shutil.copy(Path(__file__).with_name("forwarder.py"), box / "forwarder.py")
        (box / "forwarder.py").chmod(0o644)
        return cls(root, box)

    def plain_tmp(self) -> Path:
        """A sticky, world-writable tmp dir (used as /tmp when there is no quota volume)."""
        tmp = self.root / "tmp"
        tmp.mkdir(exist_ok=True)
        tmp.chmod(0o1777)
        return tmp

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def reap_stale() -> None:
    """Remove runtime dirs and cgroups of sandboxes whose harness died without closing them."""
    for d in Path(tempfile.gettempdir()).glob(f"{PREFIX}*-*"):
        pid = d.name[len(PREFIX):].split("-")[0]
        if not pid.isdigit() or cgroups.pid_alive(int(pid)):
            continue
        if (d / "box" / "forwarder.py").exists() or (d / "forwarder.py").exists():
            if (d / volume.STATE_FILE).exists() and not volume.recover(d):
                continue  # keep the image: it holds the only copy of that run's workspace
            shutil.rmtree(d, ignore_errors=True)
    if cgroups.usable():
        cgroups.reap_stale()
