"""Synthetic raw files of jigsaw-unintended-bias-in-toxicity-classification: train.csv (45
columns, `target`), test.csv, sample_submission.csv, test_public_expanded.csv and
test_private_expanded.csv (45 columns with `toxicity`, the answers MLE-bench uses).

Every scored identity is mentioned by toxic and non-toxic comments and missing from others, so
every subgroup, BPSN and BNSP set holds both classes; some identity cells are empty, as in Kaggle's
files. The answers file has `toxicity` where a submission has `prediction`, so the generic cases
are made from the answers written in the submission's shape."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import GENERIC, table, text_of
from tests.bench.raw._files import csv_bytes

SUBTYPES = ["severe_toxicity", "obscene", "sexual_explicit", "identity_attack", "insult", "threat"]
IDENTITIES = ["male", "female", "transgender", "other_gender", "heterosexual", "homosexual_gay_or_lesbian", "bisexual",
              "other_sexual_orientation", "christian", "jewish", "muslim", "hindu", "buddhist", "atheist",
              "other_religion", "black", "white", "asian", "latino", "other_race_or_ethnicity", "physical_disability",
              "intellectual_or_learning_disability", "psychiatric_or_mental_illness", "other_disability"]
META = ["created_date", "publication_id", "parent_id", "article_id", "rating", "funny", "wow", "sad", "likes", "disagree"]


def _comments(start: int, n: int, label: str, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = np.arange(n)
    toxic = np.where(rows % 2 == 1, rng.choice([0.5, 0.7, 1.0], n), rng.choice([0.0, 0.1, 0.4], n))
    frame = pd.DataFrame({"id": start + rows, "comment_text": [f"Comment {i}, about \"things\".\nMore." for i in rows]})
    frame["created_date"] = "2017-01-01 10:00:00.000000+00"
    for column in META[1:]:
        frame[column] = rng.integers(0, 5, n) if column != "rating" else rng.choice(["approved", "rejected"], n)
    frame[label] = toxic
    for column in SUBTYPES:
        frame[column] = np.round(rng.random(n) * toxic, 6)
    for k, column in enumerate(IDENTITIES):
        frame[column] = [1.0 if (i // 2 + k) % 3 == 0 else 0.0 for i in rows]
    frame.loc[rows % 7 == 6, IDENTITIES] = np.nan
    frame["identity_annotator_count"] = np.where(rows % 7 == 6, 0, 4)
    frame["toxicity_annotator_count"] = 10
    return frame


def build() -> dict[str, bytes]:
    private = _comments(7097320, 36, "toxicity", 22)
    public = _comments(7000000, 12, "toxicity", 23)
    train = _comments(239575, 40, "target", 24)
    train = train[["id", "target", "comment_text", *[c for c in train.columns if c not in ("id", "target", "comment_text")]]]
    test = public[["id", "comment_text"]]
    return {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test),
            "sample_submission.csv": csv_bytes(test[["id"]].assign(prediction=0.0)),
            "test_public_expanded.csv": csv_bytes(public), "test_private_expanded.csv": csv_bytes(private)}


def _as_submission(answers: str) -> str:
    frame = table(answers)
    return text_of(pd.DataFrame({"id": frame["id"], "prediction": frame["toxicity"]}))


def _from_submission_shape(name: str):
    return lambda answers, sample, spec: GENERIC[name](_as_submission(answers), sample, spec)


def _both_columns(answers: str, sample: str, spec: dict) -> str:
    frame = table(_as_submission(answers))
    return text_of(frame.assign(toxicity=frame["prediction"]))


def _scores_on_one_side(answers: str, sample: str, spec: dict) -> str:
    frame = table(_as_submission(answers))
    frame["prediction"] = ["0.49" if float(v) < 0.5 else "0.51" for v in frame["prediction"]]
    return text_of(frame)


CASES = {name: _from_submission_shape(name) for name in GENERIC if name not in ("answers_file", "sample_file")}
CASES.update({"prediction_and_toxicity": _both_columns, "scores_near_half": _scores_on_one_side})
