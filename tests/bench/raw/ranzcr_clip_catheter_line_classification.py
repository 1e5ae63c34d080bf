"""Synthetic raw files of ranzcr-clip-catheter-line-classification: train.csv (eleven labels),
train_annotations.csv, sample_submission.csv (Kaggle's eleven columns), train/ and test/ JPEGs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes

LABELS = ["ETT - Abnormal", "ETT - Borderline", "ETT - Normal", "NGT - Abnormal", "NGT - Borderline",
          "NGT - Incompletely Imaged", "NGT - Normal", "CVC - Abnormal", "CVC - Borderline", "CVC - Normal",
          "Swan Ganz Catheter Present"]


def _uid(rng: np.random.Generator) -> str:
    return "1.2.826.0.1.3680043.8.498." + str(rng.integers(10**15, 10**16))


def build(n: int = 120, n_test: int = 5) -> dict[str, bytes]:
    rng = np.random.default_rng(28)
    uids = [_uid(rng) for _ in range(n)]
    train = pd.DataFrame({"StudyInstanceUID": uids, **{c: rng.integers(0, 2, n) for c in LABELS},
                          "PatientID": [f"ec{rng.integers(10**6, 10**7):x}" for _ in range(n)]})
    picked = rng.choice(n, 40, replace=False)
    annotations = pd.DataFrame({"StudyInstanceUID": [uids[i] for i in picked],
                                "label": rng.choice(LABELS[:9], 40),
                                "data": [str([[int(x), int(y)] for x, y in rng.integers(0, 2000, (3, 2))]) for _ in range(40)]})
    test_uids = [_uid(rng) for _ in range(n_test)]
    files = {"train.csv": csv_bytes(train), "train_annotations.csv": csv_bytes(annotations),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"StudyInstanceUID": test_uids, **{c: 0 for c in LABELS}}))}
    for uid in uids:
        files[f"train/{uid}.jpg"] = jpg_bytes(rng, (8, 8))
    for uid in test_uids:
        files[f"test/{uid}.jpg"] = jpg_bytes(rng, (8, 8))
    return files
