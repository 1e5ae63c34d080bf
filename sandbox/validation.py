"""MLE-bench compatible validation server: `POST /validate` (multipart field `file`, or the raw body)
answers JSON {"result": "...", "valid": bool} saying whether the submission's format is valid or why
not (never a score); `GET /health` answers {"status": "running"}.

It runs on the host, in a thread of the harness, listening either on a Unix socket (reached from inside
docker/bwrap through a forwarder at 127.0.0.1:5000) or on a free 127.0.0.1 TCP port (local backend)."""

from __future__ import annotations

import email.parser
import email.policy
import json
import logging
import os
import socketserver
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sandbox.config import ValidationResult, Validator

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 512 * 1024 * 1024


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


def _extract_file(content_type: str, body: bytes) -> bytes | None:
    """The bytes of multipart field `file`, or the raw body when not multipart."""
    if not content_type.startswith("multipart/form-data"):
        return body
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    for part in msg.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            return part.get_payload(decode=True) or b""
    return None


class _Handler(BaseHTTPRequestHandler):
    server_version = "mle-suite-validation/1"
    validator: Validator | None = None

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
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_UPLOAD_BYTES:
            self._reply(400, {"error": f"send the submission as multipart field 'file' (got {length} bytes)"})
            return
        data = _extract_file(self.headers.get("Content-Type", ""), self.rfile.read(length))
        if data is None:
            self._reply(400, {"error": "no multipart field named 'file'; use curl -F file=@submission.csv"})
            return
        with tempfile.TemporaryDirectory(prefix="mls-val-") as tmp:
            path = Path(tmp) / "submission.csv"
            path.write_bytes(data)
            result = run_validator(type(self).validator, path)
        self._reply(200, {"result": result.message, "valid": result.valid})


def _quiet_error(request: object, client_address: object) -> None:
    # A client that hangs up early (BrokenPipe) is not the harness's problem; keep stderr clean.
    log.debug("validation request from %s failed", client_address, exc_info=True)


class _UnixHTTPServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):  # BaseHTTPRequestHandler expects a (host, port)-like client address
        request, _ = super().get_request()
        return request, ("sandbox", 0)


class ValidationServer:
    """The server thread. Use `url` (TCP) or `socket_path` (Unix)."""

    def __init__(self, validator: Validator | None, *, socket_path: Path | None = None) -> None:
        handler = type("Handler", (_Handler,), {"validator": staticmethod(validator) if validator else None})
        self.socket_path = socket_path
        if socket_path is not None:
            socket_path.parent.mkdir(parents=True, exist_ok=True)
            if socket_path.exists():
                socket_path.unlink()
            self._server = _UnixHTTPServer(str(socket_path), handler)
            os.chmod(socket_path, 0o777)  # the sandbox's uid must be able to connect
            self.url = None
        else:
            self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
            self._server.daemon_threads = True
            self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
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
