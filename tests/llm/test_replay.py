from __future__ import annotations

from pathlib import Path

import pytest

from scaffolds.core.llm import LLM, Budget, LLMError, Message, ReplayDivergence, ToolSpec
from scaffolds.core.llm.testing import Reply, ScriptedServer

from .conftest import FAST

RUN = ToolSpec("run", "Run a command.", {"type": "object", "properties": {"cmd": {"type": "string"}}})


def _session(llm: LLM, second_prompt: str = "and now?") -> list:
    results = [llm.chat([Message.system("s"), Message.user("hello")])]
    results.append(llm.chat([Message.user(second_prompt)], tools=[RUN], tool_choice="run"))
    results.append(llm.chat([Message.user("third")]))
    return results


def _record(tmp_path: Path) -> tuple[Path, list]:
    cassette = tmp_path / "run.cassette.jsonl"
    with ScriptedServer([Reply.text("hi there", prompt_tokens=12, completion_tokens=3),
                         Reply.tool("run", "{broken"),  # malformed -> fallback request, also recorded
                         Reply.text('```json\n{"tool": "run", "arguments": {"cmd": "ls"}}\n```'),
                         Reply.text("bye")]) as srv:
        llm = LLM("openai/scripted", api_base=srv.url, record_path=cassette, price=(1.0, 2.0), **FAST)
        results = _session(llm)
        assert len(srv.chat_requests) == 4
    return cassette, results


def test_replay_reproduces_a_recorded_run_without_a_server(tmp_path: Path) -> None:
    cassette, recorded = _record(tmp_path)
    # The server is stopped: any network call would fail. No API key is needed for a replay either.
    budget = Budget()
    llm = LLM("openai/scripted", replay_path=cassette, price=(1.0, 2.0), budget=budget)
    replayed = _session(llm)
    for live, again in zip(recorded, replayed):
        assert (again.text, again.tool_calls, again.finish_reason) == (live.text, live.tool_calls, live.finish_reason)
        assert (again.usage.prompt_tokens, again.usage.cost_usd) == (live.usage.prompt_tokens, live.usage.cost_usd)
    assert replayed[1].tool_calls[0].arguments == {"cmd": "ls"}
    assert budget.calls == 3 and budget.tokens > 0


def test_replay_divergence_names_the_call_and_the_difference(tmp_path: Path) -> None:
    cassette, _ = _record(tmp_path)
    llm = LLM("openai/scripted", replay_path=cassette, price=(1.0, 2.0))
    with pytest.raises(ReplayDivergence) as info:
        _session(llm, second_prompt="something else")
    assert info.value.index == 1
    assert "messages[" in info.value.detail and "something else" in info.value.detail
    assert "replay diverged at call 1" in str(info.value)


def test_replay_detects_extra_calls_and_changed_params(tmp_path: Path) -> None:
    cassette, _ = _record(tmp_path)
    llm = LLM("openai/scripted", replay_path=cassette, price=(1.0, 2.0))
    _session(llm)
    with pytest.raises(ReplayDivergence, match="call 4: the cassette has only 4 calls"):
        llm.chat([Message.user("one more")])
    hot = LLM("openai/scripted", replay_path=cassette, temperature=0.9)
    with pytest.raises(ReplayDivergence, match="call 0: temperature: recorded null, now 0.9"):
        hot.chat([Message.system("s"), Message.user("hello")])


def test_recorded_failures_replay_as_failures(tmp_path: Path) -> None:
    cassette = tmp_path / "fail.jsonl"
    with ScriptedServer([Reply.fail(500)] * 2) as srv:
        llm = LLM("openai/scripted", api_base=srv.url, record_path=cassette, max_retries=1, **FAST)
        with pytest.raises(LLMError):
            llm.chat([Message.user("x")])
    again = LLM("openai/scripted", replay_path=cassette)
    with pytest.raises(LLMError, match="gave up after 2 attempts"):
        again.chat([Message.user("x")])


def test_missing_or_foreign_cassette_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="record one first"):
        LLM("openai/scripted", replay_path=tmp_path / "nope.jsonl")
    (tmp_path / "other.jsonl").write_text('{"something": 1}\n')
    with pytest.raises(ValueError, match="not a cassette"):
        LLM("openai/scripted", replay_path=tmp_path / "other.jsonl")
    with pytest.raises(ValueError, match="exclusive"):
        LLM("openai/scripted", record_path=tmp_path / "a", replay_path=tmp_path / "b")


def _clocked_session(llm: LLM, minutes_left: int, seconds_ran: float) -> list:
    prompt = f"Time left: {minutes_left} minutes. The last script ran for {seconds_ran:.1f} seconds (limit 5 min)."
    return [llm.chat([Message.system("s"), Message.user(prompt)]), llm.chat([Message.user("next")])]


def test_lenient_replay_ignores_clock_readings_but_not_words(tmp_path: Path) -> None:
    cassette = tmp_path / "clock.jsonl"
    with ScriptedServer([Reply.text("one"), Reply.text("two")]) as srv:
        _clocked_session(LLM("openai/scripted", api_base=srv.url, record_path=cassette, **FAST), 29, 3.2)
    exact = LLM("openai/scripted", replay_path=cassette)
    with pytest.raises(ReplayDivergence, match="call 0"):
        _clocked_session(exact, 28, 12.7)  # a later clock: an exact replay diverges at once
    lenient = LLM("openai/scripted", replay_path=cassette, replay_match="lenient")
    assert [r.text for r in _clocked_session(lenient, 2, 125.0)] == ["one", "two"]
    again = LLM("openai/scripted", replay_path=cassette, replay_match="lenient")
    with pytest.raises(ReplayDivergence, match=r"call 0: messages\[1\].content.*numbers ignored"):
        again.chat([Message.system("s"), Message.user("Time left: 29 hours of fun.")])


def test_derived_llm_shares_budget_log_and_cassette(tmp_path: Path) -> None:
    cassette, log_path = tmp_path / "c.jsonl", tmp_path / "calls.jsonl"
    budget = Budget()
    with ScriptedServer([Reply.text("a"), Reply.text("b")]) as srv:
        base = LLM("openai/scripted", api_base=srv.url, budget=budget, log_path=log_path, record_path=cassette,
                   price=(1.0, 1.0), **FAST)
        twin = base.derive(retry_for_s=3600.0, temperature=0.2)
        base.chat([Message.user("1")])
        twin.chat([Message.user("2")])
        assert srv.chat_requests[1]["temperature"] == 0.2 and "temperature" not in srv.chat_requests[0]
    assert twin.config.retry_for_s == 3600.0 and base.config.retry_for_s == 300.0
    assert budget.calls == 2 and len(log_path.read_text().splitlines()) == 2
    assert len(cassette.read_text().splitlines()) == 3  # header + both calls, nothing overwritten
    with pytest.raises(ValueError, match="cannot change"):
        base.derive(model="gpt-4o")
