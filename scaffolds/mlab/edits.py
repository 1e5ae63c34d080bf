"""Edit Script (AI) helpers: getting whole code from the edit model, and the backups Undo restores.

As MLE-bench ran it, the code is whatever follows the first "```python" up to the next "```" or the
end of the reply, so a reply cut off at the model's token limit silently saved a truncated script.
With `strict` (fixes.detect_truncated_edit) a block without its closing fence counts as cut off: the
model is asked again, and after `retries` re-asks the edit is refused and nothing is written.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from scaffolds.core.llm import Message
from scaffolds.mlab import prompts

if TYPE_CHECKING:
    from sandbox import Sandbox
    from scaffolds.core.llm import ChatResult

BACKUP_DIR = "backup"
_OPEN = re.compile(r"```(?:python|py|Python)?[ \t]*\n")
_STAMP = r"\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_\d{6}"


class EditFailed(Exception):
    """No usable code came back; `cut_off` says whether the reply hit the length limit."""

    def __init__(self, cut_off: bool) -> None:
        super().__init__("the edit model's reply was cut off" if cut_off else "the edit model gave no code")
        self.cut_off = cut_off


def ask_for_code(ask: Callable[[list[Message]], ChatResult], prompt: str, *, strict: bool, retries: int) -> str:
    """The code of the edit model's reply to `prompt`."""
    messages = [Message.user(prompt)]
    if not strict:
        reply = ask(messages).text or ""
        if "```python" not in reply:
            raise EditFailed(cut_off=False)
        return reply.split("```python", 1)[1].split("```", 1)[0]
    cut_off = False
    for _ in range(retries + 1):
        result = ask(messages)
        code, cut_off = extract_complete_code(result.text or "", result.finish_reason)
        if code is not None:
            return code
        nudge = prompts.text("edit_retry" if cut_off else "edit_retry_no_code")
        messages = [*messages, Message.assistant(result.text or ""), Message.user(nudge)]
    raise EditFailed(cut_off)


def extract_complete_code(text: str, finish_reason: str | None) -> tuple[str | None, bool]:
    """(code, cut_off): the first fenced block if it is closed; else (None, whether it was cut off)."""
    opening = _OPEN.search(text)
    if opening is None:
        return None, finish_reason == "length"
    closing = text.find("```", opening.end())
    if closing < 0:
        return None, True
    return text[opening.end():closing], False


def backup_name(script_name: str, now: float) -> str:
    """backup/<script>_<UTC date_time_microseconds>: names sort in the order they were made."""
    stamp = time.strftime("%Y-%m-%d_%H-%M-%S", time.gmtime(now)) + f"_{int(now % 1 * 1e6):06d}"
    return f"{BACKUP_DIR}/{PurePosixPath(script_name)}_{stamp}"


def newest_backup(sandbox: Sandbox, script_name: str) -> str | None:
    """The latest backup of `script_name`, or None if it has none."""
    path = PurePosixPath(backup_name(script_name, 0.0))
    folder, prefix = str(path.parent), PurePosixPath(script_name).name + "_"
    try:
        names = sandbox.list_files(folder)
    except (ValueError, OSError):  # SandboxPathError: no backup folder yet
        return None
    pattern = re.compile(re.escape(prefix) + _STAMP + "$")
    found = sorted(name for name in names if pattern.match(name))
    return f"{folder}/{found[-1]}" if found else None
