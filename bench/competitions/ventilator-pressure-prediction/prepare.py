"""ventilator-pressure-prediction: MLE-bench's split of Kaggle's train.csv by breath.

The breaths (`breath_id`, in increasing order) are split with `train_test_split(test_size=0.1,
random_state=0)`; each part holds the rows of its breaths, breath after breath in the split's
order, with `id` renumbered 1, 2, ... Public: `train.csv`, `test.csv` (without `pressure`),
`sample_submission.csv` (`id,pressure` with pressure 0); private: `test.csv` with the pressures.
Floats are written with 10 significant digits, as MLE-bench writes them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.preparers import read_table, split

DTYPES = {"id": "int32", "breath_id": "int32", "R": "int8", "C": "int8", "time_step": "float64",
          "u_in": "float64", "u_out": "int8", "pressure": "float64"}
FLOATS = "%.10g"


def prepare(raw: Path, public: Path, private: Path) -> None:
    table = read_table(raw, "train.csv").astype(DTYPES)
    # row positions of each breath, breaths in increasing id order (as pandas' groupby gives them)
    breaths = list(table.groupby("breath_id").indices.values())
    # splitting the breaths' positions shuffles exactly as splitting the breaths themselves
    train_breaths, test_breaths = split(np.arange(len(breaths)), 0.1, 0)
    train = table.iloc[np.concatenate([breaths[b] for b in train_breaths])].copy()
    test = table.iloc[np.concatenate([breaths[b] for b in test_breaths])].copy()
    train["id"] = range(1, len(train) + 1)
    test["id"] = range(1, len(test) + 1)
    sample = test[["id"]].copy()
    sample["pressure"] = 0
    train.to_csv(public / "train.csv", index=False, float_format=FLOATS)
    test.drop(columns=["pressure"]).to_csv(public / "test.csv", index=False, float_format=FLOATS)
    sample.to_csv(public / "sample_submission.csv", index=False, float_format=FLOATS)
    test.to_csv(private / "test.csv", index=False, float_format=FLOATS)
