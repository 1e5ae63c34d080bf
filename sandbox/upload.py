"""Streaming an HTTP upload (multipart field `file`, or a raw body) to disk, with hard bounds.

The body comes from agent code, so nothing about it is trusted: it is read in chunks against its
Content-Length and a deadline, at most MAX_PARTS parts and MAX_HEADER_BYTES of headers per part are
accepted, and only the `file` part is written (to a file the caller chose), up to `max_bytes`.
Memory stays at about two chunks whatever the body holds."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import BinaryIO

CHUNK = 256 * 1024
MAX_PARTS = 16
MAX_HEADER_BYTES = 16 * 1024
NAME_RE = re.compile(rb'(?i)content-disposition:[^\r\n]*;\s*name="?([^";\r\n]*)"?')


class UploadError(Exception):
    """The body broke a rule (the message says which, for the agent); `status` is the HTTP code."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.unread = 0  # body bytes not read yet (drain them, within reason, before replying)


@dataclass
class _Body:
    """The request body as a bounded stream: never past Content-Length, never past the deadline."""

    rfile: BinaryIO
    left: int
    deadline: float

    def read(self, n: int = CHUNK) -> bytes:
        if self.left <= 0:
            return b""
        if time.monotonic() > self.deadline:
            raise UploadError(408, "the upload took too long; send the file in one request")
        data = self.rfile.read(min(n, self.left))
        if not data:
            raise UploadError(400, "the body ended before its Content-Length")
        self.left -= len(data)
        return data


def _boundary(content_type: str) -> bytes | None:
    m = re.search(r'boundary="?([^";]+)"?', content_type)
    return m.group(1).encode() if m else None


def receive(rfile: BinaryIO, length: int, content_type: str, out: BinaryIO, *, max_bytes: int,
            timeout_s: float) -> None:
    """Write the uploaded file's bytes to `out`. Raises UploadError (never anything else for bad input)."""
    body = _Body(rfile, length, time.monotonic() + timeout_s)
    try:
        if not content_type.lower().startswith("multipart/form-data"):
            _copy(body, out, max_bytes)
            return
        boundary = _boundary(content_type)
        if not boundary:
            raise UploadError(400, "multipart body without a boundary; use curl -F file=@submission.csv")
        if not _parts(body, b"\r\n--" + boundary, out, max_bytes):
            raise UploadError(400, "no multipart field named 'file'; use curl -F file=@submission.csv")
    except UploadError as exc:
        exc.unread = body.left
        raise


def drain(rfile: BinaryIO, left: int, limit: int = 64 * 2**20, timeout_s: float = 5.0) -> None:
    """Read and drop what is left of a refused body (up to `limit`), so the client gets the reply
    instead of a connection reset."""
    if left > limit:
        return
    body = _Body(rfile, left, time.monotonic() + timeout_s)
    try:
        while body.read():
            pass
    except (UploadError, OSError):
        pass


def _copy(body: _Body, out: BinaryIO, max_bytes: int) -> None:
    written = 0
    while chunk := body.read():
        written += len(chunk)
        if written > max_bytes:
            raise _too_big(max_bytes)
        out.write(chunk)


def _too_big(max_bytes: int) -> UploadError:
    return UploadError(413, f"the file is over the {max_bytes / 2**20:.0f} MiB limit for a submission")


def _parts(body: _Body, delim: bytes, out: BinaryIO, max_bytes: int) -> bool:
    """Walk the parts; copy the one named `file` to out. True if there was one."""
    buf = b"\r\n" + body.read()  # so the first delimiter looks like every other one
    buf, found = _skip_to(body, buf, delim)
    seen_file, parts = False, 0
    while found:
        buf = _fill(body, buf, 2)
        if buf[:2] == b"--":
            return seen_file
        parts += 1
        if parts > MAX_PARTS:
            raise UploadError(400, f"more than {MAX_PARTS} multipart parts; send one field named 'file'")
        headers, buf = _headers(body, buf)
        m = NAME_RE.search(headers)
        is_file = bool(m) and m.group(1) == b"file" and not seen_file
        seen_file |= is_file
        buf, found = _stream_until(body, buf, delim, out if is_file else None, max_bytes)
    raise UploadError(400, "the multipart body has no closing boundary")


def _fill(body: _Body, buf: bytes, n: int) -> bytes:
    while len(buf) < n and (chunk := body.read()):
        buf += chunk
    return buf


def _skip_to(body: _Body, buf: bytes, delim: bytes) -> tuple[bytes, bool]:
    return _stream_until(body, buf, delim, None, 0)


def _headers(body: _Body, buf: bytes) -> tuple[bytes, bytes]:
    while (end := buf.find(b"\r\n\r\n")) < 0:
        if len(buf) > MAX_HEADER_BYTES:
            raise UploadError(400, "a multipart part's headers are too long")
        chunk = body.read()
        if not chunk:
            raise UploadError(400, "a multipart part ends inside its headers")
        buf += chunk
    if end > MAX_HEADER_BYTES:
        raise UploadError(400, "a multipart part's headers are too long")
    return buf[:end], buf[end + 4:]


def _stream_until(body: _Body, buf: bytes, delim: bytes, out: BinaryIO | None,
                  max_bytes: int) -> tuple[bytes, bool]:
    """Pass bytes up to `delim` to out (or drop them); returns (what follows delim, found)."""
    written = 0
    while True:
        at = buf.find(delim)
        keep = at if at >= 0 else max(len(buf) - len(delim) + 1, 0)
        if out is not None and keep:
            written += keep
            if written > max_bytes:
                raise _too_big(max_bytes)
            out.write(buf[:keep])
        if at >= 0:
            return buf[at + len(delim):], True
        buf = buf[keep:]
        chunk = body.read()
        if not chunk:
            return buf, False
        buf += chunk
