"""Synthetic raw files of spooky-author-identification: train.zip, test.zip, sample_submission.zip,
each holding the one CSV of that name, as Kaggle ships them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes, zip_bytes


def build(n: int = 60) -> dict[str, bytes]:
    rng = np.random.default_rng(2)
    train = pd.DataFrame({"id": [f"id{i:05d}" for i in range(n)],
                          "text": [f"It was a dark night, number {i}, and \"quoted\", too." for i in range(n)],
                          "author": rng.choice(["EAP", "HPL", "MWS"], n)})
    test = pd.DataFrame({"id": [f"id9{i:04d}" for i in range(10)], "text": ["A test sentence."] * 10})
    sample = pd.DataFrame({"id": test["id"], "EAP": 0.403493538995863, "HPL": 0.287808366106543,
                           "MWS": 0.308698094897594})
    return {"train.zip": zip_bytes({"train.csv": csv_bytes(train)}), "test.zip": zip_bytes({"test.csv": csv_bytes(test)}),
            "sample_submission.zip": zip_bytes({"sample_submission.csv": csv_bytes(sample)})}


def _scaled(factor: float):
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = table(sample)
        for author in ("EAP", "HPL", "MWS"):
            frame[author] = [repr(float(v) * factor) for v in frame[author]]
        return text_of(frame)

    return case


def _id_last(answers: str, sample: str, spec: dict) -> str:
    return text_of(table(answers)[["EAP", "HPL", "MWS", "id"]])


CASES = {
    "sums_within_tolerance": _scaled(1 + 5e-7),
    "sums_off_by_1e-3": _scaled(1.001),
    "id_column_last": _id_last,
}
