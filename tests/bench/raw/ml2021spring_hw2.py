"""Synthetic raw files of ml2021spring-hw2: timit_11/timit_11/{train_11,train_label_11,test_11}.npy
(float32 features, string labels) and sampleSubmission.csv."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def build(n: int = 80, n_test: int = 30, width: int = 429) -> dict[str, bytes]:
    rng = np.random.default_rng(19)
    train = rng.normal(size=(n, width)).astype(np.float32)
    labels = rng.integers(0, 39, n).astype(str)
    test = rng.normal(size=(n_test, width)).astype(np.float32)
    return {"timit_11/timit_11/train_11.npy": _npy(train), "timit_11/timit_11/train_label_11.npy": _npy(labels),
            "timit_11/timit_11/test_11.npy": _npy(test),
            "sampleSubmission.csv": csv_bytes(pd.DataFrame({"Id": range(n_test), "ClassId": 0}))}
