"""Synthetic raw files of detecting-insults-in-social-commentary: train.csv, test.csv (the later
verification set), test_with_solutions.csv (labelled test), sample_submission_null.csv and the
impermium verification files, with Kaggle's columns and quoting."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes

WORDS = ["you", "are", "an", "idiot", "thanks", "for", "the", "link", "moron", "great", "point", "\\\\xa0", "\\\\n"]


def _comments(rng: np.random.Generator, n: int, start: int) -> list[str]:
    return ['"' + " ".join(rng.choice(WORDS, 5)) + f' #{start + i}"' for i in range(n)]


def _dates(rng: np.random.Generator, n: int) -> list[str]:
    return [f"2012{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}1{rng.integers(0, 99999):05d}Z"
            if rng.random() < 0.7 else "" for _ in range(n)]


def build(n_train: int = 40, n_test: int = 16) -> dict[str, bytes]:
    rng = np.random.default_rng(12)
    train = pd.DataFrame({"Insult": rng.integers(0, 2, n_train), "Date": _dates(rng, n_train),
                          "Comment": _comments(rng, n_train, 0)})
    solved = pd.DataFrame({"Insult": rng.integers(0, 2, n_test), "Date": _dates(rng, n_test),
                           "Comment": _comments(rng, n_test, 1000),
                           "Usage": rng.choice(["PublicTest", "PrivateTest"], n_test)})
    verification = pd.DataFrame({"id": range(1, 9), "Date": _dates(rng, 8), "Comment": _comments(rng, 8, 5000)})
    return {"train.csv": csv_bytes(train), "test_with_solutions.csv": csv_bytes(solved),
            "test.csv": csv_bytes(verification),
            "impermium_verification_set.csv": csv_bytes(verification),
            "impermium_verification_labels.csv": csv_bytes(verification.assign(Insult=rng.integers(0, 2, 8))),
            "sample_submission_null.csv": csv_bytes(verification[["id", "Date", "Comment"]].assign(Insult=0))}
