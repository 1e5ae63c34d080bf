"""jigsaw-unintended-bias-in-toxicity-classification: Kaggle's labelled private test set as the
answers, as MLE-bench uses it.

`train.csv` and `test_private_expanded.csv` are copied byte for byte (streamed: the train set is
about 800 MB); the public test set is the private one's `id` and `comment_text`; the sample
submission predicts 0.0 everywhere.
"""

from __future__ import annotations

from pathlib import Path

from bench.graders import read_frame
from bench.preparers import copy_raw


def prepare(raw: Path, public: Path, private: Path) -> None:
    copy_raw(raw, "test_private_expanded.csv", private / "test.csv")
    copy_raw(raw, "train.csv", public / "train.csv")
    test = read_frame(private / "test.csv")[["id", "comment_text"]]
    test.to_csv(public / "test.csv", index=False)
    test[["id"]].assign(prediction=0.0).to_csv(public / "sample_submission.csv", index=False)
