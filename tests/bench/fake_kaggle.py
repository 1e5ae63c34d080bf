"""A fake Kaggle API server on 127.0.0.1 for tests, serving the synthetic raw trees of
`tests/bench/raw/` (Kaggle's real layouts at tiny sizes) as competition archives.

The real `kaggle` client is pointed at it with its own settings: `KAGGLE_API_ENVIRONMENT=LOCALHOST`
makes it call `http://localhost/api/v1/...`, and `HTTP_PROXY` routes those requests to this
server, which therefore speaks the proxy form of HTTP (absolute URLs in the request line).
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import numpy as np

from tests.bench.raw import builder, raw_ids
from tests.bench.raw._files import zip_bytes

SERVICE = "/api/v1/competitions.CompetitionApiService/"


@dataclass
class FakeKaggleState:
    username: str = "tester"
    key: str = "secret-key"
    archives: dict[str, bytes] = field(default_factory=dict)
    leaderboards: dict[str, list[dict]] = field(default_factory=dict)
    # competition id -> "rules" (403), "server" (500), "truncated" (zip cut short)
    failures: dict[str, str] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    state: FakeKaggleState

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, json.dumps({"code": status, "message": message}).encode(), "application/json")

    def _authorised(self) -> bool:
        expected = base64.b64encode(f"{self.state.username}:{self.state.key}".encode()).decode()
        return self.headers.get("Authorization", "") == f"Basic {expected}"

    def _body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def do_POST(self) -> None:  # noqa: N802
        path = urlparse(self.path).path
        self.state.requests.append(f"POST {path}")
        body = self._body()
        comp = body.get("competitionName", "")
        if not self._authorised():
            return self._error(401, "Unauthenticated")
        mode = self.state.failures.get(comp)
        if mode == "rules":
            return self._error(403, "You must accept this competition's rules before you can download files.")
        if mode == "server":
            return self._error(500, "Internal server error")
        if path == SERVICE + "DownloadDataFiles":
            if comp not in self.state.archives:
                return self._error(404, "Competition not found")
            return self._send(302, b"", "text/plain", {"Location": f"http://localhost/files/{comp}.zip"})
        if path == SERVICE + "GetLeaderboard":
            return self._leaderboard(comp, body)
        return self._error(404, f"no such endpoint {path}")

    def _leaderboard(self, comp: str, body: dict) -> None:
        rows = self.state.leaderboards.get(comp)
        if rows is None:
            return self._error(404, "Competition not found")
        size = int(body.get("pageSize") or 20)
        start = int(body.get("pageToken") or 0)
        page = rows[start:start + size]
        token = str(start + size) if start + size < len(rows) else ""
        payload = {"submissions": page, "nextPageToken": token}
        self._send(200, json.dumps(payload).encode(), "application/json")

    def do_GET(self) -> None:  # noqa: N802
        path = urlparse(self.path).path
        self.state.requests.append(f"GET {path}")
        if path.startswith("/files/") and path.endswith(".zip"):
            comp = path[len("/files/"):-len(".zip")]
            data = self.state.archives.get(comp)
            if data is None:
                return self._error(404, "no such file")
            if self.state.failures.get(comp) == "truncated":
                data = data[: len(data) // 2]
            return self._send(200, data, "application/zip",
                              {"Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})
        return self._error(404, f"no such path {path}")


class FakeKaggle:
    """Run the fake server in a thread; use as a context manager."""

    def __init__(self, state: FakeKaggleState | None = None):
        self.state = state or FakeKaggleState()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeKaggle:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- synthetic raw archives -------------------------------------------------------------------

RAW_BUILDERS = {cid: builder(cid) for cid in raw_ids()}
spaceship_titanic_raw = RAW_BUILDERS["spaceship-titanic"]
spooky_raw = RAW_BUILDERS["spooky-author-identification"]


def competition_archive(competition_id: str) -> bytes:
    """The zip Kaggle would serve for this competition (synthetic contents)."""
    return zip_bytes(builder(competition_id)())


def leaderboard_rows(n: int = 30, lower_is_better: bool = False, scores: list[float] | None = None) -> list[dict]:
    """Leaderboard rows as Kaggle's API returns them; `scores` (best first) or an evenly spaced board."""
    if scores is None:
        scores = list(np.linspace(0.95, 0.55, n) if not lower_is_better else np.linspace(0.1, 3.0, n))
    return [{"teamId": 1000 + i, "teamName": f"team {i}", "submissionDate": "2021-03-01T12:00:00Z",
             "score": f"{s:.5f}"} for i, s in enumerate(scores)]
