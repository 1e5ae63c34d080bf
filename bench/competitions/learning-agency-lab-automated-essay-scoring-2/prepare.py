"""learning-agency-lab-automated-essay-scoring-2: MLE-bench's 90/10 split of Kaggle's train.csv.

Public: `train.csv` (essay_id, full_text, score), `test.csv` (essay_id, full_text) and a sample
submission whose scores are drawn from `RandomState(42)` in 1..6, as MLE-bench draws them.
Private: `answers.csv` (the test rows with their scores).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.preparers import read_table, split


def prepare(raw: Path, public: Path, private: Path) -> None:
    train, answers = split(read_table(raw, "train.csv"), 0.1, 0)
    sample = answers[["essay_id"]].copy()
    sample["score"] = np.random.RandomState(42).randint(1, 7, size=len(sample))
    answers.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    answers.drop(columns=["score"]).to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
