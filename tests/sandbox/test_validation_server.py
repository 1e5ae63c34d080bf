"""The validation server under hostile requests: large, many-part, slow and concurrent uploads."""

from __future__ import annotations

import io
import json
import socket
import time
from pathlib import Path

import pytest

from sandbox import ValidationResult, upload
from sandbox.validation import MAX_CONCURRENT, ValidationServer

BOUNDARY = "xyzBOUNDARY"


def _multipart(parts: list[tuple[str, bytes]]) -> bytes:
    out = [(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="s.csv"\r\n\r\n'
            ).encode() + data + b"\r\n" for name, data in parts]
    return b"".join(out) + f"--{BOUNDARY}--\r\n".encode()


@pytest.fixture
def server(tmp_path):
    seen: list[bytes] = []

    def validator(path: Path) -> ValidationResult:
        data = path.read_bytes()
        seen.append(data)
        return ValidationResult(data.startswith(b"id,"), f"{len(data)} bytes")

    srv = ValidationServer(validator, socket_path=tmp_path / "g.sock", upload_dir=tmp_path)
    yield srv, seen
    srv.close()


def _post(sock_path: Path, body: bytes, content_type: str | None = None, length: int | None = None,
          send_body: bool = True) -> tuple[int, dict]:
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(30)
    s.connect(str(sock_path))
    ctype = content_type or f"multipart/form-data; boundary={BOUNDARY}"
    head = f"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\n"
    if length is not None or send_body:
        head += f"Content-Length: {len(body) if length is None else length}\r\n"
    s.sendall(head.encode() + b"\r\n")
    if send_body:
        try:
            s.sendall(body)
        except OSError:  # the server may answer and close before reading everything
            pass
    status, reply = _read_reply(s)
    s.close()
    return status, reply


def _read_reply(s: socket.socket) -> tuple[int, dict]:
    """As an HTTP client reads: the head, then Content-Length bytes, so it never reads on into the close."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        assert chunk, f"the server closed before a full reply head: {data!r}"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lengths = [line.split(b":", 1)[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
    assert lengths, f"a reply without Content-Length: {head!r}"
    while len(body) < int(lengths[0]):
        chunk = s.recv(65536)
        assert chunk, f"the server closed mid-body: {body!r}"
        body += chunk
    return int(head.split(b" ", 2)[1]), json.loads(body or b"{}")


def test_multipart_file_is_streamed_to_the_validator(server):
    srv, seen = server
    payload = b"id,y\n" + b"1,2\n" * 500_000
    status, reply = _post(srv.socket_path, _multipart([("other", b"ignored"), ("file", payload)]))
    assert status == 200 and reply == {"result": f"{len(payload)} bytes", "valid": True}
    assert seen == [payload]


def test_over_the_size_cap_is_refused_before_reading(server, monkeypatch):
    srv, seen = server
    status, reply = _post(srv.socket_path, b"", length=5 * 2**30, send_body=False)
    assert status == 413 and "MiB" in reply["error"] and not seen


def test_file_over_the_cap_inside_the_body_is_refused(server, monkeypatch):
    srv, seen = server
    monkeypatch.setattr("sandbox.validation.MAX_UPLOAD_BYTES", 1000)
    status, reply = _post(srv.socket_path, _multipart([("file", b"id,y\n" + b"x" * 5000)]))
    assert status == 413 and "limit" in reply["error"] and not seen


def test_many_parts_are_refused_fast(server):
    srv, seen = server
    body = _multipart([("f", b"1")] * 200_000)
    t0 = time.monotonic()
    status, reply = _post(srv.socket_path, body)
    assert status == 400 and "parts" in reply["error"] and time.monotonic() - t0 < 5 and not seen


def test_missing_length_and_missing_field(server):
    srv, _ = server
    assert _post(srv.socket_path, b"", send_body=False)[0] == 411
    status, reply = _post(srv.socket_path, _multipart([("nope", b"id,y\n")]))
    assert status == 400 and "'file'" in reply["error"]


def test_concurrency_is_bounded(server):
    """Clients that connect and send nothing hold a slot each; past MAX_CONCURRENT, 503 at once."""
    srv, _ = server
    idle = []
    for _ in range(MAX_CONCURRENT):
        s = socket.socket(socket.AF_UNIX)
        s.connect(str(srv.socket_path))
        s.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        idle.append(s)
    time.sleep(0.3)
    t0 = time.monotonic()
    status, reply = _post(srv.socket_path, _multipart([("file", b"id,y\n")]))
    assert status == 503 and "busy" in reply["error"] and time.monotonic() - t0 < 3
    for s in idle:
        s.close()
    time.sleep(0.3)
    assert _post(srv.socket_path, _multipart([("file", b"id,y\n")]))[0] == 200


def test_receive_deadline():
    class Slow(io.BytesIO):
        def read(self, n=-1):
            time.sleep(0.05)
            return super().read(min(n, 10))

    body = b"id,y\n" * 100
    with pytest.raises(upload.UploadError, match="too long"):
        upload.receive(Slow(body), len(body), "text/csv", io.BytesIO(), max_bytes=1 << 20, timeout_s=0.2)
