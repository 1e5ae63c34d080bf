"""Pulling the plan and the code out of a model reply, and trimming script output like AIDE."""

from __future__ import annotations

import ast
import re

_FENCE = re.compile(r"```[ \t]*([\w+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)
_EXC_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit|Warning))(?::|$)", re.MULTILINE)


def _is_python(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def extract_code(text: str) -> str:
    """Every fenced block that parses as Python, joined. If none parses, the longest python-ish
    block (its syntax error then surfaces at run time and gets debugged). Empty when no code."""
    blocks = [(lang.lower(), body.strip()) for lang, body in _FENCE.findall(text)]
    blocks = [(lang, body) for lang, body in blocks if body and lang in ("", "python", "py", "python3")]
    valid = [body for _, body in blocks if _is_python(body)]
    if valid:
        return "\n\n".join(valid)
    if blocks:
        return max((body for _, body in blocks), key=len)
    stripped = text.strip()
    if "\n" in stripped and "import " in stripped and _is_python(stripped):
        return stripped  # a bare script with no fence at all
    return ""


def extract_plan(text: str) -> str:
    """The prose before the first code fence."""
    head = text.split("```", 1)[0]
    return head.strip()


def trim_output(text: str, threshold: int = 5100, keep: int = 2500) -> str:
    """Keep the first and last `keep` characters of outputs longer than `threshold`."""
    if len(text) <= threshold:
        return text
    cut = len(text) - 2 * keep
    return f"{text[:keep]}\n... [{cut} characters cut] ...\n{text[-keep:]}"


def exception_type(output: str) -> str | None:
    """The exception named on the last traceback line of `output`, if the output has a traceback."""
    if "Traceback (most recent call last)" not in output:
        return None
    found = _EXC_LINE.findall(output.split("Traceback (most recent call last)")[-1])
    return found[-1] if found else "Exception"
