"""Backend-independent parts: truncation, path confinement, env allow-list, backend selection."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox import SandboxConfig, SandboxError, SandboxPathError, SandboxUnavailable, open_sandbox, truncate_middle
from sandbox.backends import select_backend
from sandbox.backends.base import MLEBENCH_PATHS, SandboxPaths
from sandbox.results import CaptureBuffer
from sandbox.workspace import PathResolver, create_workspace, list_dir, read_text, write_text


@given(st.text(), st.integers(min_value=80, max_value=5000))
def test_truncate_middle_bounds(text, limit):
    out = truncate_middle(text, limit)
    assert len(out) <= limit
    if len(text) <= limit:
        assert out == text
    else:
        assert out.startswith(text[: (limit - 64) // 2]) and "characters truncated" in out


def test_capture_buffer_keeps_head_and_tail():
    buf = CaptureBuffer(100)
    for i in range(10_000):
        buf.append(f"line{i}\n")
    text = buf.text(300)
    assert text.startswith("line0\n") and text.endswith("line9999\n") and len(text) <= 300


@pytest.fixture
def resolver(tmp_path: Path) -> PathResolver:
    ws, data, outside = tmp_path / "ws", tmp_path / "data", tmp_path / "private"
    create_workspace(ws)
    data.mkdir()
    outside.mkdir()
    (data / "train.csv").write_text("a,b\n")
    (outside / "answers.csv").write_text("secret")
    os.symlink(outside, ws / "working" / "out")
    os.symlink("/home/data/train.csv", ws / "working" / "inside_abs")  # absolute link as seen inside
    os.symlink("../../..", ws / "working" / "up")
    host = SandboxPaths.under(ws, data, tmp_path / "rt")
    return PathResolver(host, MLEBENCH_PATHS)


@pytest.mark.parametrize("bad", ["../x", "working/../../x", "/etc/passwd", "working/out/answers.csv",
                                 "working/up/private/answers.csv", "/home/../etc/passwd", "", "a\x00b"])
def test_resolver_refuses_escapes(resolver, bad):
    with pytest.raises(SandboxPathError):
        resolver.resolve(bad)


def test_resolver_maps_inside_and_relative_paths(resolver):
    assert resolver.resolve("/home/submission/s.csv") == resolver.ws / "submission" / "s.csv"
    assert resolver.resolve("data/train.csv") == resolver.data / "train.csv"
    assert resolver.resolve("/home/data/train.csv") == resolver.data / "train.csv"
    assert resolver.resolve("working/inside_abs") == resolver.data / "train.csv"  # link followed, translated
    assert read_text(resolver, "working/inside_abs") == "a,b\n"


def test_files_read_write_list(resolver):
    write_text(resolver, "code/new/x.py", "print(1)")
    assert read_text(resolver, "/home/code/new/x.py") == "print(1)"
    assert list_dir(resolver, "code") == ["new/"]
    assert "data/" in list_dir(resolver, ".")
    with pytest.raises(SandboxPathError, match="read-only"):
        write_text(resolver, "data/train.csv", "x")
    with pytest.raises(SandboxPathError, match="no such file"):
        read_text(resolver, "code/missing.py")


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(SandboxUnavailable, match="choose one of"):
        select_backend("firecracker")


def test_secret_env_refused(tmp_path):
    (tmp_path / "d").mkdir()
    with pytest.raises(SandboxError, match="secrets must stay on the host"):
        open_sandbox(SandboxConfig(data_dir=tmp_path / "d", workspace=tmp_path / "w", backend="local",
                                   env={"OPENAI_API_KEY": "x"}))


def test_missing_data_dir_is_a_clear_error(tmp_path):
    with pytest.raises(SandboxError, match="does not exist"):
        open_sandbox(SandboxConfig(data_dir=tmp_path / "nope", workspace=tmp_path / "w", backend="local"))


def test_python_forwarder_relays_to_unix_socket(tmp_path):
    """The stdlib forwarder (used where socat is missing) carries a validation request end to end."""
    import json
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from sandbox import ValidationResult
    from sandbox.validation import ValidationServer

    sock = tmp_path / "g.sock"  # pytest's tmp paths stay under the 107-byte Unix socket limit
    server = ValidationServer(lambda p: ValidationResult(p.read_text() == "id,y\n", "checked"), socket_path=sock)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    fwd = subprocess.Popen([sys.executable, str(Path(__file__).parents[2] / "sandbox" / "forwarder.py"),
                            str(port), str(sock)])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\n\r\nid,y\n\r\n--b--\r\n'
        req = urllib.request.Request(f"http://127.0.0.1:{port}/validate", data=body,
                                     headers={"Content-Type": "multipart/form-data; boundary=b"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert json.load(resp) == {"result": "checked", "valid": True}
    finally:
        fwd.kill()
        fwd.wait()
        server.close()
