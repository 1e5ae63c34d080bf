"""jigsaw-toxic-comment-classification-challenge: Kaggle's own split, as MLE-bench keeps it.

The four tables of Kaggle's archive (each zipped on its own) are published as they are; the test
labels become the answers; the sample submission gives 0.5 for every label.
"""

from __future__ import annotations

from pathlib import Path

from bench.preparers import read_table

LABELS = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    read_table(raw, "train.csv").to_csv(public / "train.csv", index=False)
    read_table(raw, "test.csv").to_csv(public / "test.csv", index=False)
    sample = read_table(raw, "sample_submission.csv")
    sample[LABELS] = 0.5
    sample.to_csv(public / "sample_submission.csv", index=False)
    read_table(raw, "test_labels.csv").to_csv(private / "test.csv", index=False)
