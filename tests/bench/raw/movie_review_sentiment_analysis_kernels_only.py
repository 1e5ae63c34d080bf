"""Synthetic raw files of movie-review-sentiment-analysis-kernels-only: train.tsv.zip, test.tsv.zip
(tab-separated, tokenised phrases with quotes and apostrophes) and sampleSubmission.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, zip_bytes

TOKENS = ["a", "series", "of", "escapades", "it", "'s", "good", "-LRB-", "-RRB-", "``", "''", "bad", "fun", ","]


def build(n: int = 80, n_test: int = 20) -> dict[str, bytes]:
    rng = np.random.default_rng(21)
    phrases = [" ".join(rng.choice(TOKENS, int(rng.integers(1, 7)))) for _ in range(n + n_test)]
    train = pd.DataFrame({"PhraseId": range(1, n + 1), "SentenceId": np.arange(n) // 5 + 1,
                          "Phrase": phrases[:n], "Sentiment": rng.integers(0, 5, n)})
    test = pd.DataFrame({"PhraseId": range(n + 1, n + n_test + 1), "SentenceId": np.arange(n_test) // 5 + 100,
                         "Phrase": phrases[n:]})
    return {"train.tsv.zip": zip_bytes({"train.tsv": train.to_csv(index=False, sep="\t").encode()}),
            "test.tsv.zip": zip_bytes({"test.tsv": test.to_csv(index=False, sep="\t").encode()}),
            "sampleSubmission.csv": csv_bytes(pd.DataFrame({"PhraseId": test["PhraseId"], "Sentiment": 2}))}
