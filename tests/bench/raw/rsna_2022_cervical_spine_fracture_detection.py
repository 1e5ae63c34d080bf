"""Synthetic raw files of rsna-2022-cervical-spine-fracture-detection in Kaggle's layout:
train.csv (`StudyInstanceUID, patient_overall, C1 .. C7`), train_bounding_boxes.csv (fracture
boxes per slice for some studies), test.csv and sample_submission.csv (one row per study and
target), CT slices `train_images/<uid>/<n>.dcm` and `test_images/<uid>/<n>.dcm`, and
segmentations `segmentations/<uid>.nii` for some training studies (some of them also boxed).

The NIfTI files are only copied, so each is a stub: the format's header size and magic around a
few random bytes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes
from tests.bench.raw.siim_isic_melanoma_classification import dicom_bytes

TARGETS = ["patient_overall", "C1", "C2", "C3", "C4", "C5", "C6", "C7"]


def _nii(rng: np.random.Generator) -> bytes:
    return (348).to_bytes(4, "little") + rng.integers(0, 255, 340, dtype=np.uint8).tobytes() + b"n+1\x00"


def _uids(rng: np.random.Generator, n: int) -> list[str]:
    return [f"1.2.826.0.1.3680043.{v}" for v in rng.choice(np.arange(1000, 33000), n, replace=False)]


def build(n_train: int = 40) -> dict[str, bytes]:
    rng = np.random.default_rng(2022)
    uids, test_uids = _uids(rng, n_train), ["1.2.826.0.1.3680043.10197", "1.2.826.0.1.3680043.10454"]
    vertebrae = (rng.random((n_train, 7)) < 0.15).astype(int)
    train = pd.DataFrame({"StudyInstanceUID": uids, "patient_overall": vertebrae.max(axis=1),
                          **{f"C{i + 1}": vertebrae[:, i] for i in range(7)}})
    boxed, segmented = uids[:20], uids[14:24]  # six studies have both
    boxes = pd.DataFrame([{"StudyInstanceUID": uid, "x": round(float(rng.uniform(50, 300)), 2),
                           "y": round(float(rng.uniform(50, 300)), 2), "width": round(float(rng.uniform(10, 60)), 2),
                           "height": round(float(rng.uniform(10, 60)), 2), "slice_number": int(rng.integers(1, 4))}
                          for uid in boxed for _ in range(int(rng.integers(1, 3)))])
    test = pd.DataFrame([{"StudyInstanceUID": uid, "prediction_type": t, "row_id": f"{uid}_{t}"}
                         for uid in test_uids for t in TARGETS[1:]])
    files = {"train.csv": csv_bytes(train), "train_bounding_boxes.csv": csv_bytes(boxes), "test.csv": csv_bytes(test),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"row_id": test["row_id"], "fractured": 0.5}))}
    for folder, studies in (("train_images", uids), ("test_images", test_uids)):
        for uid in studies:
            for n in range(1, int(rng.integers(2, 4))):
                files[f"{folder}/{uid}/{n}.dcm"] = dicom_bytes(rng)
    for uid in segmented:
        files[f"segmentations/{uid}.nii"] = _nii(rng)
    return files
