"""CodeAct's texts (from prompts.yaml) filled with a run's facts, and the tool specs the model sees."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from scaffolds.core.llm import ToolSpec

PROMPTS_FILE = Path(__file__).parent / "prompts.yaml"
EDITOR_COMMANDS = ("view", "create", "str_replace", "insert", "undo_edit")


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    return yaml.safe_load(PROMPTS_FILE.read_text())


def text(name: str, **values: Any) -> str:
    """The template `name` with `values` filled in; unknown placeholders stay as written."""
    return string.Template(templates()[name]).safe_substitute({k: str(v) for k, v in values.items()})


def humanize_seconds(seconds: float) -> str:
    """'2h 05m', '14m 03s' or '42s'."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def _param(name: str, tool: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "description": templates()["tools"][tool]["parameters"][name]}


def tool_specs() -> list[ToolSpec]:
    """The five tools, with OpenHands' names and argument names and our descriptions."""
    t = templates()["tools"]
    string_arg = {"type": "string"}
    return [
        ToolSpec("execute_bash", t["execute_bash"]["description"], {
            "type": "object",
            "properties": {
                "command": _param("command", "execute_bash", string_arg),
                "is_input": _param("is_input", "execute_bash", {"type": "boolean"}),
                "timeout": _param("timeout", "execute_bash", {"type": "number"}),
            },
            "required": ["command"],
        }),
        ToolSpec("execute_ipython_cell", t["execute_ipython_cell"]["description"], {
            "type": "object",
            "properties": {"code": _param("code", "execute_ipython_cell", string_arg)},
            "required": ["code"],
        }),
        ToolSpec("str_replace_editor", t["str_replace_editor"]["description"], {
            "type": "object",
            "properties": {
                "command": _param("command", "str_replace_editor", {"type": "string", "enum": list(EDITOR_COMMANDS)}),
                "path": _param("path", "str_replace_editor", string_arg),
                "file_text": _param("file_text", "str_replace_editor", string_arg),
                "old_str": _param("old_str", "str_replace_editor", string_arg),
                "new_str": _param("new_str", "str_replace_editor", string_arg),
                "insert_line": _param("insert_line", "str_replace_editor", {"type": "integer"}),
                "view_range": _param("view_range", "str_replace_editor",
                                     {"type": "array", "items": {"type": "integer"}}),
            },
            "required": ["command", "path"],
        }),
        ToolSpec("think", t["think"]["description"], {
            "type": "object",
            "properties": {"thought": _param("thought", "think", string_arg)},
            "required": ["thought"],
        }),
        ToolSpec("finish", t["finish"]["description"], {
            "type": "object",
            "properties": {"message": _param("message", "finish", string_arg)},
            "required": [],
        }),
    ]
