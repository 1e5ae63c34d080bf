"""The whole Kaggle path with the real `kaggle` client against a fake API server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split

from bench.archives import ArchiveError
from bench.cli import main
from bench.data import MARKER, ChecksumMismatch, checksums, competition_paths, is_prepared
from bench.data import prepare as _prepare
from bench.kaggle import KaggleError
from bench.registry import get_competition
from tests.bench.fake_kaggle import RAW_BUILDERS, FakeKaggle, competition_archive, leaderboard_rows

KAGGLE_IDS = ["spaceship-titanic", "spooky-author-identification", "aerial-cactus-identification",
              "new-york-city-taxi-fare-prediction", "denoising-dirty-documents"]


def prepare(*args, **kwargs):
    """Synthetic raw data cannot match MLE-bench's checksums; verification has its own tests."""
    kwargs.setdefault("skip_verification", True)
    return _prepare(*args, **kwargs)


def _point_client_at(monkeypatch, tmp_path: Path, proxy: str, with_credentials: bool = True) -> None:
    home = tmp_path / "home"
    (home / ".kaggle").mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("KAGGLE_CONFIG_DIR", str(home / ".kaggle"))
    monkeypatch.setenv("KAGGLE_API_ENVIRONMENT", "LOCALHOST")
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(var, proxy)
    for var in ("NO_PROXY", "no_proxy", "KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY"):
        monkeypatch.delenv(var, raising=False)
    if with_credentials:
        monkeypatch.setenv("KAGGLE_USERNAME", "tester")
        monkeypatch.setenv("KAGGLE_KEY", "secret-key")


@pytest.fixture()
def fake(monkeypatch, tmp_path):
    with FakeKaggle() as server:
        for cid in KAGGLE_IDS:
            server.state.archives[cid] = competition_archive(cid)
            server.state.leaderboards[cid] = leaderboard_rows(40)
        _point_client_at(monkeypatch, tmp_path, server.proxy_url)
        yield server


def _raw_train(cid: str) -> pd.DataFrame:
    files = RAW_BUILDERS[cid]()
    data = files.get("train.csv")
    if data is None:  # spooky ships train.csv inside train.zip
        import io

        with zipfile.ZipFile(io.BytesIO(files["train.zip"])) as zf:
            data = zf.read("train.csv")
    import io

    return pd.read_csv(io.BytesIO(data))


EXPECTED = {
    "spaceship-titanic": ({"train.csv", "test.csv", "sample_submission.csv", "description.md"}, {"test.csv"}),
    "spooky-author-identification": ({"train.csv", "test.csv", "sample_submission.csv", "description.md"},
                                     {"test.csv"}),
    "aerial-cactus-identification": ({"train.csv", "train.zip", "test.zip", "sample_submission.csv",
                                      "description.md"}, {"test.csv"}),
    "new-york-city-taxi-fare-prediction": ({"labels.csv", "test.csv", "sample_submission.csv",
                                            "GCP-Coupons-Instructions.rtf", "description.md"}, {"test.csv"}),
    "denoising-dirty-documents": ({"train", "train_cleaned", "test", "sampleSubmission.csv", "description.md"},
                                  {"answers.csv"}),
}


@pytest.mark.parametrize("cid", KAGGLE_IDS)
def test_prepare_through_fake_kaggle_matches_mle_bench_layout(fake, tmp_path, cid):
    comp = get_competition(cid)
    paths = prepare(comp, tmp_path / "data")
    public_names = {p.name for p in paths.public.iterdir()}
    private_names = {p.name for p in paths.private.iterdir()}
    assert (public_names, private_names) == EXPECTED[cid]
    assert is_prepared(comp, tmp_path / "data") and (paths.prepared / MARKER).is_file()
    assert not paths.raw.exists() and not paths.archive.exists() and not paths.staging.exists()
    board = pd.read_csv(paths.leaderboard)
    assert len(board) == 40 and board["score"].iloc[0] == pytest.approx(0.95)
    assert (paths.public / "description.md").read_text() == comp.description
    _check_split(cid, paths)


