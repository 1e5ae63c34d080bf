"""What the model asked for: one `Action` per turn, from a native tool call or from CodeAct's text tags.

The text-tag format is the one of the CodeAct version MLE-bench ran (OpenDevin 0.8.3) for models
without tool calls: free text plus one `<execute_bash>`, `<execute_ipython>` or `<finish>` block. As
there, only the first block in the reply counts (the stop word ended generation there), a missing
closing tag is tolerated, the rest of the text is the thought, and the bash command `exit` means finish;
a block whose body is nothing but another block is that block (CodeAct tried `<finish>` first).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from scaffolds.core.llm import ToolCall

TOOLS = ("execute_bash", "execute_ipython_cell", "str_replace_editor", "think", "finish")
MESSAGE = "message"  # a reply with no action: the model talked instead of acting

_TAGS = (("finish", "finish"), ("execute_bash", "execute_bash"), ("execute_ipython", "execute_ipython_cell"))
_ARG_OF = {"execute_bash": "command", "execute_ipython_cell": "code", "finish": "message"}


@dataclass(frozen=True)
class Action:
    """One action. `tool` is a tool name or "message"; `args` its arguments as the model gave them."""

    tool: str
    args: dict[str, Any] = field(default_factory=dict)
    thought: str = ""
    call_id: str | None = None

    def signature(self) -> str:
        """Equal for actions that do the same thing (the thought does not count)."""
        return json.dumps([self.tool, self.args], sort_keys=True, default=str)

    def to_dict(self) -> dict[str, Any]:
        return {"tool": self.tool, "args": self.args, "thought": self.thought, "call_id": self.call_id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Action:
        return cls(data["tool"], dict(data.get("args") or {}), data.get("thought", ""), data.get("call_id"))


def from_tool_calls(text: str, calls: tuple[ToolCall, ...]) -> tuple[Action, tuple[ToolCall, ...]]:
    """The first tool call as the turn's action (the reply's text is its thought), and the calls left
    unrun. No call: a message action."""
    if not calls:
        return Action(MESSAGE, {"content": text}, text), ()
    first = calls[0]
    return Action(first.name, dict(first.arguments), text, first.id), tuple(calls[1:])


def parse_tags(reply: str) -> tuple[Action, str]:
    """The action of a text-tag reply and the reply as it should stay in the history: cut after the
    block used, the way the closing tag worked as a stop word (later text may be a made-up result)."""
    # The block the model wrote first is the one it ran: with stop words, generation ends at its closing
    # tag, so a later block (e.g. a <finish> after an <execute_bash>) was never really sent.
    found = sorted((reply.find(f"<{tag}>"), tag, tool) for tag, tool in _TAGS if f"<{tag}>" in reply)
    for start, tag, tool in found[:1]:
        close = f"</{tag}>"
        end = reply.find(close, start)
        body = reply[start + len(tag) + 2: end if end >= 0 else len(reply)].strip("\n")
        kept = reply[: end + len(close)] if end >= 0 else reply + close
        thought = reply[:start].strip()
        if tool == "finish" or (tool == "execute_bash" and body.strip() == "exit"):
            return Action("finish", {"message": thought}, thought), kept
        if _is_one_block(body):
            # `<execute_ipython><finish></finish></execute_ipython>` (the embedded model, 8 times in one
            # run): CodeAct's parsers looked for <finish> first and stopped at `</finish>`, so it finished
            inner, _ = parse_tags(body.strip())
            return replace(inner, thought=thought or inner.thought), kept
        return Action(tool, {_ARG_OF[tool]: body}, thought), kept
    return Action(MESSAGE, {"content": reply}, reply.strip()), reply


def _is_one_block(body: str) -> bool:
    """A code block's body that is nothing but another action block (never code)."""
    text = body.strip()
    return any(text.startswith(f"<{tag}>") and text.endswith(f"</{tag}>") for tag, _ in _TAGS)
