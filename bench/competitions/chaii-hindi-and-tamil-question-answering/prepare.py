"""chaii-hindi-and-tamil-question-answering: MLE-bench's 90/10 split of Kaggle's train.csv.

Public: `train.csv` (all columns), `test.csv` (without `answer_start` and `answer_text`) and a
sample submission answering "dummy text" everywhere. Private: `test.csv` with `id` and the answer
text under the submission's column name, `PredictionString`.
"""

from __future__ import annotations

from pathlib import Path

from bench.preparers import read_table, split


def prepare(raw: Path, public: Path, private: Path) -> None:
    train, test = split(read_table(raw, "train.csv"), 0.1, 0)
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["answer_start", "answer_text"]).to_csv(public / "test.csv", index=False)
    answers = test[["id", "answer_text"]].set_axis(["id", "PredictionString"], axis=1)
    answers.to_csv(private / "test.csv", index=False)
    answers.assign(PredictionString="dummy text").to_csv(public / "sample_submission.csv", index=False)
