"""Offline token counting with tiktoken, using the tokenizer files bundled in the litellm wheel."""

from __future__ import annotations

import functools
import logging
from typing import Any

from .models import base_name, configure_tiktoken_cache

log = logging.getLogger(__name__)

_O200K_PREFIXES = ("gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "chatgpt-4o", "codex")


def encoding_name(model: str) -> str:
    """o200k_base for OpenAI's newer models, cl100k_base as the approximation for everything else."""
    return "o200k_base" if base_name(model).lower().startswith(_O200K_PREFIXES) else "cl100k_base"


@functools.lru_cache(maxsize=4)
def _encoding(name: str) -> Any | None:
    configure_tiktoken_cache()
    import tiktoken

    try:
        return tiktoken.get_encoding(name)
    except Exception as err:  # noqa: BLE001 - any failure falls back to an estimate, once
        log.warning("tiktoken encoding %s unavailable offline (%s); estimating 4 characters per token", name, err)
        return None


def count_tokens(model: str, text: str) -> int:
    enc = _encoding(encoding_name(model))
    if enc is None:
        return (len(text) + 3) // 4
    return len(enc.encode(text, disallowed_special=()))
