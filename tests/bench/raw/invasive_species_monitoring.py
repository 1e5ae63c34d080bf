"""Synthetic raw files of invasive-species-monitoring: train.7z and test.7z (train/<n>.jpg,
test/<n>.jpg: 7z archives inside Kaggle's zip), train_labels.csv.zip and sample_submission.csv.zip."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes, sevenz_bytes, zip_bytes


def build(n: int = 40, n_test: int = 6) -> dict[str, bytes]:
    rng = np.random.default_rng(16)
    labels = pd.DataFrame({"name": range(1, n + 1), "invasive": rng.integers(0, 2, n)})
    sample = pd.DataFrame({"name": range(1, n_test + 1), "invasive": 0.5})
    return {"train.7z": sevenz_bytes({f"train/{i}.jpg": jpg_bytes(rng, (8, 8)) for i in range(1, n + 1)}),
            "test.7z": sevenz_bytes({f"test/{i}.jpg": jpg_bytes(rng, (8, 8)) for i in range(1, n_test + 1)}),
            "train_labels.csv.zip": zip_bytes({"train_labels.csv": csv_bytes(labels)}),
            "sample_submission.csv.zip": zip_bytes({"sample_submission.csv": csv_bytes(sample)})}


# MLE-bench's public train.7z / test.7z hold only a folder entry (its preparer calls py7zr's
# `write` on the folder, which adds no files); ours hold the photographs (bench/DEVIATIONS.md P1).
PREPARED_DEVIATIONS = {"public/train.7z": "P1", "public/test.7z": "P1"}
