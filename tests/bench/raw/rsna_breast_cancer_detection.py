"""Synthetic raw files of rsna-breast-cancer-detection in Kaggle's layout: train.csv (one row per
mammogram: site, patient, image, laterality L/R, view CC/MLO, age, labels and case facts),
test.csv (with `prediction_id`), sample_submission.csv, and the DICOM images
`train_images/<patient_id>/<image_id>.dcm` and `test_images/<patient_id>/<image_id>.dcm`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes
from tests.bench.raw.siim_isic_melanoma_classification import dicom_bytes


def _images(rng: np.random.Generator, patients: list[int], labelled: bool) -> pd.DataFrame:
    rows = []
    for patient in patients:
        site, age, machine = int(rng.integers(1, 3)), rng.choice([np.nan, 45.0, 52.0, 61.0, 70.0]), int(rng.choice([21, 29, 49, 93]))
        for side in ("L", "R"):
            cancer = int(rng.random() < 0.3)
            for view in ("CC", "MLO")[: int(rng.integers(1, 3))]:
                row = {"site_id": site, "patient_id": patient, "image_id": int(rng.integers(10**6, 2 * 10**9)),
                       "laterality": side, "view": view, "age": age}
                if labelled:
                    row.update(cancer=cancer, biopsy=cancer | int(rng.random() < 0.1), invasive=cancer,
                               BIRADS=rng.choice([np.nan, 0.0, 1.0, 2.0]), implant=0, density=rng.choice(["A", "B", "C", ""]),
                               machine_id=machine, difficult_negative_case=bool(rng.random() < 0.1))
                else:
                    row.update(implant=0, machine_id=machine, prediction_id=f"{patient}_{side}")
                rows.append(row)
    return pd.DataFrame(rows)


def build(n_train: int = 30, n_test: int = 1) -> dict[str, bytes]:
    rng = np.random.default_rng(2022)
    ids = [int(v) for v in rng.choice(np.arange(10000, 65000), n_train + n_test, replace=False)]
    train, test = _images(rng, ids[:n_train], True), _images(rng, ids[n_train:], False)
    sample = pd.DataFrame({"prediction_id": test["prediction_id"].unique(), "cancer": 0})
    files = {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample)}
    for folder, frame in (("train_images", train), ("test_images", test)):
        for patient, image in zip(frame["patient_id"], frame["image_id"]):
            files[f"{folder}/{patient}/{image}.dcm"] = dicom_bytes(rng)
    return files


def _text_prediction(answers: str, sample: str, spec: dict) -> str:
    lines = sample.splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",high"
    return "\n".join(lines) + "\n"


CASES = {"text_prediction": _text_prediction}
