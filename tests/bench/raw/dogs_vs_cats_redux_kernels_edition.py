"""Synthetic raw files of dogs-vs-cats-redux-kernels-edition: train.zip (train/cat.<n>.jpg,
train/dog.<n>.jpg), test.zip (test/<id>.jpg) and sample_submission.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes, zip_bytes


def build(n: int = 30) -> dict[str, bytes]:
    rng = np.random.default_rng(14)
    train = {f"train/{animal}.{k}.jpg": jpg_bytes(rng, (8, 8)) for animal in ("cat", "dog") for k in range(n)}
    test = {f"test/{i}.jpg": jpg_bytes(rng, (8, 8)) for i in range(1, 6)}
    sample = pd.DataFrame({"id": range(1, 6), "label": 0.5})
    return {"train.zip": zip_bytes(train), "test.zip": zip_bytes(test), "sample_submission.csv": csv_bytes(sample)}
