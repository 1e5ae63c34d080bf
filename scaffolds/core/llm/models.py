"""Everything model-specific, in one place: providers and their key variables, request quirks of
reasoning models, default model choice, prices and context windows."""

from __future__ import annotations

import importlib.util
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import MissingAPIKey

log = logging.getLogger(__name__)

LOCAL_PREFIX = "local"
DEFAULT_CONTEXT_WINDOW = 8192

# Provider -> the environment variables litellm reads its key from (first one is the one we suggest).
PROVIDER_KEYS: dict[str, tuple[str, ...]] = {
    "openai": ("OPENAI_API_KEY",),
    "anthropic": ("ANTHROPIC_API_KEY",),
    "gemini": ("GEMINI_API_KEY", "GOOGLE_API_KEY"),
    "openrouter": ("OPENROUTER_API_KEY",),
    "mistral": ("MISTRAL_API_KEY",),
    "groq": ("GROQ_API_KEY",),
    "deepseek": ("DEEPSEEK_API_KEY",),
    "xai": ("XAI_API_KEY",),
    "together_ai": ("TOGETHERAI_API_KEY", "TOGETHER_API_KEY"),
    "fireworks_ai": ("FIREWORKS_AI_API_KEY", "FIREWORKS_API_KEY"),
    "cohere": ("COHERE_API_KEY",),
    "perplexity": ("PERPLEXITYAI_API_KEY",),
    "azure": ("AZURE_API_KEY",),
}
# Self-hosted servers that usually run without a key.
KEYLESS_PROVIDERS = {"hosted_vllm", "ollama", "ollama_chat", "lm_studio", "llamafile", "vllm"}

# Bare model names (no "provider/" prefix) and the provider litellm routes them to.
_BARE_PREFIXES = (
    (("gpt-", "o1", "o3", "o4", "chatgpt-", "codex-", "text-", "ft:gpt"), "openai"),
    (("claude",), "anthropic"),
)

# When no model is named: the first provider whose key is set, with a sensible strong model.
_DEFAULTS_BY_KEY = (
    ("OPENAI_API_KEY", "gpt-4o"),
    ("ANTHROPIC_API_KEY", "anthropic/claude-sonnet-4-5"),
    ("GEMINI_API_KEY", "gemini/gemini-2.5-pro"),
    ("GOOGLE_API_KEY", "gemini/gemini-2.5-pro"),
    ("OPENROUTER_API_KEY", "openrouter/openai/gpt-4o"),
)


def provider_of(model: str) -> str:
    """The litellm provider of a model string ("openai", "anthropic", ..., or "local")."""
    if is_local(model):
        return LOCAL_PREFIX
    if "/" in model:
        return model.split("/", 1)[0]
    for prefixes, provider in _BARE_PREFIXES:
        if model.startswith(prefixes):
            return provider
    return "openai"


def base_name(model: str) -> str:
    """The model name without provider prefixes: 'openrouter/openai/o3-mini' -> 'o3-mini'."""
    return model.rsplit("/", 1)[-1]


def is_local(model: str) -> bool:
    return model == LOCAL_PREFIX or model.startswith(LOCAL_PREFIX + "-")


def check_api_key(model: str, api_base: str | None) -> None:
    """Raise MissingAPIKey when the model's provider needs a key that is not set.

    A custom `api_base` (vLLM, llama.cpp, a proxy, a test server) may take any key or none, so no key
    is demanded there.
    """
    provider = provider_of(model)
    if provider == LOCAL_PREFIX or provider in KEYLESS_PROVIDERS or api_base:
        return
    env_vars = PROVIDER_KEYS.get(provider)
    if env_vars is None:
        env_vars = _litellm_missing_keys(model)
        if not env_vars:
            return
    if not any(os.environ.get(name) for name in env_vars):
        raise MissingAPIKey(model, env_vars)


def _litellm_missing_keys(model: str) -> tuple[str, ...]:
    """For providers we do not list (bedrock, vertex, ...), ask litellm which variables it needs."""
    litellm = import_litellm()
    try:
        found = litellm.validate_environment(model=model)
    except Exception:  # noqa: BLE001 - an unknown provider is reported by the call itself
        return ()
    if found.get("keys_in_environment"):
        return ()
    return tuple(found.get("missing_keys") or ())


