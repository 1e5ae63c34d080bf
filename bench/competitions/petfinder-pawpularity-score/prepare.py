"""petfinder-pawpularity-score: MLE-bench's split of the scored photographs.

`train.csv` is split with test_size 0.1, random_state 0. Public: `train.csv`, `test.csv` (the test
rows without Pawpularity), `train/` and `test/` (each row's `<Id>.jpg` from raw `train/`), and the
sample, whose scores are numpy's `default_rng(0).uniform(1, 100)` rounded to 2 decimals, as
MLE-bench draws them. Private: `test.csv` (the test rows with their scores).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.copying import copy_each
from bench.preparers import FileSource, read_table, split


def prepare(raw: Path, public: Path, private: Path) -> None:
    table = read_table(raw, "train.csv")
    rng = np.random.default_rng(0)
    train, test = split(table, test_size=0.1, random_state=0)
    sample = test[["Id", "Pawpularity"]].copy()
    sample["Pawpularity"] = rng.uniform(1, 100, len(sample)).round(2)
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=["Pawpularity"]).to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    with FileSource(raw, "train", ".jpg") as photos:
        for part, folder in ((train, "train"), (test, "test")):
            copy_each(photos.read, ((f"{i}.jpg", public / folder / f"{i}.jpg") for i in part["Id"]),
                      f"{folder} photographs")
