"""tabular-playground-series-may-2022: MLE-bench's split of Kaggle's train.csv.

100,000 rows (a fixed count, not a share; random_state 0) become the test set. The ids are
renumbered: 0 .. n_train - 1 over the train rows, then on over the test rows, both in split order.
Public: `train.csv`, `test.csv` (without `target`), `sample_submission.csv` (every target 0.5).
Private: `test.csv` (with `target`) and `gold_submission.csv` (`id,target`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.preparers import read_table, split

TEST_ROWS = 100_000


def prepare(raw: Path, public: Path, private: Path) -> None:
    train, test = split(read_table(raw, "train.csv"), TEST_ROWS, random_state=0)
    train = train.assign(id=np.arange(len(train)))
    test = test.assign(id=np.arange(len(train), len(train) + len(test)))
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=["target"]).to_csv(public / "test.csv", index=False)
    test[["id", "target"]].to_csv(private / "gold_submission.csv", index=False)
    test[["id", "target"]].assign(target=0.5).to_csv(public / "sample_submission.csv", index=False)