def resolve_default_model() -> str:
    """`$MLE_SUITE_MODEL` if set, else a strong model of the first provider whose key is set, else
    "local" (the embedded model, which needs no key)."""
    named = os.environ.get("MLE_SUITE_MODEL", "").strip()
    if named:
        return named
    for env_var, model in _DEFAULTS_BY_KEY:
        if os.environ.get(env_var):
            return model
    return LOCAL_PREFIX


@dataclass(frozen=True)
class Quirks:
    """How requests to a model must be shaped."""

    system_as_user: bool = False  # the model rejects system messages
    drop_temperature: bool = False  # the model accepts only its default temperature
    max_tokens_param: str = "max_tokens"


def quirks_for(model: str) -> Quirks:
    name = base_name(model).lower()
    if name.startswith("o1-mini") or name.startswith("o1-preview"):
        return Quirks(system_as_user=True, drop_temperature=True, max_tokens_param="max_completion_tokens")
    if name.startswith(("o1", "o3", "o4")):
        # These accept "developer" messages on some endpoints only; plain user text works everywhere.
        return Quirks(system_as_user=True, drop_temperature=True, max_tokens_param="max_completion_tokens")
    if name.startswith("gpt-5") and "chat" not in name:
        return Quirks(drop_temperature=True, max_tokens_param="max_completion_tokens")
    return Quirks()


def apply_quirks(quirks: Quirks, messages: list[dict[str, Any]], params: dict[str, Any]) -> None:
    """Rewrite an OpenAI-style request in place so that the model accepts it."""
    if quirks.system_as_user:
        for msg in messages:
            if msg["role"] == "system":
                msg["role"] = "user"
    if quirks.drop_temperature:
        params.pop("temperature", None)
    if "max_tokens" in params and quirks.max_tokens_param != "max_tokens":
        params[quirks.max_tokens_param] = params.pop("max_tokens")


def import_litellm() -> Any:
    """Import litellm configured for offline use: bundled price map, quiet, bundled tokenizers."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    configure_tiktoken_cache()
    import litellm

    litellm.suppress_debug_info = True  # no "Provider List: https://..." banners on stdout
    litellm.telemetry = False
    # litellm logs every call at INFO through its own handler; our call log already has it all.
    chatty = logging.getLogger("LiteLLM")
    if chatty.level < logging.WARNING:
        chatty.setLevel(logging.WARNING)
    return litellm


def configure_tiktoken_cache() -> Path | None:
    """Point tiktoken at the tokenizer files bundled in the litellm wheel (no download needed).

    CUSTOM_TIKTOKEN_CACHE_DIR is what litellm honours; without it, importing litellm overwrites
    TIKTOKEN_CACHE_DIR. A directory the user set already is left alone.
    """
    spec = importlib.util.find_spec("litellm")
    if spec is None or not spec.submodule_search_locations:
        return None
    bundled = Path(list(spec.submodule_search_locations)[0]) / "litellm_core_utils" / "tokenizers"
    chosen = os.environ.get("CUSTOM_TIKTOKEN_CACHE_DIR") or os.environ.get("TIKTOKEN_CACHE_DIR")
    if not chosen:
        chosen = str(bundled)
    os.environ["CUSTOM_TIKTOKEN_CACHE_DIR"] = chosen
    os.environ["TIKTOKEN_CACHE_DIR"] = chosen
    return Path(chosen)


def price_table_entry(model: str) -> dict[str, Any] | None:
    """The model's entry in litellm's bundled price map, trying the name with and without prefixes."""
    table = import_litellm().model_cost
    for key in (model, model.split("/", 1)[-1], base_name(model)):
        entry = table.get(key)
        if entry and entry.get("input_cost_per_token") is not None:
            return entry
    return None


def known_context_window(model: str) -> int | None:
    """The model's context window from litellm's map; None when the map does not know the model."""
    entry = import_litellm().model_cost
    for key in (model, model.split("/", 1)[-1], base_name(model)):
        info = entry.get(key) or {}
        window = info.get("max_input_tokens") or info.get("max_tokens")
        if window:
            return int(window)
    return None


def context_window_of(model: str) -> int:
    return known_context_window(model) or DEFAULT_CONTEXT_WINDOW


def supports_tools(model: str) -> bool | None:
    """True/False when litellm's map knows the model; None when unknown (then we try natively)."""
    entry = price_table_entry(model)
    if entry is None:
        return None
    flag = entry.get("supports_function_calling")
    return None if flag is None else bool(flag)
