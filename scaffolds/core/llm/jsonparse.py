"""Tool calls for backends without native tool support: ask for JSON in text, parse it robustly.

Small local models and some servers ignore `tools`, or answer in prose around a JSON object. The
parser accepts fenced blocks, <tool_call> tags, prose before/after the object, single quotes, Python
literals (True/None), trailing commas and arguments given as a JSON string.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

from .records import ToolCall, ToolSpec

_FENCE = re.compile(r"```(?:json|JSON|javascript|python|tool_call)?\s*\n?(.*?)```", re.DOTALL)
_TAG = re.compile(r"<tool_call>(.*?)(?:</tool_call>|$)", re.DOTALL)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_NAME_KEYS = ("tool", "name", "function", "tool_name", "action")
_ARG_KEYS = ("arguments", "args", "parameters", "input", "params", "tool_input")


def tool_prompt(tools: list[ToolSpec], forced: str | None) -> str:
    """Instructions appended to the system prompt that describe the tools and the reply format."""
    lines = ["You can call these tools. Each takes a JSON object matching its schema:"]
    for spec in tools:
        lines.append(f"- {spec.name}: {spec.description}\n  schema: {json.dumps(spec.parameters)}")
    must = f"You must call the tool `{forced}`." if forced else "To call a tool,"
    lines.append(
        f"{must} Reply with exactly one JSON object in a ```json fenced block, of the form\n"
        '```json\n{"tool": "<tool name>", "arguments": {...}}\n```\n'
        "with no other JSON in your reply."
    )
    if not forced:
        lines.append("If no tool is needed, answer in plain text without any JSON block.")
    return "\n".join(lines)


def tool_call_schema(spec: ToolSpec) -> dict[str, Any]:
    """The JSON schema of a reply that calls `spec` in the text protocol of `tool_prompt`."""
    return {"type": "object",
            "properties": {"tool": {"type": "string", "enum": [spec.name]}, "arguments": spec.parameters},
            "required": ["tool", "arguments"]}


def extract_json_values(text: str) -> list[Any]:
    """Every JSON-like value found in `text`, best candidates first (fenced/tagged, then bare)."""
    candidates = [m.group(1) for m in _TAG.finditer(text)]
    candidates += [m.group(1) for m in _FENCE.finditer(text)]
    candidates += _balanced_spans(text)
    values = []
    for chunk in candidates:
        value = loads_lenient(chunk)
        if value is not None:
            values.append(value)
    return values


def loads_lenient(chunk: str) -> Any | None:
    """json.loads, then with trailing commas removed, then as a Python literal; None if all fail."""
    chunk = chunk.strip()
    if not chunk or chunk[0] not in "{[":
        spans = _balanced_spans(chunk)
        if not spans:
            return None
        chunk = spans[0]
    for attempt in (chunk, _TRAILING_COMMA.sub(r"\1", chunk)):
        try:
            return json.loads(attempt)
        except json.JSONDecodeError:
            pass
    pythonish = re.sub(r"\btrue\b", "True", re.sub(r"\bfalse\b", "False", re.sub(r"\bnull\b", "None", chunk)))
    try:
        value = ast.literal_eval(pythonish)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, (dict, list)) else None


def _balanced_spans(text: str) -> list[str]:
    """Top-level {...} and [...] spans, skipping brackets inside quoted strings."""
    spans, depth, start, quote, escaped = [], 0, -1, "", False
    for i, ch in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
            continue
        if ch in "\"'" and depth > 0:
            quote = ch
        elif ch in "{[":
            if depth == 0:
                start = i
            depth += 1
        elif ch in "}]" and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append(text[start : i + 1])
    return spans


def parse_tool_calls(text: str, tools: list[ToolSpec], forced: str | None) -> tuple[ToolCall, ...]:
    """Tool calls written as JSON in `text`; () when there is none that names a known tool."""
    names = {t.name for t in tools}
    for value in extract_json_values(text):
        items = value if isinstance(value, list) else [value]
        calls = [c for c in (_as_call(item, names, forced) for item in items) if c is not None]
        if calls:
            return tuple(ToolCall(f"call_{i}", name, args) for i, (name, args) in enumerate(calls))
    return ()


def _as_call(item: Any, names: set[str], forced: str | None) -> tuple[str, dict[str, Any]] | None:
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("function"), dict):  # OpenAI's own shape, written out as text
        item = item["function"]
    name = next((item[k] for k in _NAME_KEYS if isinstance(item.get(k), str) and item[k] in names), None)
    if name is None:
        # A bare argument object is accepted only for a forced tool: in "auto" mode a dict in prose
        # is more likely data than a call.
        if forced is None or forced not in names or any(k in item for k in _NAME_KEYS):
            return None
        return forced, item
    args = next((item[k] for k in _ARG_KEYS if k in item), None)
    if args is None:
        args = {k: v for k, v in item.items() if k not in _NAME_KEYS}
    args = parse_arguments(args)
    return (name, args) if args is not None else None


def parse_arguments(raw: Any) -> dict[str, Any] | None:
    """Tool-call arguments given as a dict or a (possibly sloppy) JSON string; None if unreadable."""
    if isinstance(raw, dict):
        return raw
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):
        value = loads_lenient(raw)
        return value if isinstance(value, dict) else None
    return None
