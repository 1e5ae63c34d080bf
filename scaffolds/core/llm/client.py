"""The LLM client every scaffold uses: one `chat` call with retries, tool calls (native or JSON-in-text),
quirks, accounting, budget, call log and record/replay."""

from __future__ import annotations

import itertools
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .budget import Budget
from .calllog import CallLog
from .cassette import Player, Recorder
from .errors import ContextWindowExceeded, LLMError, LLMTimeUp, LLMUnavailable, ReplayDivergence
from .jsonparse import parse_arguments, parse_tool_calls, tool_call_schema, tool_prompt
from .models import (apply_quirks, check_api_key, context_window_of, import_litellm, is_local, known_context_window,
                     price_table_entry, provider_of, quirks_for, supports_tools)
from .records import ChatResult, Message, ToolCall, ToolSpec, Usage
from .retry import RetryPolicy, decide, retry_after_seconds
from .speed import SpeedEstimate
from .tokens import count_tokens

log = logging.getLogger(__name__)


def _local_module() -> Any:
    # Imported on use so that `python -m scaffolds.core.llm.local` does not find itself pre-imported.
    from . import local

    return local

_RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504, 529}
_NUDGE = ("Your previous reply did not contain a valid tool call. Reply again with only the JSON object "
          '{"tool": ..., "arguments": {...}} in a ```json fenced block.')


@dataclass(frozen=True)
class LLMConfig:
    """Everything that configures one LLM object, except the (shared) budget."""

    model: str = "local"
    temperature: float | None = None
    api_base: str | None = None
    timeout_s: float = 600.0  # per attempt; the least a call waits when scale_timeout is on
    max_retries: int | None = None  # None: retries are bounded by retry_for_s only
    price: tuple[float, float] | None = None  # USD per 1M (input, output) tokens, for unmapped models
    max_tokens: int | None = None
    log_path: Path | None = None
    record_path: Path | None = None
    replay_path: Path | None = None
    retry_initial_s: float = 1.0  # first backoff; doubles per attempt, with jitter
    retry_max_s: float = 60.0  # cap of one backoff wait (a server's Retry-After may be longer)
    retry_for_s: float | None = 300.0  # keep retrying a failing call this long (None: no bound)
    scale_timeout: bool | None = None  # deadline follows the measured speed; None: on for local models
    replay_match: str = "exact"  # "exact" | "lenient": a replay ignores numbers and durations in messages
    # The embedded model's forced tool calls (JSON in text) are constrained to the tool's schema through
    # llama.cpp's response_format, which compiles it to a grammar: a small model cannot then write prose
    # or broken JSON where a review is expected. Other models force the call natively and ignore this.
    constrain_tools: bool = False


class _ToolsUnsupported(Exception):
    """The backend rejected the `tools` parameter; the call is redone with JSON in text."""


