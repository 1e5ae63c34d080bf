"""The JSONL call log: one line per chat call, with every secret scrubbed before it touches disk."""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any

REDACTED = "<redacted>"
_SECRET_FIELDS = re.compile(r"(api[_-]?key|authorization|secret|password|token$|access[_-]?key|bearer)", re.I)
_KEYLIKE = re.compile(
    r"(sk-[A-Za-z0-9_\-]{16,}|sk-ant-[A-Za-z0-9_\-]{16,}|AIza[0-9A-Za-z_\-]{30,}|"
    r"gsk_[A-Za-z0-9]{20,}|xai-[A-Za-z0-9]{20,}|hf_[A-Za-z0-9]{20,}|Bearer\s+[A-Za-z0-9._\-]{12,})"
)
_SECRET_ENV = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)", re.I)
# Token-count fields are not secrets even though their names end in "token(s)".
_NOT_SECRET = {"prompt_tokens", "completion_tokens", "cached_tokens", "total_tokens", "max_tokens",
               "max_completion_tokens", "tokens", "count_tokens"}


def secret_values() -> list[str]:
    """Values of environment variables that look like credentials (longest first)."""
    found = {v for k, v in os.environ.items() if _SECRET_ENV.search(k) and len(v) >= 8}
    return sorted(found, key=len, reverse=True)


def scrub(value: Any, secrets: list[str]) -> Any:
    """A copy of `value` with secret fields, key-like strings and env secret values redacted."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            secret_field = _SECRET_FIELDS.search(str(key)) and str(key) not in _NOT_SECRET
            out[key] = REDACTED if secret_field and item not in (None, "") else scrub(item, secrets)
        return out
    if isinstance(value, (list, tuple)):
        return [scrub(item, secrets) for item in value]
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, REDACTED)
        return _KEYLIKE.sub(REDACTED, value)
    return value


class CallLog:
    """Appends one JSON object per line; safe to share between threads of one process."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(scrub(record, secret_values()), default=str, ensure_ascii=False)
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
