"""Synthetic raw files of seti-breakthrough-listen: train_labels.csv, sample_submission.csv, the
cadences train/<c>/<id>.npy and test/<c>/<id>.npy (<c> the id's first character), and the old
release under old_leaky_data/ (its labels and a few arrays in train_old/ and test_old/)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes


def _npy(rng: np.random.Generator) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, rng.normal(size=(6, 3, 4)).astype(np.float16))
    return buffer.getvalue()


def _ids(rng: np.random.Generator, n: int) -> list[str]:
    return [f"{v:015x}" for v in rng.integers(0, 16**15, n)]


def build(n: int = 40, n_test: int = 6, n_old: int = 4) -> dict[str, bytes]:
    rng = np.random.default_rng(31)
    ids, test_ids, old_ids = _ids(rng, n), _ids(rng, n_test), _ids(rng, n_old)
    files = {"train_labels.csv": csv_bytes(pd.DataFrame({"id": ids, "target": rng.integers(0, 2, n)})),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"id": test_ids, "target": 0.5})),
             "old_leaky_data/train_labels_old.csv": csv_bytes(pd.DataFrame({"id": old_ids[:2], "target": [0, 1]})),
             "old_leaky_data/sample_submission_old.csv": csv_bytes(pd.DataFrame({"id": old_ids[2:], "target": 0.5}))}
    for i in ids:
        files[f"train/{i[0]}/{i}.npy"] = _npy(rng)
    for i in test_ids:
        files[f"test/{i[0]}/{i}.npy"] = _npy(rng)
    for i in old_ids[:2]:
        files[f"old_leaky_data/train_old/{i}.npy"] = _npy(rng)
    for i in old_ids[2:]:
        files[f"old_leaky_data/test_old/{i}.npy"] = _npy(rng)
    return files
