from __future__ import annotations

import time

import pytest

from scaffolds.core.llm import LLM, LLMError, LLMUnavailable, Message
from scaffolds.core.llm.testing import Reply, ScriptedServer

from .conftest import FAST


def test_rate_limit_and_server_errors_are_retried_then_succeed(server: ScriptedServer) -> None:
    server.push(Reply.fail(429, "slow down"), Reply.fail(500, "boom"), Reply.fail(503), Reply.text("finally"))
    llm = LLM("openai/scripted", api_base=server.url, max_retries=5, **FAST)
    assert llm.chat([Message.user("hi")]).text == "finally"
    assert len(server.chat_requests) == 4
    assert all(r == server.chat_requests[0] for r in server.chat_requests)  # the same request each time


def test_timeout_is_retried(server: ScriptedServer) -> None:
    server.push(Reply.slow(3.0), Reply.text("quick"))
    llm = LLM("openai/scripted", api_base=server.url, **{**FAST, "timeout_s": 0.5})
    started = time.monotonic()
    assert llm.chat([Message.user("hi")]).text == "quick"
    assert time.monotonic() - started < 2.5  # the slow reply was abandoned at the timeout
    assert len(server.chat_requests) == 2


def test_retries_exhausted_raise_llm_error_with_cause(server: ScriptedServer) -> None:
    server.push(*[Reply.fail(500, "still broken")] * 3)
    llm = LLM("openai/scripted", api_base=server.url, max_retries=2, **FAST)
    with pytest.raises(LLMUnavailable, match=r"gave up after 3 attempts.*still broken"):
        llm.chat([Message.user("hi")])
    assert len(server.chat_requests) == 3 and server.pending == 0


def test_client_errors_are_not_retried(server: ScriptedServer) -> None:
    server.push(Reply.fail(400, "invalid request: messages too odd"), Reply.text("never served"))
    llm = LLM("openai/scripted", api_base=server.url, max_retries=5, **FAST)
    with pytest.raises(LLMError, match="request failed.*messages too odd") as info:
        llm.chat([Message.user("hi")])
    assert not isinstance(info.value, LLMUnavailable)  # a bad request is no outage: waiting will not fix it
    assert len(server.chat_requests) == 1


def test_backoff_honours_retry_after_and_cap(server: ScriptedServer) -> None:
    server.push(Reply.fail(429, "wait", retry_after=0.4), Reply.text("ok"))
    llm = LLM("openai/scripted", api_base=server.url, retry_initial_s=0.001, retry_max_s=1.0, timeout_s=10)
    started = time.monotonic()
    assert llm.chat([Message.user("hi")]).text == "ok"
    assert time.monotonic() - started >= 0.4
    # The cap bounds a huge Retry-After.
    server.push(Reply.fail(429, "wait", retry_after=3600), Reply.text("ok"))
    llm = LLM("openai/scripted", api_base=server.url, retry_initial_s=0.001, retry_max_s=0.05, timeout_s=10)
    started = time.monotonic()
    assert llm.chat([Message.user("hi")]).text == "ok"
    assert time.monotonic() - started < 5


def test_unreachable_server_is_an_llm_error_after_retries() -> None:
    with ScriptedServer() as srv:
        url = srv.url  # a port that nothing listens on once the server is stopped
    llm = LLM("openai/scripted", api_base=url, max_retries=1, **FAST)
    with pytest.raises(LLMError, match="gave up after 2 attempts"):
        llm.chat([Message.user("hi")])
