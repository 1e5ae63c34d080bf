"""Synthetic raw files of new-york-city-taxi-fare-prediction: train.csv (more rows than the 9,914
held out), test.csv, sample_submission.csv, GCP-Coupons-Instructions.rtf."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes


def build(n: int = 10_100) -> dict[str, bytes]:
    rng = np.random.default_rng(4)
    times = pd.Timestamp("2012-01-01") + pd.to_timedelta(rng.integers(0, 10**8, n), unit="s")
    stamps = times.strftime("%Y-%m-%d %H:%M:%S UTC")
    frame = pd.DataFrame({
        "key": [f"{t[:19]}.{i:07d}" for i, t in enumerate(stamps)],
        "fare_amount": np.round(rng.uniform(2.5, 60, n), 2), "pickup_datetime": stamps,
        "pickup_longitude": rng.uniform(-74.05, -73.75, n), "pickup_latitude": rng.uniform(40.6, 40.85, n),
        "dropoff_longitude": rng.uniform(-74.05, -73.75, n), "dropoff_latitude": rng.uniform(40.6, 40.85, n),
        "passenger_count": rng.integers(1, 6, n),
    })
    test = frame.drop(columns=["fare_amount"]).head(50)
    sample = pd.DataFrame({"key": test["key"], "fare_amount": 11.35})
    return {"train.csv": csv_bytes(frame), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample),
            "GCP-Coupons-Instructions.rtf": b"{\\rtf1\\ansi Coupons are not part of this test.}"}


def _other_keys(answers: str, sample: str, spec: dict) -> str:
    """Right length, wrong keys: MLE-bench's taxi grader does not compare ids."""
    frame = submission(answers, spec)
    frame["key"] = [f"not-a-key-{i:05d}" for i in range(len(frame))]
    return text_of(frame)


CASES = {"other_keys": _other_keys}
