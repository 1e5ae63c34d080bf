from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from scaffolds.core.llm import LLM, Message, MissingAPIKey, resolve_default_model
from scaffolds.core.llm.testing import Reply, ScriptedServer

from .conftest import FAST


@pytest.mark.parametrize("model, env_var", [
    ("gpt-4o", "OPENAI_API_KEY"), ("o1-preview", "OPENAI_API_KEY"),
    ("anthropic/claude-sonnet-4-5", "ANTHROPIC_API_KEY"), ("gemini/gemini-2.5-pro", "GEMINI_API_KEY"),
    ("openrouter/openai/gpt-4o", "OPENROUTER_API_KEY"),
])
def test_missing_key_is_reported_at_construction(model: str, env_var: str) -> None:
    with pytest.raises(MissingAPIKey) as info:
        LLM(model)
    assert env_var in str(info.value) and model in str(info.value)
    assert info.value.env_vars[0] == env_var


def test_key_present_or_custom_api_base_needs_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    LLM("anthropic/claude-sonnet-4-5")
    LLM("openai/served-by-vllm", api_base="http://127.0.0.1:9/v1")
    LLM("hosted_vllm/qwen", api_base="http://127.0.0.1:9/v1")


def test_default_model_is_local_without_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_default_model() == "local"
    monkeypatch.setenv("ANTHROPIC_API_KEY", "k")
    assert resolve_default_model().startswith("anthropic/")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    assert resolve_default_model() == "gpt-4o"
    monkeypatch.setenv("MLE_SUITE_MODEL", "openrouter/x/y")
    assert resolve_default_model() == "openrouter/x/y"


@pytest.mark.parametrize("model", ["openai/o1-preview", "openai/o3-mini"])
def test_reasoning_model_quirks_are_visible_on_the_wire(server: ScriptedServer, model: str) -> None:
    server.push(Reply.text("thought hard"))
    llm = LLM(model, api_base=server.url, temperature=0.7, max_tokens=300, **FAST)
    assert llm.chat([Message.system("You are an expert."), Message.user("Solve it.")]).text == "thought hard"
    sent = server.chat_requests[0]
    assert [m["role"] for m in sent["messages"]] == ["user", "user"]
    assert sent["messages"][0]["content"] == "You are an expert."
    assert "temperature" not in sent
    assert sent.get("max_completion_tokens") == 300 and "max_tokens" not in sent


def test_ordinary_model_keeps_system_and_temperature(server: ScriptedServer) -> None:
    server.push(Reply.text("ok"))
    LLM("gpt-4o", api_base=server.url, temperature=0.7, max_tokens=300, **FAST).chat(
        [Message.system("sys"), Message.user("u")])
    sent = server.chat_requests[0]
    assert sent["messages"][0]["role"] == "system" and sent["temperature"] == 0.7 and sent["max_tokens"] == 300


def test_import_and_calls_make_no_outside_connection() -> None:
    """Importing, constructing, counting tokens and chatting must reach nothing but 127.0.0.1."""
    script = textwrap.dedent("""
        import socket
        LOOPBACK = ("127.0.0.1", "localhost", "::1")
        real_connect, real_lookup = socket.socket.connect, socket.getaddrinfo
        def connect(self, addr):
            if isinstance(addr, tuple) and addr[0] not in LOOPBACK:
                raise OSError(f"blocked outside connection to {addr}")
            return real_connect(self, addr)
        def lookup(host, *args, **kwargs):
            if host not in LOOPBACK:
                raise OSError(f"blocked name lookup of {host}")
            return real_lookup(host, *args, **kwargs)
        socket.socket.connect, socket.getaddrinfo = connect, lookup

        import sys
        from scaffolds.core.llm import LLM, Message
        assert "litellm" not in sys.modules, "the package must not import litellm at import time"
        from scaffolds.core.llm.testing import Reply, ScriptedServer
        with ScriptedServer([Reply.text("fine")]) as srv:
            llm = LLM("gpt-4o", api_base=srv.url, retry_initial_s=0.01)
            print(llm.count_tokens("hello world"), llm.chat([Message.user("hi")]).text, llm.context_window)
    """)
    env = {k: v for k, v in os.environ.items() if k not in ("TIKTOKEN_CACHE_DIR", "CUSTOM_TIKTOKEN_CACHE_DIR")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["2", "fine", "128000"]
