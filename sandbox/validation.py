"""MLE-bench compatible validation server: `POST /validate` (multipart field `file`, or the raw body)
answers JSON {"result": "...", "valid": bool} saying whether the submission's format is valid or why
not (never a score); `GET /health` answers {"status": "running"}.

It runs on the host, in a thread of the harness, listening either on a Unix socket (reached from inside
docker/bwrap through a forwarder at 127.0.0.1:5000) or on a free 127.0.0.1 TCP port (local backend).

Every request comes from agent code, so the server is bounded: the upload is streamed to a private
temp file (sandbox/upload.py: size cap, part limit, deadline), at most MAX_CONCURRENT requests are
served at once (others get 503 at once, without a thread), and idle sockets time out."""

from __future__ import annotations

import json
import logging
import os
import socket
import socketserver
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sandbox.config import ValidationResult, Validator
from sandbox.upload import UploadError, drain, receive

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 1 << 30  # 1 GiB: MLE-bench's largest answer files are well under it
MULTIPART_OVERHEAD = 1 << 20  # allowed on top of the file for boundaries and part headers
UPLOAD_TIMEOUT_S = 300.0  # the whole body must arrive within this
SOCKET_TIMEOUT_S = 30.0  # a client that sends nothing for this long is dropped
MAX_CONCURRENT = 4
_BUSY_BODY = b'{"error": "the validation server is busy with other requests; retry in a moment"}'
# Content-Length lets a client stop at the end of the reply instead of reading on into the close.
BUSY_REPLY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: application/json\r\n"
              b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(_BUSY_BODY), _BUSY_BODY))
BUSY_DRAIN_BYTES = 1 << 20  # what a refused request may have sent already; read and dropped before closing


def default_validator(path: Path) -> ValidationResult:
    """Used when no competition validator is configured: only checks a non-empty CSV-looking file."""
    if not path.is_file():
        return ValidationResult(False, f"submission file not found: {path.name}")
    with path.open("rb") as f:
        head = f.read(4096)
    if not head.strip():
        return ValidationResult(False, "submission file is empty")
    if b"," not in head.split(b"\n", 1)[0]:
        return ValidationResult(False, "submission does not look like a CSV (no comma in the header line)")
    return ValidationResult(True, "file looks like a CSV (no competition-specific validator configured)")


def run_validator(validator: Validator | None, path: Path) -> ValidationResult:
    """Call the validator, turning its crashes into an invalid result with the reason."""
    try:
        return (validator or default_validator)(path)
    except Exception as exc:  # a bad submission must never crash the harness
        log.warning("validator raised on %s", path, exc_info=True)
        return ValidationResult(False, f"submission could not be validated: {type(exc).__name__}: {exc}")


class _Handler(BaseHTTPRequestHandler):
    server_version = "mle-suite-validation/1"
    validator: Validator | None = None
    upload_dir: str | None = None
    timeout = SOCKET_TIMEOUT_S  # StreamRequestHandler sets it on the connection

    def address_string(self) -> str:  # Unix sockets have no client address
        return "sandbox"

    def log_message(self, fmt: str, *args: object) -> None:
        log.debug("validation server: " + fmt, *args)

    def _reply(self, code: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/health":
            self._reply(200, {"status": "running"})
        else:
            self._reply(404, {"error": "unknown path; use POST /validate or GET /health"})

    def do_POST(self) -> None:
        if self.path.rstrip("/") != "/validate":
            self._reply(404, {"error": "unknown path; use POST /validate"})
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length <= 0 or length > MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD:
            self.close_connection = True  # the body is not read: this connection cannot be reused
            code = 413 if length > 0 else 411
            self._reply(code, {"error": f"send the submission as multipart field 'file' with a Content-Length "
                                        f"of at most {MAX_UPLOAD_BYTES / 2**20:.0f} MiB (got {length})"})
            return
        with tempfile.TemporaryDirectory(prefix="mls-val-", dir=type(self).upload_dir) as tmp:
            path = Path(tmp) / "submission.csv"
            try:
                with open(path, "xb") as out:
                    receive(self.rfile, length, self.headers.get("Content-Type", ""), out,
                            max_bytes=MAX_UPLOAD_BYTES, timeout_s=UPLOAD_TIMEOUT_S)
            except UploadError as exc:
                self.close_connection = True
                drain(self.rfile, exc.unread)
                self._reply(exc.status, {"error": str(exc)})
                return
            result = run_validator(type(self).validator, path)
        self._reply(200, {"result": result.message, "valid": result.valid})


def _quiet_error(request: object, client_address: object) -> None:
    # A client that hangs up early (BrokenPipe) is not the harness's problem; keep stderr clean.
    log.debug("validation request from %s failed", client_address, exc_info=True)


def _drain_without_waiting(request: socket.socket) -> None:
    """Drop what the client already sent: closing on unread bytes resets the connection, and the
    client may then lose the 503 it was sent. Never waits, so the accept loop is not held up."""
    request.setblocking(False)
    dropped = 0
    try:
        while dropped < BUSY_DRAIN_BYTES and (chunk := request.recv(65536)):
            dropped += len(chunk)
    except (BlockingIOError, InterruptedError):
        pass


class _Bounded:
    """Mixin: at most MAX_CONCURRENT requests in flight; the rest are answered 503 without a thread."""

    daemon_threads = True

    def process_request(self, request, client_address):
        if not self._slots.acquire(blocking=False):
            try:
                request.settimeout(1.0)
                request.sendall(BUSY_REPLY)
                _drain_without_waiting(request)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class _UnixHTTPServer(_Bounded, socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    def get_request(self):  # BaseHTTPRequestHandler expects a (host, port)-like client address
        request, _ = super().get_request()
        return request, ("sandbox", 0)


class _TCPHTTPServer(_Bounded, ThreadingHTTPServer):
    pass


class ValidationServer:
    """The server thread. Use `url` (TCP) or `socket_path` (Unix)."""

    def __init__(self, validator: Validator | None, *, socket_path: Path | None = None,
                 upload_dir: Path | None = None) -> None:
        handler = type("Handler", (_Handler,), {"validator": staticmethod(validator) if validator else None,
                                                "upload_dir": str(upload_dir) if upload_dir else None})
        self.socket_path = socket_path
        if socket_path is not None:
            socket_path.parent.mkdir(parents=True, exist_ok=True)
            if socket_path.exists():
                socket_path.unlink()
            self._server = _UnixHTTPServer(str(socket_path), handler)
            os.chmod(socket_path, 0o666)  # the sandbox's uid must be able to connect
            self.url = None
        else:
            self._server = _TCPHTTPServer(("127.0.0.1", 0), handler)
            self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._server._slots = threading.BoundedSemaphore(MAX_CONCURRENT)
        # A short poll interval: shutdown() waits for it, and close() should be quick.
        self._server.handle_error = _quiet_error
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="validation-server", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        if self.socket_path is not None and self.socket_path.exists():
            self.socket_path.unlink()
