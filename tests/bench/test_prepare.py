"""prepare(): hand-downloaded archives and raw dirs, atomicity, idempotency, MLE-bench reuse, errors."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from bench.archives import ArchiveError
from bench.cli import main
from bench.data import (MARKER, DiskFull, NotPrepared, PrepareError, competition_paths, ensure_prepared,
                        is_prepared)
from bench.data import prepare as _prepare
from bench.leaderboards import LeaderboardError
from bench.registry import get_competition
from tests.bench.fake_kaggle import spaceship_titanic_raw, spooky_raw

COMP = get_competition("spaceship-titanic")


def prepare(*args, **kwargs):
    """Synthetic raw data cannot match MLE-bench's checksums; verification has its own tests."""
    kwargs.setdefault("skip_verification", True)
    return _prepare(*args, **kwargs)



@pytest.fixture(autouse=True)
def no_kaggle(monkeypatch, tmp_path):
    """Any Kaggle call in these tests would fail fast on loopback instead of leaving the machine."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KAGGLE_CONFIG_DIR", str(tmp_path / "home"))
    monkeypatch.setenv("KAGGLE_API_ENVIRONMENT", "LOCALHOST")
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    for var in ("NO_PROXY", "no_proxy", "KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_API_TOKEN"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture()
def board(tmp_path) -> Path:
    path = tmp_path / "board.csv"
    pd.DataFrame({"teamName": ["a", "b", "c"], "score": [0.9, 0.8, 0.7]}).to_csv(path, index=False)
    return path


def _zip_file(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def _tree_digest(root: Path) -> dict[str, tuple[str, float]]:
    return {str(p.relative_to(root)): (hashlib.md5(p.read_bytes()).hexdigest(), p.stat().st_mtime)
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_archive_prepare_leaves_user_archive_untouched(tmp_path, board):
    archive = _zip_file(tmp_path / "mine.zip", spaceship_titanic_raw())
    before = _tree_digest(archive.parent)
    paths = prepare(COMP, tmp_path / "d", archive=archive, leaderboard_from=board)
    assert is_prepared(COMP, tmp_path / "d")
    after = {k: v for k, v in _tree_digest(archive.parent).items() if not k.startswith("d/")}
    assert after == before
    assert len(pd.read_csv(paths.public / "train.csv")) == 90
    assert list(pd.read_csv(paths.leaderboard)["score"]) == [0.9, 0.8, 0.7]


def test_tar_gz_archive(tmp_path, board):
    archive = tmp_path / "raw.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        for name, data in spaceship_titanic_raw().items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    prepare(COMP, tmp_path / "d", archive=archive, leaderboard_from=board)
    assert is_prepared(COMP, tmp_path / "d")


def test_raw_dir_prepare_leaves_user_files_untouched(tmp_path, board):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, data in spooky_raw().items():  # spooky reads a nested zip: it must not extract it here
        (raw / name).write_bytes(data)
    before = _tree_digest(raw)
    comp = get_competition("spooky-author-identification")
    prepare(comp, tmp_path / "d", raw_dir=raw, leaderboard_from=board)
    assert _tree_digest(raw) == before and sorted(os.listdir(raw)) == sorted(spooky_raw())
    assert is_prepared(comp, tmp_path / "d")


def test_interrupted_prepare_never_looks_ready(tmp_path, board):
    archive = _zip_file(tmp_path / "a.zip", spaceship_titanic_raw())

    def dies_halfway(raw, public, private):
        COMP.preparer(raw, public, private)
        raise KeyboardInterrupt  # e.g. Ctrl-C after the files were written

    broken = dataclasses.replace(COMP, preparer=dies_halfway)
    with pytest.raises(KeyboardInterrupt):
        prepare(broken, tmp_path / "d", archive=archive, leaderboard_from=board)
    paths = competition_paths(COMP, tmp_path / "d")
    assert not is_prepared(COMP, tmp_path / "d") and not paths.prepared.exists() and not paths.staging.exists()
    with pytest.raises(NotPrepared) as err:
        ensure_prepared(COMP, tmp_path / "d")
    assert str(err.value) == f"python -m bench prepare -c spaceship-titanic --data-dir {tmp_path / 'd'}"
    prepare(COMP, tmp_path / "d", archive=archive, leaderboard_from=board)  # resumes cleanly
    assert (paths.prepared / MARKER).is_file()


def test_stale_staging_is_discarded(tmp_path, board):
    paths = competition_paths(COMP, tmp_path / "d")
    (paths.staging / "prepared" / "public").mkdir(parents=True)
    (paths.staging / "prepared" / "public" / "junk.csv").write_text("x")
    assert not is_prepared(COMP, tmp_path / "d")
    prepare(COMP, tmp_path / "d", archive=_zip_file(tmp_path / "a.zip", spaceship_titanic_raw()),
            leaderboard_from=board)
    assert not (paths.public / "junk.csv").exists() and not paths.staging.exists()


def test_corrupt_archive(tmp_path, board):
    data = _zip_file(tmp_path / "good.zip", spaceship_titanic_raw()).read_bytes()
    bad = tmp_path / "bad.zip"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(ArchiveError, match="corrupt or truncated"):
        prepare(COMP, tmp_path / "d", archive=bad, leaderboard_from=board)
    assert not is_prepared(COMP, tmp_path / "d")
    flipped = bytearray(data)
    flipped[60] ^= 0xFF  # inside the first member's compressed data: CRC mismatch
    bad.write_bytes(bytes(flipped))
    with pytest.raises(ArchiveError):
        prepare(COMP, tmp_path / "d", archive=bad, leaderboard_from=board)
    assert not is_prepared(COMP, tmp_path / "d")


def test_not_an_archive(tmp_path, board):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    with pytest.raises(ArchiveError, match="not an archive"):
        prepare(COMP, tmp_path / "d", archive=junk, leaderboard_from=board)


def test_wrong_raw_files(tmp_path, board):
    archive = _zip_file(tmp_path / "a.zip", {"other.csv": b"a,b\n1,2\n"})
    with pytest.raises(PrepareError, match="lacks train.csv.*found: other.csv"):
        prepare(COMP, tmp_path / "d", archive=archive, leaderboard_from=board)


def test_idempotent(tmp_path, board):
    calls = []

    def counting(raw, public, private):
        calls.append(1)
        COMP.preparer(raw, public, private)

    comp = dataclasses.replace(COMP, preparer=counting)
    archive = _zip_file(tmp_path / "a.zip", spaceship_titanic_raw())
    paths = prepare(comp, tmp_path / "d", archive=archive, leaderboard_from=board)
    first = _tree_digest(paths.prepared)
    prepare(comp, tmp_path / "d", archive=archive)
    assert calls == [1] and _tree_digest(paths.prepared) == first
    prepare(comp, tmp_path / "d", archive=archive, force=True)
    assert calls == [1, 1]


def test_existing_mle_bench_dir_is_reused(tmp_path, board):
    paths = competition_paths(COMP, tmp_path / "d")
    paths.public.mkdir(parents=True)
    paths.private.mkdir(parents=True)
    (paths.public / "sample_submission.csv").write_text("PassengerId,Transported\n1_01,False\n")
    (paths.private / "test.csv").write_text("PassengerId,Transported\n1_01,True\n")
    assert is_prepared(COMP, tmp_path / "d")
    prepare(COMP, tmp_path / "d", leaderboard_from=board)  # no archive, no network: must not try to fetch
    assert not (paths.prepared / MARKER).exists()
    assert (paths.private / "test.csv").read_text().endswith("True\n")
    assert main(["list", "--split", "dev", "--data-dir", str(tmp_path / "d")]) == 0


def test_leaderboard_from_mle_bench_checkout(tmp_path, board):
    checkout = tmp_path / "mle-bench"
    target = checkout / "mlebench" / "competitions" / COMP.id
    target.mkdir(parents=True)
    (target / "leaderboard.csv").write_text("scoreNullable,teamId,score\n0.8,1,0.81\n0.7,2,0.79\n")
    archive = _zip_file(tmp_path / "a.zip", spaceship_titanic_raw())
    paths = prepare(COMP, tmp_path / "d", archive=archive, leaderboard_from=checkout)
    assert list(pd.read_csv(paths.leaderboard)["score"]) == [0.81, 0.79]
    (target / "leaderboard.csv").write_text("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 9\n")
    with pytest.raises(LeaderboardError, match="git lfs pull"):
        prepare(COMP, tmp_path / "d", leaderboard_from=checkout)


def test_disk_full_leaves_nothing_half_ready(tmp_path, board):
    if not Path("/dev/full").exists():
        pytest.fail("this test needs /dev/full (Linux) to produce a real ENOSPC")

    def fills_disk(raw, public, private):
        COMP.preparer(raw, public, private)
        with open("/dev/full", "wb") as sink:  # the kernel answers ENOSPC, as on a full disk
            sink.write(b"x" * 65536)
            sink.flush()

    comp = dataclasses.replace(COMP, preparer=fills_disk)
    archive = _zip_file(tmp_path / "a.zip", spaceship_titanic_raw())
    with pytest.raises(DiskFull, match="disk filled up.*Free some space"):
        prepare(comp, tmp_path / "d", archive=archive, leaderboard_from=board)
    paths = competition_paths(COMP, tmp_path / "d")
    assert not paths.prepared.exists() and not paths.staging.exists()


def test_cli_archive_prepare(tmp_path, board, capsys):
    archive = _zip_file(tmp_path / "a.zip", spaceship_titanic_raw())
    rc = main(["prepare", "-c", COMP.id, "--skip-verification", "--data-dir", str(tmp_path / "d"), "--archive", str(archive),
               "--leaderboard-from", str(board)])
    assert rc == 0 and "prepared in" in capsys.readouterr().out


def test_cli_archive_needs_single_competition(tmp_path):
    with pytest.raises(SystemExit, match="need a single competition"):
        main(["prepare", "--split", "dev", "--archive", str(tmp_path / "a.zip")])


def test_concurrent_prepares_run_the_preparer_once(tmp_path, board):
    import threading
    import time as _time

    calls = []

    def slow(raw, public, private):
        calls.append(1)
        _time.sleep(0.5)
        COMP.preparer(raw, public, private)

    comp = dataclasses.replace(COMP, preparer=slow)
    archive = _zip_file(tmp_path / "a.zip", spaceship_titanic_raw())
    errors = []

    def run():
        try:
            prepare(comp, tmp_path / "d", archive=archive, leaderboard_from=board)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and calls == [1] and is_prepared(COMP, tmp_path / "d")


def test_raw_dir_with_already_extracted_csv(tmp_path, board):
    raw = tmp_path / "raw"
    raw.mkdir()
    with zipfile.ZipFile(io.BytesIO(spooky_raw()["train.zip"])) as zf:
        (raw / "train.csv").write_bytes(zf.read("train.csv"))
    comp = get_competition("spooky-author-identification")
    paths = prepare(comp, tmp_path / "d", raw_dir=raw, leaderboard_from=board)
    assert len(pd.read_csv(paths.private / "test.csv")) == 6 and os.listdir(raw) == ["train.csv"]


def test_module_entry_point(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "bench", "list", "--split", "dev", "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 0, proc.stderr
    listed = [line for line in proc.stdout.splitlines() if line.startswith("│")]
    assert len(listed) == 7 and "spaceship-titanic" in proc.stdout
    assert "no entry yet" not in proc.stdout  # the dev split is complete


def test_a_raw_dir_inside_the_data_dir_is_never_deleted(tmp_path, board):
    paths = competition_paths(COMP, tmp_path / "d")
    paths.raw.mkdir(parents=True)  # exactly where a --keep-raw run would keep its own raw files
    for name, data in spaceship_titanic_raw().items():
        (paths.raw / name).write_bytes(data)
    before = _tree_digest(paths.raw)
    prepare(COMP, tmp_path / "d", raw_dir=paths.raw, leaderboard_from=board)
    assert is_prepared(COMP, tmp_path / "d") and _tree_digest(paths.raw) == before
    prepare(COMP, tmp_path / "d", raw_dir=paths.raw, force=True)
    assert _tree_digest(paths.raw) == before
