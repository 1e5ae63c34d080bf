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
from sandbox.backends.bwrap import with_parent_dirs
from sandbox.results import CaptureBuffer
from sandbox import safefs
from sandbox.workspace import Located, PathResolver, create_workspace


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


@pytest.mark.parametrize("bad", ["../x", "working/../../x", "/etc/passwd", "/home/../etc/passwd", "", "a\x00b"])
def test_resolver_refuses_escapes_by_name(resolver, bad):
    with pytest.raises(SandboxPathError):
        resolver.locate(bad)


@pytest.mark.parametrize("linked", ["working/out/answers.csv", "working/up/private/answers.csv",
                                    "working/inside_abs", "working/out"])
def test_links_are_never_followed(resolver, linked):
    loc = resolver.locate(linked)
    with pytest.raises(SandboxPathError, match="link"):
        safefs.read_bytes(loc.root, loc.rel)


def test_resolver_maps_inside_and_relative_paths(resolver):
    assert resolver.locate("/home/submission/s.csv") == Located(resolver.ws, "submission/s.csv", False)
    assert resolver.locate("data/train.csv") == Located(resolver.data, "train.csv", True)
    assert resolver.locate("/home/data/train.csv") == Located(resolver.data, "train.csv", True)
    assert resolver.locate(str(resolver.ws / "code" / "x.py")).rel == "code/x.py"
    with pytest.raises(SandboxPathError, match="read-only"):
        resolver.writable("data/train.csv")


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(SandboxUnavailable, match="choose one of"):
        select_backend("firecracker")


def test_auto_never_falls_back_to_local(monkeypatch):
    """Without docker and bwrap, `auto` refuses and says how to install one or to ask for local."""
    from sandbox import backends

    monkeypatch.setattr(backends, "probe", lambda name: (name == "local", "missing here"))
    with pytest.raises(SandboxUnavailable) as err:
        select_backend("auto")
    msg = str(err.value)
    assert "setup_system.sh" in msg and "apt-get install bubblewrap" in msg and "--sandbox local" in msg
    assert select_backend("local").name == "local"  # asked for explicitly, it still works


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


def test_a_mount_keeps_its_perms_and_size_when_parent_dirs_go_before_it() -> None:
    """`--perms`/`--size` apply to the next bwrap op: the parent dirs made for a mount point go before
    them, or /dev/shm's 1777 would land on a parent dir and the tmpfs would be root's 0755."""
    args = with_parent_dirs(["--perms", "1777", "--size", "1024", "--tmpfs", "/a/b/shm", "--dev", "/dev"])
    assert args == ["--perms", "0755", "--dir", "/a", "--perms", "0755", "--dir", "/a/b",
                    "--perms", "1777", "--size", "1024", "--tmpfs", "/a/b/shm", "--dev", "/dev"]
