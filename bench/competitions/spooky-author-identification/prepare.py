"""spooky-author-identification: MLE-bench's split of train.csv with one-hot answers."""

from __future__ import annotations

from pathlib import Path

from bench.preparers import one_hot, read_table, split

CLASSES = ["EAP", "HPL", "MWS"]
# Kaggle's sample submission holds these class frequencies; MLE-bench keeps them.
SAMPLE_PRIORS = {"EAP": 0.403493538995863, "HPL": 0.287808366106543, "MWS": 0.308698094897594}


def prepare(raw: Path, public: Path, private: Path) -> None:
    train, test = split(read_table(raw, "train.csv"), test_size=0.1, random_state=0)
    answers = one_hot(test, "id", "author", CLASSES)
    sample = answers.copy()
    for author, prior in SAMPLE_PRIORS.items():
        sample[author] = prior
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["author"]).to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)
