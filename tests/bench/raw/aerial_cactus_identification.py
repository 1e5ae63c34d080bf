"""Synthetic raw files of aerial-cactus-identification: train.csv, sample_submission.csv, and
train.zip / test.zip holding 32x32 JPEG tiles under train/ and test/."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes, zip_bytes


def build(n: int = 50) -> dict[str, bytes]:
    rng = np.random.default_rng(3)
    ids = [f"{rng.integers(0, 16**8):08x}{i:04d}.jpg" for i in range(n)]
    train = pd.DataFrame({"id": ids, "has_cactus": rng.integers(0, 2, n)})
    test_ids = [f"t{i:04d}.jpg" for i in range(8)]
    sample = pd.DataFrame({"id": test_ids, "has_cactus": 0.5})
    return {"train.csv": csv_bytes(train), "sample_submission.csv": csv_bytes(sample),
            "train.zip": zip_bytes({f"train/{i}": jpg_bytes(rng) for i in ids}),
            "test.zip": zip_bytes({f"test/{i}": jpg_bytes(rng) for i in test_ids})}
