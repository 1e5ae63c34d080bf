from __future__ import annotations

import pytest

from scaffolds.core.llm import LLM, Message
from scaffolds.core.llm.testing import Reply, ScriptedServer

from .conftest import FAST


def test_plain_chat_sends_messages_and_returns_text(server: ScriptedServer) -> None:
    server.push(Reply.text("4", prompt_tokens=21, completion_tokens=1))
    llm = LLM("openai/scripted", api_base=server.url, temperature=0.2, max_tokens=64, **FAST)
    result = llm.chat([Message.system("You are terse."), Message.user("2+2?")])
    assert result.text == "4"
    assert result.tool_calls == ()
    assert result.finish_reason == "stop"
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (21, 1)
    assert result.usage.latency_s > 0
    sent = server.chat_requests[0]
    assert sent["messages"] == [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "2+2?"}]
    assert sent["temperature"] == 0.2 and sent["max_tokens"] == 64
    assert "tools" not in sent


def test_multi_turn_conversation_is_sent_in_order(server: ScriptedServer) -> None:
    server.push(Reply.text("first"), Reply.text("second"))
    llm = LLM("openai/scripted", api_base=server.url, **FAST)
    history = [Message.user("a")]
    history.append(llm.chat(history).as_message())
    history.append(Message.user("b"))
    assert llm.chat(history).text == "second"
    roles = [m["role"] for m in server.chat_requests[1]["messages"]]
    assert roles == ["user", "assistant", "user"]


def test_bad_arguments_are_clear_errors(server: ScriptedServer) -> None:
    llm = LLM("openai/scripted", api_base=server.url, **FAST)
    with pytest.raises(ValueError, match="at least one message"):
        llm.chat([])
    with pytest.raises(TypeError, match="Message"):
        llm.chat([{"role": "user", "content": "hi"}])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="price"):
        LLM("openai/scripted", api_base=server.url, price=(1.0,))  # type: ignore[arg-type]
    assert server.chat_requests == []


def test_scripted_server_streams_and_lists_models(server: ScriptedServer) -> None:
    from scaffolds.core.llm.models import import_litellm

    litellm = import_litellm()
    server.push(Reply.text("streamed answer"))
    chunks = litellm.completion(model="openai/scripted", api_base=server.url, api_key="x", stream=True,
                                messages=[{"role": "user", "content": "hi"}])
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "streamed answer"
    import openai

    models = openai.OpenAI(base_url=server.url, api_key="x").models.list()
    assert [m.id for m in models.data] == ["scripted"]


def test_rule_based_replies_see_the_request() -> None:
    def echo(body: dict) -> Reply:
        return Reply.text("echo: " + body["messages"][-1]["content"])

    with ScriptedServer(rule=echo) as srv:
        llm = LLM("openai/scripted", api_base=srv.url, **FAST)
        assert [llm.chat([Message.user(w)]).text for w in ("a", "b")] == ["echo: a", "echo: b"]
        srv.push(Reply.text("queued first"))
        assert llm.chat([Message.user("c")]).text == "queued first"


def test_empty_script_is_a_clear_error(server: ScriptedServer) -> None:
    from scaffolds.core.llm import LLMError

    llm = LLM("openai/scripted", api_base=server.url, **FAST)
    with pytest.raises(LLMError, match="no scripted reply left"):
        llm.chat([Message.user("hi")])
