"""Synthetic raw files of predict-volcanic-eruptions-ingv-oe in Kaggle's layout: train.csv
(`segment_id,time_to_eruption`), sample_submission.csv, and one CSV per segment (`sensor_1` ...
`sensor_10`, integer readings with gaps) under train/ and test/."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes

SENSORS = [f"sensor_{i}" for i in range(1, 11)]


def _segment(rng: np.random.Generator, rows: int = 4) -> bytes:
    frame = pd.DataFrame(rng.integers(-500, 500, (rows, len(SENSORS))).astype(float), columns=SENSORS)
    frame.iloc[:, rng.integers(0, len(SENSORS))] = np.nan  # Kaggle's segments have silent sensors
    return csv_bytes(frame)


def build(n: int = 40) -> dict[str, bytes]:
    rng = np.random.default_rng(16)
    ids = rng.choice(2_000_000_000, n + 5, replace=False)
    train_ids, test_ids = ids[:n], ids[n:]
    train = pd.DataFrame({"segment_id": train_ids, "time_to_eruption": rng.integers(10_000, 50_000_000, n)})
    files = {"train.csv": csv_bytes(train),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"segment_id": test_ids, "time_to_eruption": 0}))}
    files.update({f"train/{i}.csv": _segment(rng) for i in train_ids})
    files.update({f"test/{i}.csv": _segment(rng) for i in test_ids})
    return files


def _shifted(amount: float):
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = submission(answers, spec)
        frame["time_to_eruption"] = [repr(float(v) + amount) for v in frame["time_to_eruption"]]
        return text_of(frame)

    return case


# MLE-bench rounds the MAE with Python's round (half to even): 2.5 -> 2, 3.5 -> 4.
CASES = {"half_up": _shifted(2.5), "half_up_odd": _shifted(3.5), "off_by_0.4": _shifted(-0.4)}
