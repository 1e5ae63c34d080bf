"""Record/replay cassettes: every backend request and its response (or final error), as JSONL.

Replay serves the recorded responses in order without touching the network, and checks that each
request is the one recorded: a different request means the run has diverged, which is reported with
the index of the first differing call and what differed.

Lenient matching ignores numbers and durations inside message texts. Agents put the time left, how long
a script ran and similar clock readings in their prompts; those differ on every run, while everything
that steers the run (the words, the code, the parameters) must still be the same.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

from .calllog import scrub, secret_values
from .errors import ReplayDivergence

FORMAT_VERSION = 1


class Recorder:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps({"cassette": FORMAT_VERSION}) + "\n", encoding="utf-8")
        self._index = 0
        self._lock = threading.Lock()

    def add(self, request: dict[str, Any], response: dict[str, Any] | None, error: dict[str, str] | None) -> None:
        with self._lock:
            entry = {"index": self._index, "request": request, "response": response, "error": error}
            line = json.dumps(scrub(entry, secret_values()), default=str, ensure_ascii=False)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")
            self._index += 1


class Player:
    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"replay cassette {self.path} does not exist: record one first with record_path=")
        lines = self.path.read_text(encoding="utf-8").splitlines()
        header = json.loads(lines[0]) if lines else {}
        if header.get("cassette") != FORMAT_VERSION:
            raise ValueError(f"{self.path} is not a cassette of format {FORMAT_VERSION} (first line: {lines[:1]})")
        self.entries = [json.loads(line) for line in lines[1:] if line.strip()]
        self._index = 0
        self._lock = threading.Lock()

    def next(self, request: dict[str, Any], *, lenient: bool = False) -> dict[str, Any]:
        """The recorded entry for this request; ReplayDivergence if the request is not the recorded one
        (with `lenient`, numbers and durations in message texts may differ)."""
        with self._lock:
            index = self._index
            if index >= len(self.entries):
                raise ReplayDivergence(index, f"the cassette has only {len(self.entries)} calls; this call is extra")
            entry = self.entries[index]
            recorded, current = entry["request"], json.loads(json.dumps(request, default=str))
            if lenient:
                recorded, current = without_clock_readings(recorded), without_clock_readings(current)
            detail = first_difference(recorded, current)
            if detail:
                raise ReplayDivergence(index, detail + (" (numbers ignored)" if lenient else ""))
            self._index += 1
            return entry


_DURATION = re.compile(r"\d+(?:\.\d+)?\s*(?:hours?|hrs?|minutes?|mins?|seconds?|secs?|ms|h|m|s)\b", re.I)
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def mask_numbers(text: str) -> str:
    """`text` with every duration ("3 minutes", "1.2 s") and then every number replaced by a mark."""
    return _NUMBER.sub("<n>", _DURATION.sub("<duration>", text))


def without_clock_readings(request: dict[str, Any]) -> dict[str, Any]:
    """A copy of a request whose message texts have their numbers masked (for lenient matching)."""
    messages = [dict(m, content=mask_numbers(m["content"])) if isinstance(m.get("content"), str) else m
                for m in request.get("messages", [])]
    return dict(request, messages=messages)


def first_difference(recorded: dict[str, Any], current: dict[str, Any]) -> str | None:
    """A short description of the first difference between two requests, or None if equal."""
    rec_msgs, cur_msgs = recorded.get("messages", []), current.get("messages", [])
    for key in ["model", "messages", *sorted((set(recorded) | set(current)) - {"model", "messages"})]:
        if key == "messages" and rec_msgs != cur_msgs:
            return _message_difference(rec_msgs, cur_msgs)
        if key != "messages" and recorded.get(key) != current.get(key):
            return f"{key}: recorded {_short(recorded.get(key))}, now {_short(current.get(key))}"
    return None


def _message_difference(recorded: list[dict[str, Any]], current: list[dict[str, Any]]) -> str:
    for i, (rec, cur) in enumerate(zip(recorded, current)):
        if rec != cur:
            field = next((k for k in ("role", "content", "tool_calls", "tool_call_id") if rec.get(k) != cur.get(k)),
                         "fields")
            return f"messages[{i}].{field}: recorded {_short(rec.get(field))}, now {_short(cur.get(field))}"
    return f"message count: recorded {len(recorded)}, now {len(current)}"


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."
