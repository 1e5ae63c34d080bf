from __future__ import annotations

import logging
import time

import pytest

from scaffolds.core.llm import LLM, LLMError, LLMTimeUp, LLMUnavailable, Message
from scaffolds.core.llm.retry import RetryPolicy, decide
from scaffolds.core.llm.speed import SpeedEstimate
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


def test_a_slow_answer_is_cut_at_the_time_the_caller_gave(server: ScriptedServer) -> None:
    """A run passes its time left: a call that would answer after it ends with LLMTimeUp, not with a
    longer retry, however long the per-attempt timeout is."""
    server.push(Reply.slow(5.0), Reply.text("never served"))
    llm = LLM("openai/scripted", api_base=server.url, **FAST)
    started = time.monotonic()
    with pytest.raises(LLMTimeUp, match="within the time the caller gave"):
        llm.chat([Message.user("hi")], within_s=0.6)
    assert time.monotonic() - started < 2.0
    assert len(server.chat_requests) == 1
    assert not isinstance(LLMTimeUp("x"), LLMUnavailable)  # no outage: calling again will not help


def test_a_retry_wait_past_the_callers_time_ends_the_call_at_once(server: ScriptedServer) -> None:
    server.push(Reply.fail(429, "wait", retry_after=3.0), Reply.text("never served"))
    llm = LLM("openai/scripted", api_base=server.url, retry_initial_s=0.001, retry_max_s=1.0, timeout_s=10)
    started = time.monotonic()
    with pytest.raises(LLMTimeUp, match="last error.*wait"):
        llm.chat([Message.user("hi")], within_s=1.0)
    assert time.monotonic() - started < 1.0 and len(server.chat_requests) == 1


def test_a_call_within_the_callers_time_is_retried_as_usual(server: ScriptedServer) -> None:
    server.push(Reply.fail(500, "boom"), Reply.text("in time"))
    llm = LLM("openai/scripted", api_base=server.url, **FAST)
    assert llm.chat([Message.user("hi")], within_s=5.0).text == "in time"
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


def test_backoff_honours_retry_after(server: ScriptedServer) -> None:
    server.push(Reply.fail(429, "wait", retry_after=0.4), Reply.text("ok"))
    llm = LLM("openai/scripted", api_base=server.url, retry_initial_s=0.001, retry_max_s=1.0, timeout_s=10)
    started = time.monotonic()
    assert llm.chat([Message.user("hi")]).text == "ok"
    assert time.monotonic() - started >= 0.4


def test_retry_after_longer_than_the_backoff_cap_is_honoured_and_logged(
        server: ScriptedServer, caplog: pytest.LogCaptureFixture) -> None:
    server.push(Reply.fail(429, "wait", retry_after=0.6), Reply.text("ok"))
    llm = LLM("openai/scripted", api_base=server.url, retry_initial_s=0.001, retry_max_s=0.05, timeout_s=10)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="scaffolds.core.llm"):
        assert llm.chat([Message.user("hi")]).text == "ok"
    assert time.monotonic() - started >= 0.6  # the server's wish beats the cap of our own backoff
    assert any("Retry-After" in r.getMessage() and "retry window" in r.getMessage() for r in caplog.records)


def test_retry_after_beyond_the_retry_window_gives_up_at_once(server: ScriptedServer) -> None:
    server.push(Reply.fail(429, "come back tomorrow", retry_after=3600), Reply.text("never served"))
    llm = LLM("openai/scripted", api_base=server.url, retry_for_s=60, **FAST)
    started = time.monotonic()
    with pytest.raises(LLMError, match=r"asked to wait 3600 s.*retry_for_s=60.*come back tomorrow"):
        llm.chat([Message.user("hi")])
    assert time.monotonic() - started < 5 and len(server.chat_requests) == 1


def test_an_outage_longer_than_five_retries_is_ridden_out() -> None:
    """A count of five retries ends a run on a one-minute outage; a window of time does not."""
    back_at = time.monotonic() + 1.5

    def rule(body: dict) -> Reply:
        return Reply.fail(503, "down for maintenance") if time.monotonic() < back_at else Reply.text("back")

    with ScriptedServer(rule=rule) as srv:
        llm = LLM("openai/scripted", api_base=srv.url, retry_initial_s=0.02, retry_max_s=0.1, retry_for_s=30)
        assert llm.chat([Message.user("hi")]).text == "back"
        assert len(srv.chat_requests) > 6


