"""freesound-audio-tagging-2019: without the meta archive in the raw data, the preparer downloads
it (from a server on 127.0.0.1 standing in for Zenodo) and makes the same answers."""

from __future__ import annotations

import importlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.registry import get_competition
from tests.bench.raw import builder

CID = "freesound-audio-tagging-2019"
META_ZIP = "FSDKaggle2019.meta.zip"


def _prepare(files: dict[str, bytes], root: Path) -> str:
    raw, public, private = root / "raw", root / "data" / "p" / "public", root / "data" / "p" / "private"
    for name, data in files.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)
    public.mkdir(parents=True)
    private.mkdir()
    get_competition(CID).preparer(raw, public, private)
    assert not any("FSDKaggle2019" in p.name for p in public.iterdir())
    return (private / "test.csv").read_text()


@pytest.fixture
def zenodo():
    served = builder(CID)()[META_ZIP]
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", str(len(served)))
            self.end_headers()
            self.wfile.write(served)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/records/{META_ZIP}", requests
    server.shutdown()
    server.server_close()


def test_answers_from_a_download_equal_those_from_the_raw_archive(tmp_path, zenodo, monkeypatch):
    url, requests = zenodo
    files = builder(CID)()
    from_raw = _prepare(files, tmp_path / "a")
    module = importlib.import_module(f"bench.competitions.{CID}.prepare")
    monkeypatch.setattr(module, "META_URL", url)
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("http_proxy", raising=False)
    downloaded = _prepare({k: v for k, v in files.items() if k != META_ZIP}, tmp_path / "b")
    assert requests == [f"/records/{META_ZIP}"] and downloaded == from_raw
    assert not list((tmp_path / "b" / "raw").glob("FSD*"))  # nothing written beside the raw files
