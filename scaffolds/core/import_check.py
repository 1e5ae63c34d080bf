"""The `import_check` aid: catch a script's missing and wrong imports before it runs.

A 1.5B model that rewrites a script often drops an import line (NameError on `pd`) or imports a class
from the wrong module (`from sklearn.preprocessing import ColumnTransformer`). Either costs a whole step
to find by running the script: minutes on a CPU. Found here, the scaffold asks the model for the import
lines alone (a reply of a few tokens) and puts them in place. The model writes every line; this module
only finds what is missing, reads import statements out of a reply and places them.

The names are found statically (pyflakes: the script is parsed, never run on the host). Whether the
imports resolve is learnt by running only the script's import statements, inside the sandbox.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from pyflakes import checker, messages

from scaffolds.core.aids import traceback_end

_IMPORT_ERRORS = ("ImportError", "ModuleNotFoundError")


def _parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # running it will show the error
        return None


def undefined_names(code: str) -> dict[str, int]:
    """Names `code` uses but never imports or defines, each with the first line that uses it; empty when
    the code does not parse."""
    tree = _parse(code)
    if tree is None:
        return {}
    found: dict[str, int] = {}
    for message in sorted(checker.Checker(tree, filename="script.py").messages, key=lambda m: m.lineno):
        if isinstance(message, messages.UndefinedName):
            found.setdefault(str(message.message_args[0]), message.lineno)
    return found


def _is_import(node: ast.stmt) -> bool:
    return isinstance(node, (ast.Import, ast.ImportFrom)) and not (
        isinstance(node, ast.ImportFrom) and node.module == "__future__")


def import_statements(code: str) -> list[str]:
    """The top-level import statements of `code`, each as written. A reply that does not parse as a whole
    (prose around the lines, a stray fence) is read line by line."""
    tree = _parse(code)
    if tree is not None:
        return [ast.get_source_segment(code, n) or "" for n in tree.body if _is_import(n)]
    found = []
    for line in code.splitlines():
        single = _parse(line.strip())
        if single is not None and len(single.body) == 1 and _is_import(single.body[0]):
            found.append(line.strip())
    return found


def with_imports(code: str, statements: list[str]) -> str:
    """`code` with `statements` added before its first statement that is not a docstring or a
    `__future__` import (leading comments stay on top)."""
    if not statements:
        return code
    lines = code.splitlines(keepends=True)
    at = 0
    tree = _parse(code)
    if tree is not None:
        body = [n for n in tree.body if not (
            isinstance(n, ast.ImportFrom) and n.module == "__future__"
            or isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str))]
        at = body[0].lineno - 1 if body else len(lines)
    if at and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    return "".join(lines[:at] + [s + "\n" for s in statements] + lines[at:])


@dataclass(frozen=True)
class FailedImport:
    """An import statement of a script that does not resolve in the sandbox, and the exception it raised."""

    statement: str
    exception: str


def check_script(code: str) -> tuple[str, list[str]]:
    """A script holding only `code`'s import statements, one per line, and those statements in order:
    run in the sandbox, it tells which import fails without running the script's work."""
    # a parenthesised multi-line import is written on one line, so line N of the check is statement N
    statements = [_one_line(s) for s in import_statements(code)]
    return "\n".join(statements) + "\n", statements


def _one_line(statement: str) -> str:
    tree = _parse(statement)
    return ast.unparse(tree.body[0]) if tree is not None and tree.body else statement


def failed_import(output: str, script_name: str, statements: list[str]) -> FailedImport | None:
    """Which of `statements` (the check script, named `script_name`) failed, from the check's output;
    None when it ran clean or failed in a way an import line cannot fix."""
    number, exception = traceback_end(output, script_name)
    if number is None or not 1 <= number <= len(statements) or exception.split(":")[0] not in _IMPORT_ERRORS:
        return None
    return FailedImport(statements[number - 1], exception[:300])


def replace_import(code: str, failed: str, replacement: list[str]) -> str:
    """`code` with the import statement `failed` (as `check_script` wrote it) replaced by `replacement`."""
    tree = _parse(code)
    if tree is None or not replacement:
        return code
    lines = code.splitlines(keepends=True)
    for node in tree.body:
        if _is_import(node) and _one_line(ast.get_source_segment(code, node) or "") == failed:
            start, end = node.lineno - 1, node.end_lineno or node.lineno
            indent = lines[start][:len(lines[start]) - len(lines[start].lstrip())]
            return "".join(lines[:start] + [indent + s + "\n" for s in replacement] + lines[end:])
    return code


def bound_names(statement: str) -> set[str]:
    """The names an import statement binds (`import a.b` binds `a`; `from m import x as y` binds `y`)."""
    tree = _parse(statement)
    if tree is None:
        return set()
    names = set()
    for node in tree.body:
        if _is_import(node):
            for alias in node.names:  # type: ignore[attr-defined]
                names.add(alias.asname or alias.name.split(".")[0])
    return names
