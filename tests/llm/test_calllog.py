from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffolds.core.llm import LLM, LLMError, Message
from scaffolds.core.llm.calllog import scrub
from scaffolds.core.llm.testing import Reply, ScriptedServer

from .conftest import FAST

FAKE_KEY = "sk-proj-FAKEfake1234567890abcdefSECRET"


def test_call_log_has_everything_but_secrets(server: ScriptedServer, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("MY_SERVICE_TOKEN", "tok-abcdefgh12345678")
    server.push(Reply.fail(429), Reply.text(f"echo: {FAKE_KEY}", prompt_tokens=7, completion_tokens=3),
                *[Reply.fail(500)] * 2)
    log_path = tmp_path / "calls.jsonl"
    llm = LLM("gpt-4o", api_base=server.url, log_path=log_path, temperature=0.0, max_retries=1, **FAST)
    llm.chat([Message.system("sys"), Message.user("my key is " + FAKE_KEY + " and tok-abcdefgh12345678")])
    with pytest.raises(LLMError):
        llm.chat([Message.user("again")])

    # The key really was used (it reached the server)...
    assert server.requests[0].headers["authorization"] == f"Bearer {FAKE_KEY}"
    # ...but appears nowhere in the log.
    raw = log_path.read_text()
    assert FAKE_KEY not in raw and "tok-abcdefgh12345678" not in raw and "FAKEfake" not in raw
    first, second = [json.loads(line) for line in raw.splitlines()]
    assert first["call"] == 0 and first["model"] == "gpt-4o"
    assert first["requests"][0][1]["content"].startswith("my key is <redacted>")
    assert first["params"] == {"model": "gpt-4o", "temperature": 0.0}
    assert first["reply"]["text"] == "echo: <redacted>"
    assert first["usage"] == {"prompt_tokens": 7, "completion_tokens": 3, "cached_tokens": 0}
    assert first["cost_usd"] > 0 and first["latency_s"] > 0
    assert len(first["errors"]) == 1 and "RateLimitError" in first["errors"][0]
    assert second["call"] == 1 and "gave up after 2 attempts" in second["error"] and "reply" not in second


def test_scrub_redacts_key_fields_and_key_like_values() -> None:
    record = {"headers": {"Authorization": "Bearer abc", "x": "1"}, "api_key": "whatever", "max_tokens": 5,
              "note": "use sk-ant-api03-abcdefghijklmnopqrstuv please", "list": ["AIza" + "b" * 35]}
    clean = scrub(record, secrets=["whatever-else"])
    assert clean["headers"]["Authorization"] == "<redacted>" and clean["headers"]["x"] == "1"
    assert clean["api_key"] == "<redacted>" and clean["max_tokens"] == 5
    assert clean["note"] == "use <redacted> please" and clean["list"] == ["<redacted>"]