def test_retries_end_when_the_retry_window_is_spent() -> None:
    with ScriptedServer(rule=lambda body: Reply.fail(503, "still down")) as srv:
        llm = LLM("openai/scripted", api_base=srv.url, retry_initial_s=0.02, retry_max_s=0.1, retry_for_s=0.8)
        started = time.monotonic()
        with pytest.raises(LLMError, match=r"gave up after \d+ attempts in 1 s .*retry window.*still down"):
            llm.chat([Message.user("hi")])
        assert 0.8 <= time.monotonic() - started < 3 and len(srv.chat_requests) > 3


def test_a_timed_out_call_is_retried_with_a_longer_deadline(server: ScriptedServer,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    server.push(Reply.slow(1.5, Reply.text("first, too late")), Reply.slow(1.5, Reply.text("second, in time")))
    llm = LLM("openai/scripted", api_base=server.url, **{**FAST, "timeout_s": 1.0})
    with caplog.at_level(logging.WARNING, logger="scaffolds.core.llm"):
        assert llm.chat([Message.user("hi")]).text == "second, in time"
    assert len(server.chat_requests) == 2
    assert any("waits up to 2 s" in r.getMessage() for r in caplog.records)


def test_the_deadline_follows_the_measured_speed_of_a_slow_model(server: ScriptedServer) -> None:
    # 0.01 s per token: a 60-token answer takes 0.6 s, a 150-token one 1.5 s; the floor is 0.3 s
    server.push(Reply.slow(0.6, Reply.text("a", completion_tokens=60)),
                Reply.slow(1.5, Reply.text("b", completion_tokens=150)))
    llm = LLM("openai/scripted", api_base=server.url, scale_timeout=True, max_tokens=64,
              **{**FAST, "timeout_s": 0.3})
    assert llm.chat([Message.user("hi")]).text == "a"  # before any measurement: a pessimistic guess
    longer = llm.derive(max_tokens=256)
    assert longer.chat([Message.user("hi")]).text == "b"  # 256 tokens at the measured speed: ~5 s
    assert len(server.chat_requests) == 2  # neither answer was cut and asked again


def test_speed_estimate_learns_and_scales_with_the_answer_size() -> None:
    speed = SpeedEstimate()
    prior = speed.deadline(1000, 500, floor_s=1.0)
    assert prior > 100  # unknown speed: pessimistic
    speed.observe(prompt_tokens=1000, completion_tokens=500, seconds=8.0)  # 800 units in 8 s
    assert speed.deadline(1000, 500, floor_s=1.0) == pytest.approx(16.0)
    assert speed.deadline(1000, 5000, floor_s=1.0) > 5 * speed.deadline(1000, 500, floor_s=1.0)
    assert speed.deadline(10, 10, floor_s=600.0) == 600.0  # never below the configured timeout


@pytest.mark.parametrize("attempt, failing_for, retry_after, expect", [
    (1, 0.0, None, "backoff"),
    (1, 0.0, 30.0, "the server's Retry-After"),
    (3, 299.0, None, "backoff"),  # the last try lands at the end of the window
    (3, 301.0, None, None),
    (1, 0.0, 3600.0, None),
])
def test_retry_decisions(attempt: int, failing_for: float, retry_after: float | None, expect: str | None) -> None:
    decision = decide(RetryPolicy(retry_for_s=300.0, initial_s=1.0, max_backoff_s=60.0), attempt, failing_for,
                      retry_after)
    assert (decision.why if decision.wait_s is not None else None) == expect
    if expect:
        assert decision.wait_s <= max(300.0 - failing_for, 0) + 1e-9


def test_unreachable_server_is_an_llm_error_after_retries() -> None:
    with ScriptedServer() as srv:
        url = srv.url  # a port that nothing listens on once the server is stopped
    llm = LLM("openai/scripted", api_base=url, max_retries=1, **FAST)
    with pytest.raises(LLMError, match="gave up after 2 attempts"):
        llm.chat([Message.user("hi")])
