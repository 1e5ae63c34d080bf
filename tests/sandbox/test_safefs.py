"""sandbox.safefs: host-side file operations on agent-writable trees never follow a link."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sandbox import safefs
from sandbox.errors import SandboxPathError


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    """(workspace root, a host dir outside it holding a secret)."""
    ws, host = tmp_path / "ws", tmp_path / "host"
    (ws / "submission").mkdir(parents=True)
    host.mkdir()
    (host / "secret.csv").write_text("id,answer\n1,42\n")
    return ws, host


def test_copy_out_refuses_a_link_to_a_host_file(tree, tmp_path):
    ws, host = tree
    os.symlink(host / "secret.csv", ws / "submission" / "submission.csv")
    with pytest.raises(SandboxPathError, match="symbolic link"):
        safefs.copy_out(ws, "submission/submission.csv", tmp_path / "copy.csv")
    assert not (tmp_path / "copy.csv").exists()


def test_a_linked_parent_dir_is_refused(tree, tmp_path):
    ws, host = tree
    os.rename(ws / "submission", ws / "old")
    os.symlink(host, ws / "submission")
    with pytest.raises(SandboxPathError, match="symbolic link"):
        safefs.copy_out(ws, "submission/secret.csv", tmp_path / "copy.csv")
    with pytest.raises(SandboxPathError):
        safefs.write_bytes(ws, "submission/x.csv", b"x")
    assert sorted(p.name for p in host.iterdir()) == ["secret.csv"]


def test_clear_removes_a_link_standing_for_the_dir_and_never_touches_its_target(tree):
    ws, host = tree
    os.rename(ws / "submission", ws / "old")
    os.symlink(host, ws / "submission")
    safefs.clear_dir(ws, "submission")
    assert (ws / "submission").is_dir() and not (ws / "submission").is_symlink()
    assert (host / "secret.csv").read_text() == "id,answer\n1,42\n"


def test_clear_removes_links_inside_without_following(tree):
    ws, host = tree
    (ws / "submission" / "sub").mkdir()
    os.symlink(host, ws / "submission" / "sub" / "to_host")
    os.symlink(host / "secret.csv", ws / "submission" / "s.csv")
    safefs.clear_dir(ws, "submission")
    assert list((ws / "submission").iterdir()) == [] and (host / "secret.csv").exists()


def test_write_replaces_a_planted_link_instead_of_writing_through_it(tree):
    ws, host = tree
    os.symlink(host / "secret.csv", ws / "submission" / "out.sh")
    safefs.write_bytes(ws, "submission/out.sh", b"#!/bin/sh\n", mode=0o755)
    assert (host / "secret.csv").read_text() == "id,answer\n1,42\n"
    p = ws / "submission" / "out.sh"
    assert not p.is_symlink() and p.read_bytes() == b"#!/bin/sh\n" and stat.S_IMODE(p.stat().st_mode) == 0o755


def test_fifo_and_devices_are_refused_without_blocking(tree, tmp_path):
    ws, _ = tree
    os.mkfifo(ws / "submission" / "submission.csv")
    with pytest.raises(SandboxPathError, match="special file"):
        safefs.copy_out(ws, "submission/submission.csv", tmp_path / "c.csv")


def test_sparse_copy_is_capped_and_keeps_holes(tree, tmp_path):
    ws, _ = tree
    big = ws / "submission" / "sparse.csv"
    with open(big, "wb") as f:
        f.write(b"id,y\n")
        f.truncate(500 * 2**20)
    with pytest.raises(safefs.FileTooLarge, match="copy limit"):
        safefs.copy_out(ws, "submission/sparse.csv", tmp_path / "c.csv", limit=100 * 2**20)
    out = safefs.copy_out(ws, "submission/sparse.csv", tmp_path / "c.csv")
    assert out.stat().st_size == 500 * 2**20 and out.stat().st_blocks * 512 < 2**20  # holes stay holes
    assert out.read_bytes()[:5] == b"id,y\n"


def test_read_is_capped(tree):
    ws, _ = tree
    (ws / "submission" / "big.txt").write_bytes(b"x" * 5000)
    assert safefs.read_bytes(ws, "submission/big.txt", limit=5000) == b"x" * 5000
    with pytest.raises(safefs.FileTooLarge, match="head, tail"):
        safefs.read_bytes(ws, "submission/big.txt", limit=4999)


def test_strip_setid(tree):
    ws, _ = tree
    f = ws / "submission" / "rootsh"
    f.write_bytes(b"x")
    f.chmod(0o6755)
    assert safefs.strip_setid(ws) == 1
    assert stat.S_IMODE(f.stat().st_mode) == 0o755
