"""Synthetic raw files of rsna-miccai-brain-tumor-radiogenomic-classification in Kaggle's layout:
train_labels.csv (`BraTS21ID` zero-padded to five digits, `MGMT_value` 0/1), sample_submission.csv,
and one folder per patient in train/ and test/ with the four MRI series FLAIR, T1w, T1wCE, T2w, each
a few `Image-<n>.dcm` slices."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes
from tests.bench.raw.siim_isic_melanoma_classification import dicom_bytes

SERIES = ("FLAIR", "T1w", "T1wCE", "T2w")


def _patient(rng: np.random.Generator, folder: str, patient: str) -> dict[str, bytes]:
    files = {}
    for series in SERIES:
        for n in range(1, int(rng.integers(1, 3)) + 1):
            files[f"{folder}/{patient}/{series}/Image-{n}.dcm"] = dicom_bytes(rng)
    return files


def build(n_train: int = 30, n_test: int = 3) -> dict[str, bytes]:
    rng = np.random.default_rng(2021)
    numbers = sorted(rng.choice(1000, n_train + n_test, replace=False))
    train_ids = [f"{v:05d}" for v in numbers[:n_train]]
    test_ids = [f"{v:05d}" for v in numbers[n_train:]]
    labels = pd.DataFrame({"BraTS21ID": train_ids, "MGMT_value": rng.integers(0, 2, n_train)})
    files = {"train_labels.csv": csv_bytes(labels),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"BraTS21ID": test_ids, "MGMT_value": 0.5}))}
    for patient in train_ids:
        files.update(_patient(rng, "train", patient))
    for patient in test_ids:
        files.update(_patient(rng, "test", patient))
    return files
