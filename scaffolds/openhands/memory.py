"""The conversation the model sees, kept as whole turns, and its condensation.

A turn is everything one step added: the assistant's reply and the tool results and harness notes that
answer it, so a tool call is never separated from its result. Condensation keeps the system prompt, the
task and the first `keep_first` turns, replaces the middle (and any earlier summary) by an LLM-written
summary, and keeps the latest `keep_last` turns verbatim.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scaffolds.core.llm import Message, ToolCall
from scaffolds.openhands import prompts

if TYPE_CHECKING:
    from scaffolds.core.llm import LLM, ToolSpec, Usage
    from scaffolds.openhands.config import CondenserConfig

CHARS_PER_TOKEN = 3  # a cautious estimate when sizing the summariser's input


@dataclass
class Turn:
    """`kind`: "step" (a model turn), "summary" (a condensation) or "note" (e.g. the resume notice)."""

    step: int | None
    messages: list[Message]
    kind: str = "step"


@dataclass
class Conversation:
    head: list[Message]  # system prompt and task message: never condensed
    turns: list[Turn] = field(default_factory=list)

    def messages(self) -> list[Message]:
        return [*self.head, *(m for turn in self.turns for m in turn.messages)]

    def tokens(self, llm: LLM, tools: list[ToolSpec]) -> int:
        schema = json.dumps([[t.name, t.description, t.parameters] for t in tools]) if tools else ""
        return llm.count_message_tokens(self.messages()) + (llm.count_tokens(schema) if schema else 0)

    def apply_condensation(self, keep_first: int, keep_last: int, summary: Message) -> list[Turn]:
        """Replace the turns between the kept ones by `summary`; returns the turns forgotten."""
        first = self.turns[:keep_first]
        last = self.turns[max(keep_first, len(self.turns) - keep_last):]
        forgotten = self.turns[len(first): len(self.turns) - len(last)]
        self.turns = [*first, Turn(None, [summary], "summary"), *last]
        return forgotten


def plan(conv: Conversation, cfg: CondenserConfig, force: bool = False,
         fits: Callable[[list[Turn]], bool] | None = None) -> tuple[int, int] | None:
    """(keep_first, keep_last) for the next condensation, or None when nothing can be forgotten.
    Fewer of the latest turns are kept when the conversation is short; the first turns are given up
    only when forced (the context window overflowed). With `fits` (do these kept turns leave the room
    wanted?), the latest turns kept are only as many as fit (at least one), so that one condensation
    makes room for several steps rather than one."""
    n = len(conv.turns)
    firsts = range(min(cfg.keep_first, n), -1, -1) if force else [cfg.keep_first]
    for keep_first in firsts:
        for keep_last in range(min(cfg.keep_last, n - keep_first - 1), 0, -1):
            middle = conv.turns[keep_first: n - keep_last]
            if keep_last > 1 and fits is not None and not fits([*conv.turns[:keep_first], *conv.turns[n - keep_last:]]):
                continue
            # worth it only if it forgets a real turn (not just re-summarise a lone summary)
            if any(t.kind == "step" for t in middle):
                return keep_first, keep_last
    return None


def summarise(llm: LLM, conv: Conversation, keep_first: int, keep_last: int, cfg: CondenserConfig,
              window: int, within_s: float | None = None) -> tuple[str, Usage | None, list[Turn]]:
    """Ask `llm` for a summary of the turns that `keep_first`/`keep_last` would forget (within
    `within_s` seconds, as LLM.chat)."""
    middle = conv.turns[keep_first: len(conv.turns) - keep_last]
    previous = "\n".join(m.content for t in middle if t.kind == "summary" for m in t.messages)
    events = [t for t in middle if t.kind != "summary"]
    budget_chars = max((window - cfg.summary_tokens - 1500) * CHARS_PER_TOKEN, 2000)
    per_event = max(min(cfg.event_chars, budget_chars // max(len(events), 1)), 200)
    rendered = "\n\n".join(_render_turn(t, per_event) for t in events)
    prior = f"The summary so far (it covers the steps before these):\n{previous}\n\n" if previous else ""
    messages = [Message.system(prompts.text("condenser_system")),
                Message.user(prompts.text("condenser_user", previous=prior, events=rendered))]
    reply = llm.chat(messages, within_s=within_s)
    summary = reply.text.strip() or _mechanical_summary(events)
    return summary, reply.usage, events


def summary_message(summary: str, steps: list[int]) -> Message:
    first, last = (min(steps), max(steps)) if steps else ("?", "?")
    return Message.user(prompts.text("summary_message", first=first, last=last, summary=summary))


def _render_turn(turn: Turn, limit: int) -> str:
    lines = []
    for msg in turn.messages:
        calls = "".join(f"\n-> {c.name}({json.dumps(c.arguments)})" for c in msg.tool_calls)
        lines.append(f"[{msg.role}] {msg.content}{calls}".strip())
    body = "\n".join(lines)
    if len(body) > limit:
        body = body[: limit // 2] + "\n...\n" + body[-limit // 2:]
    return f"Step {turn.step}:\n{body}" if turn.step is not None else body


def _mechanical_summary(turns: list[Turn]) -> str:
    """Used when the summariser returns nothing: the actions taken, one line each."""
    lines = []
    for turn in turns:
        for msg in turn.messages:
            for call in msg.tool_calls:
                lines.append(f"step {turn.step}: {call.name} {json.dumps(call.arguments)[:150]}")
    return "Actions taken (no summary could be written):\n" + "\n".join(lines)


# ---- (de)serialisation of messages for the trajectory ---------------------------------------------
def message_to_dict(msg: Message) -> dict[str, Any]:
    data: dict[str, Any] = {"role": msg.role, "content": msg.content}
    if msg.tool_calls:
        data["tool_calls"] = [{"id": c.id, "name": c.name, "arguments": c.arguments} for c in msg.tool_calls]
    if msg.tool_call_id:
        data["tool_call_id"] = msg.tool_call_id
    return data


def message_from_dict(data: dict[str, Any]) -> Message:
    calls = tuple(ToolCall(c["id"], c["name"], dict(c["arguments"])) for c in data.get("tool_calls") or ())
    return Message(data["role"], data.get("content") or "", calls, data.get("tool_call_id"))
