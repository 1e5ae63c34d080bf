"""Synthetic raw files of us-patent-phrase-to-phrase-matching: train.csv (id, anchor, target,
context, score), test.csv (without score) and sample_submission.csv, as Kaggle ships them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes

WORDS = ["abatement", "wooden article", "pollution control", "forest region", "eliminating process",
         "acid absorption", "rotating shaft", "glass container", "signal amplifier", "heat exchanger"]


def build(n: int = 50) -> dict[str, bytes]:
    rng = np.random.default_rng(16)
    train = pd.DataFrame({"id": [f"{v:016x}" for v in rng.integers(0, 2**62, n)],
                          "anchor": rng.choice(WORDS, n), "target": rng.choice(WORDS, n),
                          "context": rng.choice(["A47", "B01", "H04", "F16", "C08"], n),
                          "score": rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], n)})
    test = train.drop(columns=["score"]).iloc[:5].assign(id=[f"{i:016x}" for i in range(5)])
    sample = pd.DataFrame({"id": test["id"], "score": 0})
    return {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample)}
