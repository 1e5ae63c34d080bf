"""The host side of a sandbox's files: creating the workspace and naming agent paths safely.

Paths from agents may be relative to the workspace ("submission/submission.csv", "data/train.csv"),
inside paths ("/home/code/x.py") or host paths under the workspace. `PathResolver` turns one into a
trusted root (the workspace or the read-only data dir) and a relative path under it, by text alone:
no link is ever followed, and absolute link targets are never mapped into the workspace. Every
operation on the result goes through sandbox.safefs, which opens each component with O_NOFOLLOW.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sandbox import safefs
from sandbox.backends.base import SandboxPaths
from sandbox.errors import SandboxPathError

SUBDIRS = ("submission", "code", "logs", "working")


def create_workspace(workspace: Path, owner: tuple[int, int] | None = None) -> None:
    """The workspace root and its subdirs, owned by the agent's uid (they are the agent's to write)."""
    workspace.mkdir(parents=True, exist_ok=True)
    if owner is not None:
        os.chown(workspace, *owner)
    for name in SUBDIRS:
        with safefs.open_dir(workspace, name, create=True, owner=owner):
            pass


@dataclass(frozen=True)
class Located:
    """A trusted root and a path under it (components already checked: no '..', not absolute)."""

    root: Path
    rel: str
    in_data: bool

    @property
    def shown(self) -> str:
        return f"data/{self.rel}".rstrip("/") if self.in_data else self.rel or "."


class PathResolver:
    """Maps agent-supplied paths to (root, relative path) in the workspace or the (read-only) data dir."""

    def __init__(self, host: SandboxPaths, inside: SandboxPaths) -> None:
        self.ws = Path(os.path.realpath(host.home))
        self.data = Path(os.path.realpath(host.data))
        # (prefix as written, root) pairs, longest first so /home/data wins over /home.
        pairs = [(inside.data, True), (host.data, True), (str(self.data), True),
                 (inside.home, False), (host.home, False), (str(self.ws), False)]
        self._prefixes = sorted({(str(PurePosixPath(p)), d) for p, d in pairs}, key=lambda x: -len(x[0]))

    def locate(self, path: str) -> Located:
        """Where `path` lives; SandboxPathError for '..', NUL bytes and paths outside the sandbox."""
        if not path or "\x00" in path:
            raise SandboxPathError(f"invalid path {path!r}")
        if ".." in PurePosixPath(path).parts:
            raise SandboxPathError(f"path {path!r} contains '..'; use a path inside the workspace")
        if path.startswith("/"):
            for prefix, in_data in self._prefixes:
                if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                    return self._located(path[len(prefix):].lstrip("/"), in_data)
            raise SandboxPathError(
                f"path {path!r} is outside the sandbox; use a path relative to the workspace "
                f"(e.g. 'submission/submission.csv', 'data/train.csv')")
        parts = PurePosixPath(path).parts
        if parts[:1] == ("data",):
            return self._located("/".join(parts[1:]), True)
        return self._located(path, False)

    def _located(self, rel: str, in_data: bool) -> Located:
        rel = "/".join(safefs.split(rel))
        return Located(self.data if in_data else self.ws, rel, in_data)

    def writable(self, path: str) -> Located:
        loc = self.locate(path)
        if loc.in_data:
            raise SandboxPathError(f"{path!r} is in the read-only data dir; write under working/ or submission/")
        if not loc.rel:
            raise SandboxPathError(f"{path!r} is the workspace root, not a file")
        return loc

    def inside_path(self, loc: Located, inside: SandboxPaths) -> str:
        """The path the agent's processes see for a located file."""
        base = inside.data if loc.in_data else inside.home
        return str(PurePosixPath(base) / loc.rel) if loc.rel else base
