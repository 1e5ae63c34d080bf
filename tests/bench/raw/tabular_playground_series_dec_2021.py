"""Synthetic raw files of tabular-playground-series-dec-2021 in Kaggle's layout: train.csv (Id, ten
cartographic columns, 4 wilderness and 40 soil indicators, Cover_Type 1-7), test.csv,
sample_submission.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes

NUMERIC = {"Elevation": (1800, 3900), "Aspect": (-30, 400), "Slope": (-5, 60),
           "Horizontal_Distance_To_Hydrology": (-80, 1500), "Vertical_Distance_To_Hydrology": (-200, 600),
           "Horizontal_Distance_To_Roadways": (-300, 7000), "Hillshade_9am": (0, 300),
           "Hillshade_Noon": (50, 280), "Hillshade_3pm": (-20, 270),
           "Horizontal_Distance_To_Fire_Points": (-300, 7000)}


def _rows(rng: np.random.Generator, first_id: int, n: int) -> pd.DataFrame:
    columns = {"Id": np.arange(first_id, first_id + n)}
    for name, (low, high) in NUMERIC.items():
        columns[name] = rng.integers(low, high, n)
    for i in range(1, 5):
        columns[f"Wilderness_Area{i}"] = (rng.random(n) < 0.3).astype(int)
    for i in range(1, 41):
        columns[f"Soil_Type{i}"] = (rng.random(n) < 0.05).astype(int)
    return pd.DataFrame(columns)


def build(n: int = 120) -> dict[str, bytes]:
    rng = np.random.default_rng(2021)
    train = _rows(rng, 0, n).assign(Cover_Type=rng.choice(7, n, p=[0.35, 0.5, 0.07, 0.01, 0.01, 0.02, 0.04]) + 1)
    test = _rows(rng, 4_000_000, 10)
    sample = pd.DataFrame({"Id": test["Id"], "Cover_Type": 2})
    return {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample)}


def _classes(values):
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = submission(answers, spec)
        frame["Cover_Type"] = values(frame["Cover_Type"])
        return text_of(frame)

    return case


# Classes written as floats score like integers (1.0 == 1); class names are refused.
CASES = {
    "classes_as_floats": _classes(lambda s: [f"{v}.0" for v in s]),
    "classes_zero_based": _classes(lambda s: [str(int(v) - 1) for v in s]),
    "classes_as_names": _classes(lambda s: [f"type{v}" for v in s]),
}
