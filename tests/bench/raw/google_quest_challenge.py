"""Synthetic raw files of google-quest-challenge: train.csv (11 text columns and 30 ratings),
test.csv (the 11 text columns) and sample_submission.csv. `question_type_spelling` is non-zero in
two train rows only, so the test part is constant there and MLE-bench's row swap runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from tests.bench.raw._files import csv_bytes

ENTRY = Path(__file__).resolve().parents[3] / "bench" / "competitions" / "google-quest-challenge" / "competition.yaml"
TEXT = ["question_title", "question_body", "question_user_name", "question_user_page", "answer",
        "answer_user_name", "answer_user_page", "url", "category", "host"]
RATINGS = [0.0, 0.333333333333333, 0.5, 0.666666666666667, 0.777777777777778, 1.0]


def build(n: int = 60) -> dict[str, bytes]:
    targets = yaml.safe_load(ENTRY.read_text())["targets"]
    rng = np.random.default_rng(21)
    train = pd.DataFrame({"qa_id": rng.choice(10000, n, replace=False)})
    for column in TEXT:
        train[column] = [f"{column} {i}, \"quoted\"\nline two" for i in range(n)]
    train["category"] = rng.choice(["TECHNOLOGY", "STACKOVERFLOW", "CULTURE", "SCIENCE", "LIFE_ARTS"], n)
    for column in targets:
        train[column] = rng.choice(RATINGS, n)
    train["question_type_spelling"] = 0.0
    train.loc[[3, 50], "question_type_spelling"] = [0.333333333333333, 0.666666666666667]
    test = train[["qa_id", *TEXT]].iloc[:3].assign(qa_id=[39, 46, 70])
    sample = pd.DataFrame({"qa_id": test["qa_id"], **{c: 0.00308 for c in targets}})
    return {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample)}
