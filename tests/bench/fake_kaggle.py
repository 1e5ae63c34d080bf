"""A fake Kaggle API server on 127.0.0.1 for tests, plus synthetic raw archives for five
competitions that reproduce the real raw layouts (file names, columns, types) at tiny sizes.

The real `kaggle` client is pointed at it with its own settings: `KAGGLE_API_ENVIRONMENT=LOCALHOST`
makes it call `http://localhost/api/v1/...`, and `HTTP_PROXY` routes those requests to this
server, which therefore speaks the proxy form of HTTP (absolute URLs in the request line).
"""

from __future__ import annotations

import base64
import io
import json
import threading
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import numpy as np
import pandas as pd

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

def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def _png(array: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(array.astype(np.uint8), mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


def _jpg(rng: np.random.Generator) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8), mode="RGB").save(buffer, format="JPEG")
    return buffer.getvalue()


def spaceship_titanic_raw(n: int = 100) -> dict[str, bytes]:
    rng = np.random.default_rng(1)
    ids = [f"{g:04d}_{p:02d}" for g, p in zip(range(1, n + 1), rng.integers(1, 3, n))]
    train = pd.DataFrame({
        "PassengerId": ids, "HomePlanet": rng.choice(["Earth", "Europa", "Mars"], n),
        "CryoSleep": rng.choice([True, False], n),
        "Cabin": [f"{d}/{i}/{s}" for d, i, s in zip(rng.choice(list("ABCFG"), n), range(n), rng.choice(["P", "S"], n))],
        "Destination": rng.choice(["TRAPPIST-1e", "55 Cancri e", "PSO J318.5-22"], n),
        "Age": rng.integers(0, 80, n).astype(float), "VIP": rng.choice([True, False], n),
        "RoomService": rng.integers(0, 500, n).astype(float), "FoodCourt": rng.integers(0, 500, n).astype(float),
        "ShoppingMall": rng.integers(0, 500, n).astype(float), "Spa": rng.integers(0, 500, n).astype(float),
        "VRDeck": rng.integers(0, 500, n).astype(float), "Name": [f"Person {i}" for i in range(n)],
        "Transported": rng.choice([True, False], n),
    })
    test = train.drop(columns=["Transported"]).head(20).assign(PassengerId=[f"9{i:03d}_01" for i in range(20)])
    sample = pd.DataFrame({"PassengerId": test["PassengerId"], "Transported": False})
    return {"train.csv": _csv(train), "test.csv": _csv(test), "sample_submission.csv": _csv(sample)}


def spooky_raw(n: int = 60) -> dict[str, bytes]:
    rng = np.random.default_rng(2)
    train = pd.DataFrame({"id": [f"id{i:05d}" for i in range(n)],
                          "text": [f"It was a dark night, number {i}." for i in range(n)],
                          "author": rng.choice(["EAP", "HPL", "MWS"], n)})
    test = pd.DataFrame({"id": [f"id9{i:04d}" for i in range(10)], "text": ["A test sentence."] * 10})
    sample = pd.DataFrame({"id": test["id"], "EAP": 0.403493538995863, "HPL": 0.287808366106543,
                           "MWS": 0.308698094897594})
    return {"train.zip": _zip({"train.csv": _csv(train)}), "test.zip": _zip({"test.csv": _csv(test)}),
            "sample_submission.zip": _zip({"sample_submission.csv": _csv(sample)})}


def cactus_raw(n: int = 50) -> dict[str, bytes]:
    rng = np.random.default_rng(3)
    ids = [f"{rng.integers(0, 16**8):08x}{i:04d}.jpg" for i in range(n)]
    train = pd.DataFrame({"id": ids, "has_cactus": rng.integers(0, 2, n)})
    test_ids = [f"t{i:04d}.jpg" for i in range(8)]
    sample = pd.DataFrame({"id": test_ids, "has_cactus": 0.5})
    return {"train.csv": _csv(train), "sample_submission.csv": _csv(sample),
            "train.zip": _zip({f"train/{i}": _jpg(rng) for i in ids}),
            "test.zip": _zip({f"test/{i}": _jpg(rng) for i in test_ids})}


def taxi_raw(n: int = 10_100) -> dict[str, bytes]:
    rng = np.random.default_rng(4)
    times = pd.Timestamp("2012-01-01") + pd.to_timedelta(rng.integers(0, 10**8, n), unit="s")
    stamps = times.strftime("%Y-%m-%d %H:%M:%S UTC")
    frame = pd.DataFrame({
        "key": [f"{t[:19]}.{i:07d}" for i, t in enumerate(stamps)],
        "fare_amount": np.round(rng.uniform(2.5, 60, n), 2), "pickup_datetime": stamps,
        "pickup_longitude": rng.uniform(-74.05, -73.75, n), "pickup_latitude": rng.uniform(40.6, 40.85, n),
        "dropoff_longitude": rng.uniform(-74.05, -73.75, n), "dropoff_latitude": rng.uniform(40.6, 40.85, n),
        "passenger_count": rng.integers(1, 6, n),
    })
    test = frame.drop(columns=["fare_amount"]).head(50)
    sample = pd.DataFrame({"key": test["key"], "fare_amount": 11.35})
    return {"train.csv": _csv(frame), "test.csv": _csv(test), "sample_submission.csv": _csv(sample),
            "GCP-Coupons-Instructions.rtf": b"{\\rtf1\\ansi Coupons are not part of this test.}"}


def denoising_raw(n: int = 10, shape: tuple[int, int] = (12, 17)) -> dict[str, bytes]:
    rng = np.random.default_rng(5)
    names = [f"{2 * i + 1}.png" for i in range(n)]
    clean = {nm: np.where(rng.random(shape) < 0.2, 0, 255) for nm in names}
    noisy = {nm: np.clip(img * 0.8 + rng.integers(0, 50, shape), 0, 255) for nm, img in clean.items()}
    test = {f"{100 + i}.png": rng.integers(0, 255, shape) for i in range(3)}
    sample = pd.DataFrame({"id": [f"100_1_{c}" for c in range(1, 4)], "value": 1})
    return {"train.zip": _zip({f"train/{k}": _png(v) for k, v in noisy.items()}),
            "train_cleaned.zip": _zip({f"train_cleaned/{k}": _png(v) for k, v in clean.items()}),
            "test.zip": _zip({f"test/{k}": _png(v) for k, v in test.items()}),
            "sampleSubmission.csv": _csv(sample)}


RAW_BUILDERS = {
    "spaceship-titanic": spaceship_titanic_raw,
    "spooky-author-identification": spooky_raw,
    "aerial-cactus-identification": cactus_raw,
    "new-york-city-taxi-fare-prediction": taxi_raw,
    "denoising-dirty-documents": denoising_raw,
}


def competition_archive(competition_id: str) -> bytes:
    """The zip Kaggle would serve for this competition (synthetic contents)."""
    return _zip(RAW_BUILDERS[competition_id]())


def leaderboard_rows(n: int = 30, lower_is_better: bool = False) -> list[dict]:
    scores = np.linspace(0.95, 0.55, n) if not lower_is_better else np.linspace(0.1, 3.0, n)
    return [{"teamId": 1000 + i, "teamName": f"team {i}", "submissionDate": "2021-03-01T12:00:00Z",
             "score": f"{s:.5f}"} for i, s in enumerate(scores)]
