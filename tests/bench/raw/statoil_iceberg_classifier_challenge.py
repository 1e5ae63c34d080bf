"""Synthetic raw files of statoil-iceberg-classifier-challenge: train.json.7z and test.json.7z
(each holding data/processed/<name>.json, a list of records: id, band_1, band_2, inc_angle and, in
train, is_iceberg) and sample_submission.csv.7z."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, sevenz_bytes


def _record(rng: np.random.Generator, labelled: bool) -> dict:
    angle = "na" if rng.random() < 0.15 else round(float(rng.uniform(30, 46)), 4)
    record = {"id": f"{int(rng.integers(0, 16**8)):08x}",
              "band_1": [round(float(v), 6) for v in rng.normal(-20, 5, 9)],
              "band_2": [round(float(v), 6) for v in rng.normal(-26, 4, 9)],
              "inc_angle": angle}
    if labelled:
        record["is_iceberg"] = int(rng.integers(0, 2))
    return record


def build(n: int = 30, n_test: int = 4) -> dict[str, bytes]:
    rng = np.random.default_rng(39)
    train = [_record(rng, True) for _ in range(n)]
    test = [_record(rng, False) for _ in range(n_test)]
    sample = pd.DataFrame({"id": [r["id"] for r in test], "is_iceberg": 0.5})
    return {"train.json.7z": sevenz_bytes({"data/processed/train.json": json.dumps(train).encode()}),
            "test.json.7z": sevenz_bytes({"data/processed/test.json": json.dumps(test).encode()}),
            "sample_submission.csv.7z": sevenz_bytes({"sample_submission.csv": csv_bytes(sample)})}
