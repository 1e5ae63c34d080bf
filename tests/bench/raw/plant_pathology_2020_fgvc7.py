"""Synthetic raw files of plant-pathology-2020-fgvc7: train.csv, test.csv, sample_submission.csv and
images/ (Train_<k>.jpg, Test_<k>.jpg)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes

CLASSES = ["healthy", "multiple_diseases", "rust", "scab"]


def build(n: int = 100, n_test: int = 6) -> dict[str, bytes]:
    rng = np.random.default_rng(24)
    onehot = np.eye(4, dtype=int)[np.arange(n) % 4]  # balanced, so each class reaches the test part
    train = pd.DataFrame({"image_id": [f"Train_{i}" for i in range(n)], **{c: onehot[:, j] for j, c in enumerate(CLASSES)}})
    test = pd.DataFrame({"image_id": [f"Test_{i}" for i in range(n_test)]})
    files = {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test),
             "sample_submission.csv": csv_bytes(test.assign(**{c: 0.25 for c in CLASSES}))}
    for image in list(train["image_id"]) + list(test["image_id"]):
        files[f"images/{image}.jpg"] = jpg_bytes(rng, (8, 8))
    return files