def _check_split(cid: str, paths) -> None:
    if cid == "denoising-dirty-documents":
        train = sorted(p.name for p in (paths.public / "train").iterdir())
        test = sorted(p.name for p in (paths.public / "test").iterdir())
        all_names = sorted(train + test)
        _, expected_test = train_test_split(all_names, test_size=0.2, random_state=0)
        assert test == sorted(expected_test) and len(test) == 2
        assert sorted(p.name for p in (paths.public / "train_cleaned").iterdir()) == train
        answers = pd.read_csv(paths.private / "answers.csv")
        assert list(answers.columns) == ["id", "value"] and len(answers) == 2 * 8 * 11
        assert answers["id"].iloc[0] == f"{Path(sorted(test)[0]).stem}_1_1"
        assert answers["value"].between(0, 1).all()
        sample = pd.read_csv(paths.public / "sampleSubmission.csv")
        assert list(sample["id"]) == list(answers["id"]) and (sample["value"] == 1).all()
        return
    raw = _raw_train(cid)
    test_size = {"aerial-cactus-identification": 0.19, "new-york-city-taxi-fare-prediction": 9914}.get(cid, 0.1)
    exp_train, exp_test = train_test_split(raw, test_size=test_size, random_state=0)
    id_col = {"spaceship-titanic": "PassengerId", "new-york-city-taxi-fare-prediction": "key"}.get(cid, "id")
    train_file = "labels.csv" if cid == "new-york-city-taxi-fare-prediction" else "train.csv"
    train = pd.read_csv(paths.public / train_file)
    answers = pd.read_csv(paths.private / ("test.csv"))
    sample = pd.read_csv(paths.public / "sample_submission.csv")
    assert list(train[id_col]) == list(exp_train[id_col])
    assert list(answers[id_col]) == list(exp_test[id_col]) == list(sample[id_col])
    assert list(train.columns) == list(raw.columns)
    if cid == "spooky-author-identification":
        assert list(answers.columns) == ["id", "EAP", "HPL", "MWS"]
        assert (answers[["EAP", "HPL", "MWS"]].sum(axis=1) == 1).all()
        assert list(pd.read_csv(paths.public / "test.csv").columns) == ["id", "text"]
    elif cid == "aerial-cactus-identification":
        with zipfile.ZipFile(paths.public / "test.zip") as zf:
            assert sorted(zf.namelist()) == sorted(exp_test["id"])
        assert (sample["has_cactus"] == 0.5).all()
    elif cid == "new-york-city-taxi-fare-prediction":
        assert len(answers) == 9914 and "fare_amount" not in pd.read_csv(paths.public / "test.csv").columns
    else:
        assert "Transported" not in pd.read_csv(paths.public / "test.csv").columns


def test_archive_unlike_mle_bench_s_is_an_error_and_kept_for_a_rerun(fake, tmp_path):
    comp = get_competition("spaceship-titanic")
    with pytest.raises(ChecksumMismatch, match="not the archive MLE-bench recorded.*--skip-verification"):
        _prepare(comp, tmp_path / "d")
    paths = competition_paths(comp, tmp_path / "d")
    assert not is_prepared(comp, tmp_path / "d") and paths.archive.is_file() and not paths.staging.exists()
    _prepare(comp, tmp_path / "d", skip_verification=True)  # reuses the download
    assert is_prepared(comp, tmp_path / "d")
    assert sum("DownloadDataFiles" in r for r in fake.state.requests) == 1


def test_prepared_files_are_checked_against_mle_bench_s_checksums(fake, tmp_path):
    comp = get_competition("spaceship-titanic")
    first = _prepare(comp, tmp_path / "ref", skip_verification=True)
    sums = checksums(first.prepared)
    assert set(sums) == {k for k in comp.reference_md5 if k != "zip"}  # only what MLE-bench hashes
    wrong = dataclasses.replace(comp, reference_md5={**sums, "public/test.csv": "0" * 32})
    with pytest.raises(ChecksumMismatch, match=r"public/test.csv differs\. .*--skip-verification") as err:
        _prepare(wrong, tmp_path / "d")
    assert "train.csv" not in str(err.value)
    paths = competition_paths(comp, tmp_path / "d")
    assert not is_prepared(comp, tmp_path / "d") and (paths.raw / "train.csv").is_file()  # raw kept
    right = dataclasses.replace(comp, reference_md5=sums)
    _prepare(right, tmp_path / "d")
    marker = json.loads((paths.prepared / MARKER).read_text())
    assert marker["verified_against_mle_bench"] and marker["md5"] == sums
    assert not paths.raw.exists()


def test_keep_raw_keeps_archive_and_raw(fake, tmp_path):
    paths = prepare(get_competition("spooky-author-identification"), tmp_path / "d", keep_raw=True)
    assert paths.archive.is_file() and (paths.raw / "train.zip").is_file()


def test_leaderboard_is_paged(fake, tmp_path):
    fake.state.leaderboards["spaceship-titanic"] = leaderboard_rows(450)
    paths = prepare(get_competition("spaceship-titanic"), tmp_path / "d")
    assert len(pd.read_csv(paths.leaderboard)) == 450
    assert sum("GetLeaderboard" in r for r in fake.state.requests) == 3


def test_rules_not_accepted(fake, tmp_path):
    fake.state.failures["spaceship-titanic"] = "rules"
    with pytest.raises(KaggleError) as err:
        prepare(get_competition("spaceship-titanic"), tmp_path / "d")
    assert "https://www.kaggle.com/competitions/spaceship-titanic/rules" in str(err.value)
    assert "403" in str(err.value)
    assert not is_prepared(get_competition("spaceship-titanic"), tmp_path / "d")
    assert not (tmp_path / "d" / "spaceship-titanic" / ".staging").exists()


