"""`str_replace_editor`: view, create, str_replace, insert and undo_edit over the sandbox's file API.

Every file access goes through `Sandbox.read_file` / `write_file` / `list_files`, which confine paths
to the workspace and never follow a link out of it. Sizes are asked from inside the sandbox first, so
a multi-gigabyte data file is never pulled into the harness's memory.
"""

from __future__ import annotations

import shlex
from collections import defaultdict
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from sandbox import SandboxPathError, truncate_middle

if TYPE_CHECKING:
    from sandbox import Sandbox

SNIPPET_LINES = 4  # lines of context shown around an edit
MAX_LISTED = 400  # entries of a directory view


class EditorError(Exception):
    """The command cannot be done; the message tells the model why and what to do instead."""


class Editor:
    def __init__(self, sandbox: Sandbox, view_max_chars: int, max_file_mb: float) -> None:
        self.sandbox = sandbox
        self.view_max_chars = view_max_chars
        self.max_bytes = int(max_file_mb * 1024 * 1024)
        self._history: dict[str, list[str]] = defaultdict(list)

    def run(self, args: dict[str, Any]) -> str:
        command, path = args.get("command"), args.get("path")
        handlers = {"view": self._view, "create": self._create, "str_replace": self._str_replace,
                    "insert": self._insert, "undo_edit": self._undo}
        if command not in handlers:
            raise EditorError(f"unknown command {command!r}; use one of {', '.join(handlers)}")
        if not isinstance(path, str) or not path.startswith("/"):
            raise EditorError(f"path must be absolute (e.g. {self.sandbox.paths.code}/train.py), got {path!r}")
        if ".." in PurePosixPath(path).parts:
            raise EditorError(f"path {path!r} contains '..'; give the absolute path directly")
        try:
            return handlers[command](path, args)
        except (SandboxPathError, OSError) as exc:
            raise EditorError(str(exc)) from None

    # ---- reading -------------------------------------------------------------------------------
    def _kind(self, path: str) -> tuple[str, int]:
        """("file" | "dir" | "missing", size in bytes), asked inside the sandbox."""
        result = self.sandbox.shell.run(f"stat -L -c '%F %s' -- {shlex.quote(path)} 2>/dev/null", timeout=30)
        out = result.output.strip()
        if result.exit_code != 0 or not out:
            return "missing", 0
        kind, _, size = out.rpartition(" ")
        return ("dir" if kind == "directory" else "file"), int(size) if size.isdigit() else 0

    def _read(self, path: str, known: tuple[str, int] | None = None) -> str:
        kind, size = known or self._kind(path)
        if kind == "missing":
            raise EditorError(f"{path} does not exist")
        if kind == "dir":
            raise EditorError(f"{path} is a directory; only `view` works on directories")
        if size > self.max_bytes:
            raise EditorError(f"{path} is {size / 1e6:.1f} MB, too big for the editor; look at parts of it with "
                              f"head, sed -n 'A,Bp' or grep -n in execute_bash")
        content = self.sandbox.read_file(path)
        if "\x00" in content:
            raise EditorError(f"{path} looks binary; the editor only handles text files")
        return content

    def _view(self, path: str, args: dict[str, Any]) -> str:
        known = self._kind(path)
        if known[0] == "dir":
            if args.get("view_range"):
                raise EditorError("view_range works on files, not on directories")
            return self._view_dir(path)
        lines = self._read(path, known).split("\n")
        first, last = 1, len(lines)
        if args.get("view_range") is not None:
            first, last = _check_range(args["view_range"], len(lines))
        body = _numbered(lines[first - 1: last], first)
        if len(body) > self.view_max_chars:
            body = body[: self.view_max_chars] + ("\n<response clipped: the file is longer than this view. Use "
                                                   "view_range, or grep -n in execute_bash, to see other parts>")
        return f"Content of {path} (lines {first}-{last}, numbered like cat -n):\n{body}"

    def _view_dir(self, path: str) -> str:
        entries: list[str] = []
        for name in self.sandbox.list_files(path):
            if name.startswith("."):
                continue
            entries.append(f"{path.rstrip('/')}/{name}")
            if name.endswith("/"):
                try:
                    sub = self.sandbox.list_files(f"{path.rstrip('/')}/{name}")
                except SandboxPathError:
                    continue
                entries += [f"{path.rstrip('/')}/{name}{s}" for s in sub if not s.startswith(".")]
            if len(entries) > MAX_LISTED:
                entries.append(f"... (more than {MAX_LISTED} entries; use ls or find in execute_bash)")
                break
        listing = "\n".join(entries) or "(empty)"
        return f"Files and folders in {path}, two levels deep, hidden ones left out:\n{listing}"

    # ---- writing -------------------------------------------------------------------------------
    def _create(self, path: str, args: dict[str, Any]) -> str:
        text = args.get("file_text")
        if not isinstance(text, str):
            raise EditorError("create needs file_text (the content of the new file)")
        if self._kind(path)[0] != "missing":
            raise EditorError(f"{path} already exists; `create` never overwrites. Edit it with str_replace or "
                              "insert, or remove it first")
        self.sandbox.write_file(path, text)
        return f"Created {path} ({len(text.splitlines())} lines)."

    def _str_replace(self, path: str, args: dict[str, Any]) -> str:
        old, new = args.get("old_str"), args.get("new_str") or ""
        if not isinstance(old, str) or not old:
            raise EditorError("str_replace needs a non-empty old_str")
        content = self._read(path)
        count = content.count(old)
        if count == 0:
            raise EditorError(f"old_str does not occur in {path} exactly as given (check whitespace and "
                              "indentation); view the file to copy the text")
        if count > 1:
            lines = [i + 1 for i, line in enumerate(content.split("\n")) if old.split("\n")[0] in line]
            raise EditorError(f"old_str occurs {count} times in {path} (lines {lines[:10]}); add surrounding "
                              "lines to make it unique")
        start_line = content[: content.index(old)].count("\n") + 1
        updated = content.replace(old, new, 1)
        self._write(path, content, updated)
        return self._edited(path, updated, start_line, start_line + new.count("\n"))

    def _insert(self, path: str, args: dict[str, Any]) -> str:
        line, new = args.get("insert_line"), args.get("new_str")
        if not isinstance(new, str):
            raise EditorError("insert needs new_str (the text to insert)")
        content = self._read(path)
        lines = content.split("\n")
        if not isinstance(line, int) or not 0 <= line <= len(lines):
            raise EditorError(f"insert_line must be an integer from 0 to {len(lines)}, got {line!r}")
        updated = "\n".join(lines[:line] + new.split("\n") + lines[line:])
        self._write(path, content, updated)
        return self._edited(path, updated, line + 1, line + new.count("\n") + 1)

    def _undo(self, path: str, args: dict[str, Any]) -> str:
        if not self._history[path]:
            raise EditorError(f"no edit of {path} to undo (creations and edits before a resume cannot be undone)")
        previous = self._history[path].pop()
        self.sandbox.write_file(path, previous)
        return f"Undid the last edit of {path}. It now reads:\n{_clip(_numbered(previous.split(chr(10)), 1), self.view_max_chars)}"

    def _write(self, path: str, old: str, new: str) -> None:
        self.sandbox.write_file(path, new)
        self._history[path].append(old)

    def _edited(self, path: str, content: str, first: int, last: int) -> str:
        lines = content.split("\n")
        lo, hi = max(1, first - SNIPPET_LINES), min(len(lines), last + SNIPPET_LINES)
        snippet = _clip(_numbered(lines[lo - 1: hi], lo), self.view_max_chars)
        return (f"Edited {path}. Lines {lo}-{hi} now read:\n{snippet}\n"
                "Check that the change is what you meant; edit again if not.")


def _numbered(lines: list[str], first: int) -> str:
    return "\n".join(f"{n:6}\t{line}" for n, line in enumerate(lines, first))


def _clip(text: str, limit: int) -> str:
    return truncate_middle(text, limit)


def _check_range(view_range: Any, n_lines: int) -> tuple[int, int]:
    if not (isinstance(view_range, list) and len(view_range) == 2 and all(isinstance(v, int) for v in view_range)):
        raise EditorError(f"view_range must be two integers [first, last], got {view_range!r}")
    first, last = view_range
    last = n_lines if last == -1 else last
    if not 1 <= first <= n_lines:
        raise EditorError(f"view_range starts at {first}, but the file has lines 1-{n_lines}")
    if last < first:
        raise EditorError(f"view_range ends at {last}, before its start {first} (use -1 for the end of the file)")
    return first, min(last, n_lines)
