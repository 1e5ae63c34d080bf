"""Synthetic raw files of jigsaw-toxic-comment-classification-challenge: train.csv.zip, test.csv.zip,
test_labels.csv.zip (-1 rows are unscored) and sample_submission.csv.zip, each one zipped CSV."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes, zip_bytes

LABELS = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]


def _text(rng: np.random.Generator, i: int) -> str:
    words = rng.choice(["you", "are", "great", "stupid", "edit", "page", "thanks", "\"quoted\"", "line\nbreak"], 6)
    return " ".join(words) + f" {i}"


def build(n: int = 40, n_test: int = 24) -> dict[str, bytes]:
    rng = np.random.default_rng(17)
    ids = [f"{v:016x}" for v in rng.integers(0, 2**62, n)]
    train = pd.DataFrame({"id": ids, "comment_text": [_text(rng, i) for i in range(n)],
                          **{c: rng.integers(0, 2, n) for c in LABELS}})
    test_ids = [f"{v:016x}" for v in rng.integers(0, 2**62, n_test)]
    test = pd.DataFrame({"id": test_ids, "comment_text": [_text(rng, i) for i in range(n_test)]})
    labels = pd.DataFrame({"id": test_ids, **{c: rng.integers(0, 2, n_test) for c in LABELS}})
    labels.loc[rng.random(n_test) < 0.3, LABELS] = -1
    for c in LABELS:  # every scored column needs both classes
        labels.loc[0, c], labels.loc[1, c] = 0, 1
    sample = pd.DataFrame({"id": test_ids, **{c: 0.5 for c in LABELS}})
    return {"train.csv.zip": zip_bytes({"train.csv": csv_bytes(train)}),
            "test.csv.zip": zip_bytes({"test.csv": csv_bytes(test)}),
            "test_labels.csv.zip": zip_bytes({"test_labels.csv": csv_bytes(labels)}),
            "sample_submission.csv.zip": zip_bytes({"sample_submission.csv": csv_bytes(sample)})}


def _columns_swapped(answers: str, sample: str, spec: dict) -> str:
    """toxic and threat swapped: MLE-bench pairs columns by position, so this is scored (wrongly)."""
    frame = table(answers)
    return text_of(frame[["id", "threat", "severe_toxic", "obscene", "toxic", "insult", "identity_hate"]])


CASES = {"label_columns_reordered": _columns_swapped}