def test_wrong_key_is_401(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("KAGGLE_KEY", "wrong")
    with pytest.raises(KaggleError, match="rejected the credentials.*settings/api"):
        prepare(get_competition("spaceship-titanic"), tmp_path / "d")


def test_missing_credentials(fake, tmp_path, monkeypatch):
    monkeypatch.delenv("KAGGLE_USERNAME")
    monkeypatch.delenv("KAGGLE_KEY")
    with pytest.raises(KaggleError, match="credentials are missing.*kaggle.json.*--archive"):
        prepare(get_competition("spaceship-titanic"), tmp_path / "d")
    assert not any("Download" in r for r in fake.state.requests)


def test_server_error_is_retried_then_explained(fake, tmp_path, monkeypatch):
    monkeypatch.setattr("bench.kaggle.time.sleep", lambda s: None)
    fake.state.failures["spaceship-titanic"] = "server"
    with pytest.raises(KaggleError, match="server failed \\(500\\).*again"):
        prepare(get_competition("spaceship-titanic"), tmp_path / "d")
    assert sum("DownloadDataFiles" in r for r in fake.state.requests) == 3


def test_truncated_download(fake, tmp_path):
    fake.state.failures["spooky-author-identification"] = "truncated"
    comp = get_competition("spooky-author-identification")
    with pytest.raises(ArchiveError, match="corrupt or truncated.*again"):
        prepare(comp, tmp_path / "d")
    assert not (tmp_path / "d" / comp.id / f"{comp.id}.zip").exists()
    assert not is_prepared(comp, tmp_path / "d")
    fake.state.failures.clear()
    assert is_prepared(comp, prepare(comp, tmp_path / "d").root.parent)


def test_network_error(monkeypatch, tmp_path):
    import socket

    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _point_client_at(monkeypatch, tmp_path, f"http://127.0.0.1:{port}")
    monkeypatch.setattr("bench.kaggle.time.sleep", lambda s: None)
    with pytest.raises(KaggleError, match="could not reach Kaggle.*--archive"):
        prepare(get_competition("spaceship-titanic"), tmp_path / "d")


def test_cli_reports_kaggle_error(fake, tmp_path, capsys):
    fake.state.failures["spaceship-titanic"] = "rules"
    assert main(["prepare", "-c", "spaceship-titanic", "--skip-verification", "--data-dir", str(tmp_path / "d")]) == 1
    err = capsys.readouterr().err
    assert "accepted the competition rules" in err and "Traceback" not in err


def test_missing_leaderboard_warns_but_data_is_ready(fake, tmp_path, caplog):
    del fake.state.leaderboards["spaceship-titanic"]
    comp = get_competition("spaceship-titanic")
    paths = prepare(comp, tmp_path / "d")
    assert is_prepared(comp, tmp_path / "d") and not paths.leaderboard.exists()
    assert "--leaderboard-from" in caplog.text
    np.testing.assert_equal(len(pd.read_csv(paths.private / "test.csv")), 10)


def test_a_client_without_the_leaderboard_api_gets_an_actionable_message():
    from bench.kaggle import _leaderboard_page

    class OldClient:  # kaggle < 2.2 has no build_kaggle_client
        pass

    with pytest.raises(KaggleError, match="too old.*pip install 'kaggle>=2.2,<3'.*--leaderboard-from"):
        _leaderboard_page(OldClient(), "spaceship-titanic", 20, None)


def test_prepare_a_whole_split_and_a_list_file_through_the_cli(monkeypatch, tmp_path, capsys):
    from bench.splits import SPLITS

    with FakeKaggle() as server:
        for cid in SPLITS["dev"]:
            server.state.archives[cid] = competition_archive(cid)
            server.state.leaderboards[cid] = leaderboard_rows(20)
        _point_client_at(monkeypatch, tmp_path, server.proxy_url)
        data = tmp_path / "d"
        assert main(["prepare", "--split", "dev", "--skip-verification", "--data-dir", str(data)]) == 0
        assert all(is_prepared(get_competition(cid), data) for cid in SPLITS["dev"])
        listed = tmp_path / "ids.txt"
        listed.write_text("# two of them\nspaceship-titanic\n\nplayground-series-s3e18  # tabular\n")
        assert main(["prepare", "-l", str(listed), "--skip-verification", "--data-dir", str(tmp_path / "e")]) == 0
    out = capsys.readouterr().out
    assert out.count("prepared in") == 9
    assert sorted(p.name for p in (tmp_path / "e").iterdir()) == ["playground-series-s3e18", "spaceship-titanic"]
