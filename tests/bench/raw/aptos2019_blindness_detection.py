"""Synthetic raw files of aptos2019-blindness-detection: train.csv, test.csv, sample_submission.csv
and the folders train_images/ and test_images/ of PNG photographs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes, png_bytes


def build(n: int = 60) -> dict[str, bytes]:
    rng = np.random.default_rng(11)
    ids = [f"{v:012x}" for v in rng.integers(0, 16**12, n)]
    train = pd.DataFrame({"id_code": ids, "diagnosis": rng.choice(5, n, p=[0.5, 0.1, 0.25, 0.05, 0.1])})
    test_ids = [f"{v:012x}" for v in rng.integers(0, 16**12, 6)]
    files = {"train.csv": csv_bytes(train), "test.csv": csv_bytes(pd.DataFrame({"id_code": test_ids})),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"id_code": test_ids, "diagnosis": 0}))}
    for i in ids:
        files[f"train_images/{i}.png"] = png_bytes(rng.integers(0, 255, (6, 8, 3)), mode="RGB")
    for i in test_ids:
        files[f"test_images/{i}.png"] = png_bytes(rng.integers(0, 255, (6, 8, 3)), mode="RGB")
    return files


def _as(values):
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = submission(answers, spec)
        frame["diagnosis"] = values(frame["diagnosis"])
        return text_of(frame)

    return case


CASES = {
    "grades_as_floats": _as(lambda s: [f"{v}.0" for v in s]),
    "fractional_grades": _as(lambda s: [f"{int(v) + 0.4}" for v in s]),
    "grades_out_of_scale": _as(lambda s: [str(int(v) + 7) for v in s]),
}
