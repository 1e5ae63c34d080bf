"""Reading a model reply: the six entries in order, the action name, and the Action Input.

MLAgentBench reads the entries with one regular expression that needs all six labels in order, and
the Action must be a tool name exactly. The Action Input is read three ways in turn: as JSON, as
sanitised JSON, and by the expected argument names. `lenient` (fixes.lenient_format) also accepts
markdown around the labels and the action name ("**Action:** `List Files`"), and a name in other case.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from scaffolds.core.llm.jsonparse import loads_lenient
from scaffolds.mlab.prompts import ENTRY_NAMES


class FormatProblem(ValueError):
    """The reply cannot be used; the message says why (shown to the model when lenient)."""


class InputProblem(ValueError):
    """The Action Input cannot be read as the action's arguments."""


_FENCE = re.compile(r"^```[a-zA-Z]*\s*\n?|\n?```\s*$")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_VALID_ESCAPE = re.compile(r'\\(?!["\\/bfnrtu])')
_ENTRY_PATTERN = re.compile("".join(f"{re.escape(name)}:([\\s\\S]*)" for name in ENTRY_NAMES))
# "**Reflection:**", "### Action:", "**Action**:" -> "Reflection:", "Action:"
_DECORATED = re.compile(r"^[ \t>#*_]*(" + "|".join(re.escape(n) for n in ENTRY_NAMES) + r")[ \t*_]*:[ \t*_]*",
                        re.MULTILINE)


@dataclass(frozen=True)
class Reply:
    entries: dict[str, str]
    action: str
    raw_input: str


def cut_at_observation(text: str) -> str:
    """MLAgentBench stops generation at "Observation:"; a reply that goes on is cut there."""
    start = text.find("Action Input:")
    cut = text.find("Observation:", max(start, 0))
    return text[:cut] if cut >= 0 else text


def parse_reply(text: str, tool_names: Collection[str], lenient: bool) -> Reply:
    """The entries and the action of a reply; raises FormatProblem."""
    text = cut_at_observation(text or "")
    if lenient:
        text = _DECORATED.sub(lambda m: f"{m.group(1)}: ", text)
    match = _ENTRY_PATTERN.search(text)
    if match is None:
        raise FormatProblem(_missing_entry(text))
    entries = dict(zip(ENTRY_NAMES, match.groups()))
    action = _action_name(entries["Action"], tool_names, lenient)
    return Reply(entries, action, entries["Action Input"].strip())


def _missing_entry(text: str) -> str:
    position = 0
    for name in ENTRY_NAMES:
        found = text.find(f"{name}:", position)
        if found < 0:
            return f'the entry "{name}:" is missing (or out of order)'
        position = found + len(name) + 1
    return "the entries could not be read"


def _action_name(raw: str, tool_names: Collection[str], lenient: bool) -> str:
    name = raw.strip()
    if name in tool_names:
        return name
    if lenient:
        first = name.splitlines()[0] if name else ""
        cleaned = first.strip().strip("*`'\"_ ").rstrip(".").strip()
        by_lower = {t.lower(): t for t in tool_names}
        if cleaned.lower() in by_lower:
            return by_lower[cleaned.lower()]
    shown = name if len(name) <= 80 else name[:80] + "..."
    raise FormatProblem(f"the Action {shown!r} is not one of the tools; use one of: {', '.join(tool_names)}")


def parse_action_input(raw: str, names: Sequence[str]) -> tuple[dict[str, Any], str]:
    """The arguments and how they were read ("json", "sanitised", "by_names"); raises InputProblem."""
    text = _FENCE.sub("", raw.strip()).strip()
    problem = ""
    for method, attempt in (("json", _plain_json), ("sanitised", _sanitised_json)):
        value, error = attempt(text)
        if isinstance(value, dict):
            if set(value) == set(names):
                return value, method
            problem = problem or _mismatch(value, names)
        else:
            problem = problem or error
    found = _by_names(text, names)
    if found is not None:
        return found, "by_names"
    raise InputProblem(problem or "the input is not a JSON object")


def _plain_json(text: str) -> tuple[Any, str]:
    try:
        return json.loads(text), ""
    except json.JSONDecodeError as exc:
        return None, f"the input is not valid JSON ({exc})"


def _sanitised_json(text: str) -> tuple[Any, str]:
    """JSON with raw newlines or tabs in strings, stray backslashes (e.g. regexes), trailing commas,
    single quotes or Python literals, or prose around the object."""
    escaped = _VALID_ESCAPE.sub(r"\\\\", text)
    for candidate in (escaped, text, _TRAILING_COMMA.sub(r"\1", escaped)):
        try:
            return json.loads(candidate, strict=False), ""
        except json.JSONDecodeError:
            pass
    value = loads_lenient(escaped)
    return value, "" if value is not None else "the input is not valid JSON"


def _mismatch(value: dict[str, Any], names: Sequence[str]) -> str:
    missing = [n for n in names if n not in value]
    extra = [k for k in value if k not in names]
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if extra:
        parts.append(f"unexpected {', '.join(map(str, extra))}")
    return "the entries do not match the action's arguments: " + "; ".join(parts)


def _by_names(text: str, names: Sequence[str]) -> dict[str, Any] | None:
    """Values between the expected `"name":` keys, in the order they appear; None if any is missing."""
    body = text[text.find("{") + 1:] if "{" in text else text
    end = body.rfind("}")
    body = body[:end] if end >= 0 else body
    spots = []
    for name in names:
        match = re.search(rf'["\']?{re.escape(name)}["\']?\s*:', body)
        if match is None:
            return None
        spots.append((match.start(), match.end(), name))
    spots.sort()
    values = {}
    for i, (_, value_start, name) in enumerate(spots):
        value_end = spots[i + 1][0] if i + 1 < len(spots) else len(body)
        values[name] = _clean_value(body[value_start:value_end])
    return values


def _clean_value(raw: str) -> Any:
    value = raw.strip().rstrip(",").strip()
    for quote in ('"""', "'''", '"', "'"):
        if len(value) >= 2 * len(quote) and value.startswith(quote) and value.endswith(quote):
            inner = value[len(quote):-len(quote)]
            if quote == '"':
                try:
                    return json.loads(f'"{inner}"', strict=False)
                except json.JSONDecodeError:
                    return inner
            return inner
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value
