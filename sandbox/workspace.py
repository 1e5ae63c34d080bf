"""The host side of a sandbox's files: creating the workspace and confining file access to it.

Paths from agents may be relative to the workspace ("submission/submission.csv", "data/train.csv"),
inside paths ("/home/code/x.py") or host paths under the workspace. Symlinks are followed by hand,
translating inside targets to host paths, so a link can never lead outside the workspace or the data dir."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from sandbox.backends.base import SandboxPaths
from sandbox.errors import SandboxPathError

SUBDIRS = ("submission", "code", "logs", "working")
MAX_LINKS = 40


def create_workspace(workspace: Path) -> None:
    workspace.mkdir(parents=True, exist_ok=True)
    for name in SUBDIRS:
        (workspace / name).mkdir(exist_ok=True)


class PathResolver:
    """Maps agent-supplied paths to host paths inside the workspace or the (read-only) data dir."""

    def __init__(self, host: SandboxPaths, inside: SandboxPaths) -> None:
        self.ws = Path(os.path.realpath(host.home))
        self.data = Path(os.path.realpath(host.data))
        # (prefix as written, host root) pairs, longest first so /home/data wins over /home.
        pairs = [(inside.data, self.data), (host.data, self.data), (inside.home, self.ws), (host.home, self.ws),
                 (str(self.data), self.data), (str(self.ws), self.ws)]
        self._roots = sorted({(str(PurePosixPath(p)), r) for p, r in pairs}, key=lambda x: -len(x[0]))

    def _to_host(self, path: str, original: str) -> Path:
        """Translate an absolute inside/host path to a host path (no symlink resolution)."""
        for prefix, root in self._roots:
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                rest = path[len(prefix):].lstrip("/")
                return root / rest if rest else root
        raise SandboxPathError(
            f"path {original!r} is outside the sandbox; use a path relative to the workspace "
            f"(e.g. 'submission/submission.csv', 'data/train.csv')"
        )

    def resolve(self, path: str) -> Path:
        """Host path for `path`, refusing `..`, outside absolute paths and symlinks leading out."""
        if not path or "\x00" in path:
            raise SandboxPathError(f"invalid path {path!r}")
        if ".." in PurePosixPath(path).parts:
            raise SandboxPathError(f"path {path!r} contains '..'; use a path inside the workspace")
        if path.startswith("/"):
            start = self._to_host(path, path)
        elif PurePosixPath(path).parts[:1] == ("data",):
            start = self.data.joinpath(*PurePosixPath(path).parts[1:])
        else:
            start = self.ws / path
        return self._follow(start, path)

    def _root_of(self, p: Path) -> Path | None:
        for root in (self.data, self.ws):  # data may live inside the workspace; check it first
            if p == root or root in p.parents:
                return root
        return None

    def _follow(self, start: Path, original: str) -> Path:
        root = self._root_of(start)
        if root is None:
            raise SandboxPathError(f"path {original!r} is outside the sandbox")
        current, todo, hops = root, list(start.relative_to(root).parts), 0
        while todo:
            part = todo.pop(0)
            if part in ("", "."):
                continue
            if part == "..":
                if current == root:
                    raise SandboxPathError(f"path {original!r} leads outside the sandbox through a symlink")
                current = current.parent
                continue
            candidate = current / part
            if not candidate.is_symlink():
                current = candidate
                continue
            hops += 1
            if hops > MAX_LINKS:
                raise SandboxPathError(f"too many symlinks in {original!r}")
            target = os.readlink(candidate)
            if target.startswith("/"):
                new = self._to_host(target, original)
                root = self._root_of(new)
                current, todo = root, list(new.relative_to(root).parts) + todo
            else:
                todo = list(PurePosixPath(target).parts) + todo
        return current

    def writable(self, host_path: Path, original: str) -> Path:
        if host_path == self.data or self.data in host_path.parents:
            raise SandboxPathError(f"{original!r} is in the read-only data dir; write under working/ or submission/")
        return host_path

    def to_relative(self, host_path: Path) -> str:
        """The workspace-relative name of a resolved host path (data files as data/...)."""
        if host_path == self.data or self.data in host_path.parents:
            return str(PurePosixPath("data") / host_path.relative_to(self.data))
        return str(host_path.relative_to(self.ws))


def read_text(resolver: PathResolver, path: str) -> str:
    p = resolver.resolve(path)
    if not p.is_file():
        raise SandboxPathError(f"no such file in the sandbox: {path!r}")
    fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "r", encoding="utf-8", errors="replace") as f:
        return f.read()


def write_text(resolver: PathResolver, path: str, content: str) -> None:
    p = resolver.writable(resolver.resolve(path), path)
    p.parent.mkdir(parents=True, exist_ok=True)
    resolver.resolve(path)  # re-check: parents created above must still resolve inside
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(content)


def list_dir(resolver: PathResolver, path: str = ".") -> list[str]:
    p = resolver.resolve(path)
    if not p.is_dir():
        raise SandboxPathError(f"not a directory in the sandbox: {path!r}")
    names = {e.name + ("/" if e.is_dir() else "") for e in os.scandir(p)}
    if p == resolver.ws:
        names.add("data/")
    return sorted(names)
