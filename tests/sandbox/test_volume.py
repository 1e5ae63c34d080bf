"""The quota volume (sandbox/volume.py): a resumed workspace goes onto it and comes back at close,
links as links, setuid bits dropped, nothing lost. Needs root and loop devices (what CI has)."""

from __future__ import annotations

import os
import stat

import pytest

from sandbox import Limits, SandboxConfig, open_sandbox, volume


@pytest.mark.skipif(not volume.usable(), reason="the quota volume needs root, mkfs.ext4 and loop devices")
def test_workspace_round_trips_through_the_volume(tmp_path, data_dir):
    ws = tmp_path / "ws"
    (ws / "working" / "deep").mkdir(parents=True)
    (ws / "working" / "deep" / "model.bin").write_bytes(b"\0" * 1000 + b"weights")
    (ws / "working" / "latest").symlink_to("deep/model.bin")
    (ws / "working" / "suid").write_bytes(b"x")
    (ws / "working" / "suid").chmod(0o4755)
    with open_sandbox(SandboxConfig(data_dir=data_dir, workspace=ws, backend="local",
                                    limits=Limits(disk_mb=64, max_files=1000))) as sb:
        assert os.statvfs(ws).f_flag & os.ST_NOSUID  # the host sees the workspace mounted nosuid
        assert sb.read_file("working/deep/model.bin").endswith("weights")
        sb.write_file("working/new.txt", "made inside")
        assert os.statvfs(ws).f_blocks * os.statvfs(ws).f_frsize <= 64 * 2**20
    assert not os.path.ismount(ws)
    assert (ws / "working" / "new.txt").read_text() == "made inside"
    assert (ws / "working" / "deep" / "model.bin").read_bytes().endswith(b"weights")
    assert os.readlink(ws / "working" / "latest") == "deep/model.bin"
    assert not (ws / "working" / "suid").stat().st_mode & (stat.S_ISUID | stat.S_ISGID)
