"""detecting-insults-in-social-commentary: Kaggle's own train/test split, as MLE-bench keeps it.

`train.csv` is published as is; the labelled test file becomes the answers; the public test and the
sample submission (every `Insult` 0) are the answers without their labels (the test file Kaggle
serves now is a later verification set, which MLE-bench ignores).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.preparers import locate, read_table


def prepare(raw: Path, public: Path, private: Path) -> None:
    shutil.copy(locate(raw, "train.csv"), public / "train.csv")
    shutil.copy(locate(raw, "test_with_solutions.csv"), private / "test.csv")
    gold = read_table(private.parent / "private", "test.csv")[["Insult", "Date", "Comment"]]
    gold.to_csv(private / "gold_submission.csv", index=False)
    gold.drop(columns=["Insult"]).to_csv(public / "test.csv", index=False)
    gold.assign(Insult=0).to_csv(public / "sample_submission_null.csv", index=False)
