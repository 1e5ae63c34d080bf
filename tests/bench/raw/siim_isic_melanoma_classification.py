"""Synthetic raw files of siim-isic-melanoma-classification in Kaggle's layout: train.csv, test.csv,
sample_submission.csv, DICOMs in train/ and test/, JPEGs in jpeg/train/ and jpeg/test/, and
TFRecord files tfrecords/train00-2071.tfrec .. train15-2061.tfrec and test00-687.tfrec ..
(each record an Example with the image and its metadata)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes
from tests.bench.raw._tfrecord import example, tfrecord

SITES = ["head/neck", "upper extremity", "lower extremity", "torso", "palms/soles", "oral/genital", ""]
BENIGN = ["unknown", "nevus", "seborrheic keratosis", "lentigo NOS"]
TRAIN_RECORDS = [f"train{i:02d}-{2071 if i < 15 else 2061}.tfrec" for i in range(16)]
TEST_RECORDS = ["test00-687.tfrec", "test01-687.tfrec"]


def dicom_bytes(rng: np.random.Generator) -> bytes:
    """A DICOM file's shape: 128-byte preamble, "DICM", a transfer-syntax element, pixel bytes."""
    uid = b"1.2.840.10008.1.2.1\x00"
    meta = b"\x02\x00\x10\x00UI" + len(uid).to_bytes(2, "little") + uid
    return b"\x00" * 128 + b"DICM" + meta + rng.integers(0, 255, 64, dtype=np.uint8).tobytes()


def _metadata(rng: np.random.Generator, names: list[str]) -> pd.DataFrame:
    n = len(names)
    ages = rng.choice([25.0, 35.0, 45.0, 55.0, 70.0, np.nan], n)
    return pd.DataFrame({"image_name": names, "patient_id": [f"IP_{v:07d}" for v in rng.integers(0, 10**7, n)],
                         "sex": rng.choice(["male", "female", ""], n, p=[0.5, 0.45, 0.05]), "age_approx": ages,
                         "anatom_site_general_challenge": rng.choice(SITES, n)})


def _record(jpg: bytes, row: pd.Series, labelled: bool) -> bytes:
    features: dict[str, bytes | int] = {"image": jpg, "image_name": row["image_name"].encode(),
                                        "patient_id": int(row["patient_id"][3:]), "sex": int(row["sex"] == "male"),
                                        "age_approx": 0 if np.isnan(row["age_approx"]) else int(row["age_approx"]),
                                        "anatom_site_general_challenge": SITES.index(row["anatom_site_general_challenge"])}
    if labelled:
        features.update(diagnosis=0, target=int(row["target"]))
    return example(features)


def _images(rng: np.random.Generator, frame: pd.DataFrame, folder: str, records: list[str], labelled: bool) -> dict:
    files, per_file = {}, len(frame) // len(records)
    shuffled = frame.sample(frac=1.0, random_state=int(rng.integers(0, 1000)))
    for i, record in enumerate(records):
        part = shuffled.iloc[i * per_file:(i + 1) * per_file]
        jpgs = {name: jpg_bytes(rng, (8, 8)) for name in part["image_name"]}
        files[f"tfrecords/{record}"] = tfrecord([_record(jpgs[r["image_name"]], r, labelled) for _, r in part.iterrows()])
        for name, jpg in jpgs.items():
            files[f"jpeg/{folder}/{name}.jpg"] = jpg
            files[f"{folder}/{name}.dcm"] = dicom_bytes(rng)
    return files


def build(per_record: int = 3) -> dict[str, bytes]:
    rng = np.random.default_rng(2020)
    n = per_record * len(TRAIN_RECORDS)
    train = _metadata(rng, [f"ISIC_{v:07d}" for v in rng.choice(10**7, n, replace=False)])
    target = (rng.random(n) < 0.25).astype(int)
    train["diagnosis"] = [("melanoma" if t else rng.choice(BENIGN)) for t in target]
    train["benign_malignant"] = ["malignant" if t else "benign" for t in target]
    train["target"] = target
    test = _metadata(rng, [f"ISIC_{v:07d}" for v in rng.choice(10**7, 4, replace=False)])
    files = {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"image_name": test["image_name"], "target": 0}))}
    files.update(_images(rng, train, "train", TRAIN_RECORDS, labelled=True))
    files.update(_images(rng, test, "test", TEST_RECORDS, labelled=False))
    return files


# MLE-bench publishes the held-out TFRecord files with their labels; ours drop them (P-B2)
PREPARED_DEVIATIONS = {"public/tfrecords/test00-2071.tfrec": "P-B2", "public/tfrecords/test01-2071.tfrec": "P-B2"}
