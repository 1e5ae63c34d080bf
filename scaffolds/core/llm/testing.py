"""ScriptedServer: an OpenAI-compatible HTTP server on 127.0.0.1 for tests and benchmarks.

It serves queued replies (or a rule's replies once the queue is empty): text, tool calls, malformed tool
calls, HTTP errors (429 with Retry-After, 500, ...) and slow replies that trip client timeouts. Every
request it receives is kept in `.requests`, so tests can check what the real client actually sent.

    with ScriptedServer([Reply.text("hi"), Reply.error(429), Reply.tool("run", {"cmd": "ls"})]) as srv:
        llm = LLM("openai/scripted", api_base=srv.url)
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One scripted answer. Tool-call arguments given as a str are sent verbatim (e.g. malformed JSON)."""

    content: str = ""
    tool_calls: tuple[tuple[str, dict[str, Any] | str], ...] = ()
    status: int = 200
    error: str = ""
    delay_s: float = 0.0
    prompt_tokens: int = 10
    completion_tokens: int = 5
    cached_tokens: int = 0
    finish_reason: str | None = None
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def text(cls, content: str, **kw: Any) -> Reply:
        return cls(content=content, **kw)

    @classmethod
    def tool(cls, name: str, arguments: dict[str, Any] | str, content: str = "", **kw: Any) -> Reply:
        return cls(content=content, tool_calls=((name, arguments),), **kw)

    @classmethod
    def fail(cls, status: int, message: str = "scripted failure", retry_after: float | None = None) -> Reply:
        headers = (("Retry-After", str(retry_after)),) if retry_after is not None else ()
        return cls(status=status, error=message, headers=headers)

    @classmethod
    def slow(cls, seconds: float, then: Reply | None = None) -> Reply:
        base = then or cls(content="late reply")
        return replace(base, delay_s=seconds)


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    headers: dict[str, str]  # names in lower case: HTTP header names are case-insensitive
    body: dict[str, Any]


@dataclass
class _State:
    queue: deque[Reply] = field(default_factory=deque)
    requests: list[ReceivedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)


class ScriptedServer:
    """Context manager; `.url` is the api_base (http://127.0.0.1:PORT/v1)."""

    def __init__(self, replies: Iterable[Reply] = (), *, rule: Callable[[dict[str, Any]], Reply] | None = None,
                 model_name: str = "scripted"):
        self._state = _State(queue=deque(replies))
        self._rule = rule
        self.model_name = model_name
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ScriptedServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        handler = _make_handler(self)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="scripted-llm-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._state.stopping.set()  # wakes handlers sleeping in a slow reply
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("ScriptedServer is not running: use it as a context manager or call start()")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def push(self, *replies: Reply) -> None:
        with self._state.lock:
            self._state.queue.extend(replies)

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """Bodies of the chat-completion requests received, in order."""
        return [r.body for r in self.requests if r.path.endswith("/chat/completions")]

    @property
    def pending(self) -> int:
        with self._state.lock:
            return len(self._state.queue)

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._state.lock:
            if self._state.queue:
                return self._state.queue.popleft()
        if self._rule is not None:
            return self._rule(body)
        # 400 rather than 5xx so a client does not retry an empty script forever.
        return Reply.fail(400, "ScriptedServer: no scripted reply left for this request")


def _make_handler(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    state = server._state

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as separate writes: avoid 40 ms stalls

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path.rstrip("/").endswith("/models"):
                self._json(200, {"object": "list", "data": [
                    {"id": server.model_name, "object": "model", "created": 0, "owned_by": "scripted"}]})
            else:
                self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            try:
                body = json.loads(raw)
            except json.JSONDecodeError:
                self._json(400, {"error": {"message": "body is not JSON", "type": "invalid_request_error"}})
                return
            with state.lock:
                state.requests.append(ReceivedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                return
            reply = server._next_reply(body)
            if reply.delay_s and state.stopping.wait(reply.delay_s):
                return
            try:
                self._answer(reply, body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout) before the slow reply came

        def _answer(self, reply: Reply, body: dict[str, Any]) -> None:
            if reply.status != 200:
                kind = "rate_limit_exceeded" if reply.status == 429 else "server_error"
                self._json(reply.status, {"error": {"message": reply.error, "type": kind, "code": reply.status}},
                           dict(reply.headers))
                return
            completion = _completion(reply, body.get("model") or server.model_name)
            if body.get("stream"):
                self._stream(completion, bool((body.get("stream_options") or {}).get("include_usage")))
            else:
                self._json(200, completion, dict(reply.headers))

        def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, completion: dict[str, Any], include_usage: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            for chunk in _chunks(completion, include_usage):
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

    return Handler


def _completion(reply: Reply, model: str) -> dict[str, Any]:
    calls = [{"id": f"call_{i}", "type": "function",
              "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args)}}
             for i, (name, args) in enumerate(reply.tool_calls)]
    message: dict[str, Any] = {"role": "assistant", "content": reply.content or None}
    if calls:
        message["tool_calls"] = calls
    usage = {"prompt_tokens": reply.prompt_tokens, "completion_tokens": reply.completion_tokens,
             "total_tokens": reply.prompt_tokens + reply.completion_tokens,
             "prompt_tokens_details": {"cached_tokens": reply.cached_tokens}}
    finish = reply.finish_reason or ("tool_calls" if calls else "stop")
    return {"id": f"chatcmpl-{time.monotonic_ns()}", "object": "chat.completion", "created": int(time.time()),
            "model": model, "choices": [{"index": 0, "message": message, "finish_reason": finish}], "usage": usage}


def _chunks(completion: dict[str, Any], include_usage: bool) -> list[dict[str, Any]]:
    base = {k: completion[k] for k in ("id", "created", "model")} | {"object": "chat.completion.chunk"}
    message = completion["choices"][0]["message"]
    delta: dict[str, Any] = {"role": "assistant", "content": message.get("content") or ""}
    if message.get("tool_calls"):
        delta["tool_calls"] = [dict(call, index=i) for i, call in enumerate(message["tool_calls"])]
    finish = completion["choices"][0]["finish_reason"]
    chunks = [base | {"choices": [{"index": 0, "delta": delta, "finish_reason": None}]},
              base | {"choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}]
    if include_usage:
        chunks.append(base | {"choices": [], "usage": completion["usage"]})
    return chunks