@dataclass
class _Trace:
    """What happened during one chat call, for accounting and the call log."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    ends_at: float | None = None  # monotonic time by which the call must have answered (chat's within_s)


class LLM:
    """A chat model reached through litellm (any provider), or the embedded model with "local"."""

    def __init__(self, model: str = "local", *, temperature: float | None = None, api_base: str | None = None,
                 budget: Budget | None = None, log_path: Path | None = None, record_path: Path | None = None,
                 replay_path: Path | None = None, timeout_s: float = 600, max_retries: int | None = None,
                 price: tuple[float, float] | None = None, max_tokens: int | None = None,
                 retry_initial_s: float = 1.0, retry_max_s: float = 60.0, retry_for_s: float | None = 300.0,
                 scale_timeout: bool | None = None, replay_match: str = "exact"):
        config = LLMConfig(model, temperature, api_base, timeout_s, max_retries, price, max_tokens,
                           log_path, record_path, replay_path, retry_initial_s, retry_max_s, retry_for_s,
                           scale_timeout, replay_match)
        self._setup(config, budget)

    @classmethod
    def from_config(cls, config: LLMConfig, budget: Budget | None = None) -> LLM:
        llm = cls.__new__(cls)
        llm._setup(config, budget)
        return llm

    def derive(self, **changes: Any) -> LLM:
        """A copy with some settings changed (e.g. `retry_for_s`, `temperature`) that shares this one's
        budget, call log, cassette and speed estimate. The model and the record/replay paths stay."""
        fixed = {"model", "log_path", "record_path", "replay_path"} & set(changes)
        if fixed:
            raise ValueError(f"derive() cannot change {sorted(fixed)}: build a new LLM for that")
        from dataclasses import replace

        twin = LLM.__new__(LLM)
        twin.__dict__.update(self.__dict__)
        twin.config = replace(self.config, **changes)
        twin._check_settings()
        twin._retry = _retry_policy(twin.config)
        return twin

    def _setup(self, config: LLMConfig, budget: Budget | None) -> None:
        if config.record_path and config.replay_path:
            raise ValueError("record_path and replay_path are exclusive: record one run, replay it in another")
        self.config, self.model, self.budget = config, config.model, budget
        self._check_settings()
        self._player = Player(config.replay_path) if config.replay_path else None
        self._recorder = Recorder(config.record_path) if config.record_path else None
        self._log = CallLog(config.log_path) if config.log_path else None
        self._counter = itertools.count()
        self._retry = _retry_policy(config)
        self._speed = SpeedEstimate()
        self._local = _local_module().resolve_spec(self.model) if is_local(self.model) else None
        if self._player is None:  # a replay needs neither keys nor the local runtime
            if self._local and config.api_base:
                pass  # a server already running elsewhere (e.g. one shared by a pool of runs) serves it
            elif self._local:
                _local_module().check_runtime()
                _local_module().verify(self._local)
            else:
                check_api_key(self.model, config.api_base)
        self._quirks = quirks_for(self.model)
        self._litellm_model = f"openai/{self._local.alias}" if self._local else self.model
        self._price_entry = None if self._local else price_table_entry(self.model)
        # Small local models follow a JSON-in-text protocol more reliably than llama.cpp's tool parsing.
        self._native_tools = not self._local and supports_tools(self.model) is not False
        if self._price_entry is None and config.price is None and not self._local:
            log.warning("model %r is not in litellm's price map and no price= was given: its cost counts as $0",
                        self.model)

    def _check_settings(self) -> None:
        config = self.config
        if config.price is not None and (len(config.price) != 2 or min(config.price) < 0):
            raise ValueError(f"price must be (usd_per_1M_input, usd_per_1M_output), got {config.price!r}")
        if config.replay_match not in ("exact", "lenient"):
            raise ValueError(f"replay_match must be 'exact' or 'lenient', got {config.replay_match!r}")
        if config.retry_for_s is not None and config.retry_for_s < 0:
            raise ValueError(f"retry_for_s must be >= 0 or None, got {config.retry_for_s!r}")

    @property
    def replaying(self) -> bool:
        return self._player is not None

    # ----- public API -----

    def chat(self, messages: list[Message], *, tools: list[ToolSpec] | None = None,
             tool_choice: str | None = None, within_s: float | None = None) -> ChatResult:
        """One model turn. `tool_choice`: None/"auto", "required", "none", or a tool name to force.
        `within_s`: the call, retries included, gives up after this many seconds with LLMTimeUp (a run
        passes its time left, so that a slow answer cannot carry it past its limit)."""
        tools = list(tools or ())
        _validate(messages, tools, tool_choice)
        if self.budget is not None:
            self.budget.check()
        index, started = next(self._counter), time.monotonic()
        trace = _Trace(ends_at=None if within_s is None else started + within_s)
        try:
            text, calls, finish, model = self._turn(messages, tools, tool_choice, trace)
        except (LLMError, ReplayDivergence) as err:
            self._write_log(index, trace, started, None, None, err)
            raise
        usage = self._usage(trace, time.monotonic() - started)
        result = ChatResult(text, calls, usage, model, finish)
        if self.budget is not None:
            self.budget.add(usage)
        self._write_log(index, trace, started, result, usage, None)
        return result

    def count_tokens(self, text: str) -> int:
        return count_tokens(self.model, text)

    def count_message_tokens(self, messages: list[Message]) -> int:
        """Tokens of a conversation, with the few per-message framing tokens chat formats add."""
        return sum(self.count_tokens(m.content) + 4 for m in messages) + 2

    @property
    def context_window(self) -> int:
        if self._local:
            return _local_module().default_n_ctx()
        return context_window_of(self.model)

    @property
    def known_context_window(self) -> int | None:
        """The context window when it is known for sure (local models, models in litellm's map)."""
        if self._local:
            return _local_module().default_n_ctx()
        return known_context_window(self.model)

    # ----- one turn: native tools, falling back to JSON in text -----

    def _turn(self, messages: list[Message], tools: list[ToolSpec], tool_choice: str | None,
              trace: _Trace) -> tuple[str, tuple[ToolCall, ...], str | None, str]:
        mode = "plain" if not tools else ("native" if self._native_tools else "text")
        resp = self._request(messages, tools, tool_choice, mode, trace)
        mode = trace.modes[-1]
        text, calls, bad = _parse_reply(resp, tools)
        wants_tool = bool(tools) and tool_choice != "none"
        must_call = wants_tool and tool_choice not in (None, "auto")
        forced = tool_choice if tool_choice not in (None, "auto", "required", "none") else None
        if wants_tool and not calls:
            calls = parse_tool_calls(text, tools, forced)  # JSON written as prose
        if wants_tool and not calls and (must_call or bad):
            log.info("no usable tool call from %s (%s); asking for JSON in text", self.model,
                     f"{bad} malformed" if bad else "prose answer")
            nudge = (text, _NUDGE) if mode == "text" else None
            resp = self._request(messages, tools, tool_choice, "text", trace, nudge=nudge)
            text, _, _ = _parse_reply(resp, tools)
            calls = parse_tool_calls(text, tools, forced)
        choice = resp["choices"][0]
        return text, calls, choice.get("finish_reason"), resp.get("model") or self.model

    def _request(self, messages: list[Message], tools: list[ToolSpec], tool_choice: str | None, mode: str,
                 trace: _Trace, nudge: tuple[str, str] | None = None) -> dict[str, Any]:
        request = self._build_request(messages, tools, tool_choice, mode, nudge)
        trace.requests.append(request)
        trace.modes.append(mode)
        try:
            resp = self._replay(request) if self._player else self._send(request, trace)
        except _ToolsUnsupported as err:
            self._record(request, None, "tools_unsupported", str(err))
            log.info("%s rejected native tools (%s); using JSON in text from now on", self.model, err)
            self._native_tools = False
            return self._request(messages, tools, tool_choice, "text", trace, nudge)
        except LLMError as err:
            kind = ("context_window" if isinstance(err, ContextWindowExceeded)
                    else "unavailable" if isinstance(err, LLMUnavailable)
                    else "time_up" if isinstance(err, LLMTimeUp) else "error")
            self._record(request, None, kind, str(err))
            raise
        self._record(request, resp, None, None)
        trace.responses.append(resp)
        return resp

    def _build_request(self, messages: list[Message], tools: list[ToolSpec], tool_choice: str | None, mode: str,
                       nudge: tuple[str, str] | None) -> dict[str, Any]:
        if mode == "native":
            wire = [_native_message(m) for m in messages]
        else:
            extra = tool_prompt(tools, _forced(tool_choice)) if mode == "text" and tool_choice != "none" else ""
            wire = _text_messages(messages, extra)
        if nudge:
            wire += [{"role": "assistant", "content": nudge[0]}, {"role": "user", "content": nudge[1]}]
        request: dict[str, Any] = {"model": self._litellm_model, "messages": wire}
        if self.config.temperature is not None:
            request["temperature"] = self.config.temperature
        if self.config.max_tokens is not None:
            request["max_tokens"] = self.config.max_tokens
        forced_spec = next((t for t in tools if t.name == _forced(tool_choice)), None)
        if mode == "text" and self._local and self.config.constrain_tools and forced_spec is not None:
            request["response_format"] = {"type": "json_object", "schema": tool_call_schema(forced_spec)}
        if mode == "native":
            request["tools"] = [_native_tool(t) for t in tools]
            if tool_choice is not None:
                forced = _forced(tool_choice)
                request["tool_choice"] = {"type": "function", "function": {"name": forced}} if forced else tool_choice
        apply_quirks(self._quirks, request["messages"], request)
        return request

    # ----- transport: live with retries, or replayed -----

    def _send(self, request: dict[str, Any], trace: _Trace) -> dict[str, Any]:
        """One request, retried on transient failures for as long as the retry policy allows.

        A timed-out attempt is retried with twice the deadline (and says so in the log): repeating it
        with the same deadline would only cut the same slow answer again."""
        litellm = import_litellm()
        deadline = self._deadline(request)
        first_failure: float | None = None
        attempt = 0
        while True:
            attempt += 1
            started = time.monotonic()
            timeout = deadline if trace.ends_at is None else min(deadline, trace.ends_at - started)
            if timeout <= 0:
                raise self._time_up(attempt - 1, None)
            try:
                response = litellm.completion(**request, timeout=timeout, max_retries=0, **self._endpoint())
            except Exception as err:  # noqa: BLE001 - every failure becomes one of our typed errors
                if not _retryable(err):
                    raise self._translate(err, request) from err
                if timeout < deadline and isinstance(err, litellm.Timeout):  # cut by the caller's time
                    raise self._time_up(attempt, err) from err
                first_failure = started if first_failure is None else first_failure
                failing_for = time.monotonic() - first_failure
                decision = decide(self._retry, attempt, failing_for, retry_after_seconds(err))
                if decision.wait_s is None:
                    raise LLMUnavailable(f"{self.model}: gave up after {attempt} attempts in {failing_for:.0f} s "
                                   f"({decision.why}); last error: {_describe(err)}") from err
                if trace.ends_at is not None and time.monotonic() + decision.wait_s >= trace.ends_at:
                    raise self._time_up(attempt, err) from err
                if isinstance(err, litellm.Timeout):
                    deadline *= 2
                self._note_retry(attempt, err, decision.wait_s, decision.why, deadline, trace)
                time.sleep(decision.wait_s)
                continue
            data = response.model_dump(exclude_none=False)
            usage = data.get("usage") or {}
            self._speed.observe(usage.get("prompt_tokens") or 0, usage.get("completion_tokens") or 0,
                                time.monotonic() - started)
            return data

    def _time_up(self, attempts: int, err: BaseException | None) -> LLMTimeUp:
        last = f"; last error: {_describe(err)}" if err is not None else ""
        return LLMTimeUp(f"{self.model}: no answer within the time the caller gave this call "
                         f"({attempts} attempts{last})")

    def _deadline(self, request: dict[str, Any]) -> float:
        """The first attempt's timeout: the configured one, or longer when the model's speed says so."""
        scale = self.config.scale_timeout if self.config.scale_timeout is not None else bool(self._local)
        if not scale:
            return self.config.timeout_s
        prompt = sum(self.count_tokens(str(m.get("content") or "")) + 4 for m in request["messages"])
        cap = request.get("max_tokens") or request.get("max_completion_tokens")
        max_new = int(cap) if cap else max(256, self.context_window - prompt)
        return self._speed.deadline(prompt, max_new, self.config.timeout_s)

    def _endpoint(self) -> dict[str, Any]:
        if self._local:
            url = self.config.api_base or _local_module().SERVERS.url_for(self._local,
                                                                          _local_module().default_n_ctx())
            return {"api_base": url, "api_key": "local"}
        if not self.config.api_base:
            return {}
        endpoint: dict[str, Any] = {"api_base": self.config.api_base}
        if provider_of(self.model) in ("openai", "hosted_vllm", "openrouter"):
            # The openai client refuses to start without a key, even for servers that need none.
            endpoint["api_key"] = os.environ.get("OPENAI_API_KEY") or "none"
        return endpoint

    def _note_retry(self, attempt: int, err: BaseException, wait_s: float, why: str, deadline: float,
                    trace: _Trace) -> None:
        window = self._retry.retry_for_s
        note = (f"attempt {attempt}: {_describe(err)}; retrying in {wait_s:.1f} s ({why}"
                + (f", retry window {window:.0f} s" if window is not None else "") + ")")
        if "Timeout" in type(err).__name__:
            note += f"; no answer in time, so the next attempt waits up to {deadline:.0f} s"
        trace.errors.append(note)
        log.warning("%s: %s", self.model, note)

    def _translate(self, err: Exception, request: dict[str, Any]) -> Exception:
        """A non-retryable failure as one of our errors (or the marker that native tools are unsupported)."""
        import litellm

        what = _describe(err)
        if isinstance(err, litellm.ContextWindowExceededError):
            return ContextWindowExceeded(f"{self.model}: the conversation exceeds the context window "
                                         f"({self.context_window} tokens): {what}")
        if isinstance(err, (litellm.BadRequestError, litellm.UnsupportedParamsError)) and "tools" in request:
            if any(word in str(err).lower() for word in ("tool", "function")):
                return _ToolsUnsupported(what)
        if isinstance(err, litellm.AuthenticationError):
            return LLMError(f"{self.model}: authentication failed ({what}); check the API key in the environment")
        if isinstance(err, LLMError):
            return err
        return LLMError(f"{self.model}: request failed: {what}")

    def _replay(self, request: dict[str, Any]) -> dict[str, Any]:
        entry = self._player.next(request, lenient=self.config.replay_match == "lenient")
        error = entry.get("error")
        if error:
            if error["kind"] == "tools_unsupported":
                raise _ToolsUnsupported(error["message"])
            kinds = {"context_window": ContextWindowExceeded, "unavailable": LLMUnavailable, "time_up": LLMTimeUp}
            raise kinds.get(error["kind"], LLMError)(error["message"])
        return entry["response"]

    def _record(self, request: dict[str, Any], response: dict[str, Any] | None, kind: str | None,
                message: str | None) -> None:
        if self._recorder is not None:
            self._recorder.add(request, response, {"kind": kind, "message": message} if kind else None)

    # ----- accounting and logging -----

    def _usage(self, trace: _Trace, latency: float) -> Usage:
        prompt = completion = cached = 0
        for resp in trace.responses:
            usage = resp.get("usage") or {}
            prompt += usage.get("prompt_tokens") or 0
            completion += usage.get("completion_tokens") or 0
            cached += (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
        return Usage(prompt, completion, cached, self._cost(prompt, completion, cached), latency)

    def _cost(self, prompt: int, completion: int, cached: int) -> float:
        if self.config.price is not None:
            usd_in, usd_out = self.config.price
            return (prompt * usd_in + completion * usd_out) / 1e6
        if self._price_entry is None:
            return 0.0
        litellm = import_litellm()
        cost_in, cost_out = litellm.cost_per_token(model=self._price_key(), prompt_tokens=prompt,
                                                   completion_tokens=completion, cache_read_input_tokens=cached)
        return float(cost_in + cost_out)

    def _price_key(self) -> str:
        table = import_litellm().model_cost
        return next(k for k in (self.model, self.model.split("/", 1)[-1], self.model.rsplit("/", 1)[-1])
                    if k in table)

    def _write_log(self, index: int, trace: _Trace, started: float, result: ChatResult | None,
                   usage: Usage | None, err: Exception | None) -> None:
        if self._log is None:
            return
        record: dict[str, Any] = {
            "ts": time.time(), "call": index, "model": self.model, "modes": trace.modes,
            "params": {k: v for k, v in (trace.requests[0] if trace.requests else {}).items() if k != "messages"},
            "requests": [r["messages"] for r in trace.requests], "replayed": self._player is not None,
            "latency_s": round(time.monotonic() - started, 4), "errors": trace.errors,
        }
        if result is not None and usage is not None:
            record["reply"] = {"text": result.text, "finish_reason": result.finish_reason, "model": result.model,
                               "tool_calls": [{"id": c.id, "name": c.name, "arguments": c.arguments}
                                              for c in result.tool_calls]}
            record["usage"] = {"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens,
                               "cached_tokens": usage.cached_tokens}
            record["cost_usd"] = usage.cost_usd
        if err is not None:
            record["error"] = f"{type(err).__name__}: {err}"
        self._log.write(record)


# ----- helpers (pure functions) -----

def _validate(messages: list[Message], tools: list[ToolSpec], tool_choice: str | None) -> None:
    if not messages:
        raise ValueError("chat() needs at least one message")
    bad = [m for m in messages if not isinstance(m, Message)]
    if bad:
        raise TypeError(f"messages must be Message records, got {type(bad[0]).__name__}: use Message.user(...)")
    names = [t.name for t in tools]
    if tool_choice not in (None, "auto", "required", "none") and tool_choice not in names:
        raise ValueError(f"tool_choice {tool_choice!r} is not one of the tools given: {names}")
    if len(set(names)) != len(names):
        raise ValueError(f"tool names must be unique, got {names}")


def _forced(tool_choice: str | None) -> str | None:
    return tool_choice if tool_choice not in (None, "auto", "required", "none") else None


def _native_tool(spec: ToolSpec) -> dict[str, Any]:
    return {"type": "function",
            "function": {"name": spec.name, "description": spec.description, "parameters": spec.parameters}}


def _native_message(msg: Message) -> dict[str, Any]:
    wire: dict[str, Any] = {"role": msg.role, "content": msg.content}
    if msg.tool_calls:
        wire["tool_calls"] = [{"id": c.id, "type": "function",
                               "function": {"name": c.name, "arguments": json.dumps(c.arguments)}}
                              for c in msg.tool_calls]
    if msg.role == "tool":
        wire["tool_call_id"] = msg.tool_call_id
    return wire


def _text_messages(messages: list[Message], tool_instructions: str) -> list[dict[str, Any]]:
    """The conversation for a backend without tools: calls written as JSON, results as user text."""
    names = {c.id: c.name for m in messages for c in m.tool_calls}
    wire: list[dict[str, Any]] = []
    for msg in messages:
        if msg.role == "tool":
            label = names.get(msg.tool_call_id or "", "tool")
            wire.append({"role": "user", "content": f"Result of `{label}` (call {msg.tool_call_id}):\n{msg.content}"})
            continue
        content = msg.content
        for call in msg.tool_calls:
            content += "\n```json\n" + json.dumps({"tool": call.name, "arguments": call.arguments}) + "\n```"
        wire.append({"role": msg.role, "content": content})
    if tool_instructions:
        if wire and wire[0]["role"] == "system":
            wire[0] = {"role": "system", "content": wire[0]["content"] + "\n\n" + tool_instructions}
        else:
            wire.insert(0, {"role": "system", "content": tool_instructions})
    return wire


def _parse_reply(resp: dict[str, Any], tools: list[ToolSpec]) -> tuple[str, tuple[ToolCall, ...], int]:
    """Text, valid native tool calls, and how many native calls were malformed."""
    message = resp["choices"][0].get("message") or {}
    names = {t.name for t in tools}
    calls, bad = [], 0
    for i, raw in enumerate(message.get("tool_calls") or []):
        fn = raw.get("function") or {}
        args = parse_arguments(fn.get("arguments"))
        if fn.get("name") not in names or args is None:
            bad += 1
            continue
        calls.append(ToolCall(raw.get("id") or f"call_{i}", fn["name"], args))
    return message.get("content") or "", tuple(calls), bad


def _retryable(err: BaseException) -> bool:
    import litellm

    if isinstance(err, (litellm.RateLimitError, litellm.Timeout, litellm.APIConnectionError,
                        litellm.InternalServerError, litellm.ServiceUnavailableError, litellm.BadGatewayError)):
        return True
    return getattr(err, "status_code", None) in _RETRYABLE_STATUS


def _retry_policy(config: LLMConfig) -> RetryPolicy:
    return RetryPolicy(config.retry_for_s, config.max_retries, config.retry_initial_s, config.retry_max_s)


def _describe(err: BaseException | None) -> str:
    if err is None:
        return "unknown error"
    text = str(err).replace("\n", " ")
    return f"{type(err).__name__}: {text[:500]}"
