"""Synthetic raw files of tabular-playground-series-may-2022 in Kaggle's layout: train.csv (id,
f_00..f_30 and target), test.csv, sample_submission.csv. MLE-bench's preparer holds out a fixed
100,000 rows, so the train file must be a little larger than that (floats are rounded to keep it
small)."""

from __future__ import annotations

import functools
import string

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes


def _features(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    columns: dict[str, np.ndarray] = {}
    for i in range(7):
        columns[f"f_{i:02d}"] = np.round(rng.normal(0, 1, n), 3)
    for i in range(7, 19):
        columns[f"f_{i:02d}"] = rng.poisson(2, n)
    for i in range(19, 27):
        columns[f"f_{i:02d}"] = np.round(rng.normal(0, 2, n), 3)
    letters = np.array(list(string.ascii_uppercase[:20]))
    columns["f_27"] = np.array(["".join(row) for row in rng.choice(letters, (n, 10))])
    columns["f_28"] = np.round(rng.normal(0, 200, n), 3)
    columns["f_29"] = rng.integers(0, 2, n)
    columns["f_30"] = rng.integers(0, 3, n)
    return columns


@functools.lru_cache(maxsize=1)
def _build(n_train: int, n_test: int) -> tuple[tuple[str, bytes], ...]:
    rng = np.random.default_rng(522)
    train = pd.DataFrame({"id": np.arange(n_train), **_features(rng, n_train), "target": rng.integers(0, 2, n_train)})
    test = pd.DataFrame({"id": np.arange(n_train, n_train + n_test), **_features(rng, n_test)})
    sample = pd.DataFrame({"id": test["id"], "target": 0.5})
    return (("train.csv", csv_bytes(train)), ("test.csv", csv_bytes(test)), ("sample_submission.csv", csv_bytes(sample)))


def build(n_train: int = 100_040, n_test: int = 20) -> dict[str, bytes]:
    return dict(_build(n_train, n_test))
