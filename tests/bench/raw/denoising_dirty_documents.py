"""Synthetic raw files of denoising-dirty-documents: train.zip, train_cleaned.zip, test.zip (PNG scans
under train/, train_cleaned/, test/) and sampleSubmission.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, png_bytes, zip_bytes


def build(n: int = 10, shape: tuple[int, int] = (8, 11)) -> dict[str, bytes]:
    rng = np.random.default_rng(5)
    names = [f"{2 * i + 1}.png" for i in range(n)]
    clean = {nm: np.where(rng.random(shape) < 0.2, 0, 255) for nm in names}
    noisy = {nm: np.clip(img * 0.8 + rng.integers(0, 50, shape), 0, 255) for nm, img in clean.items()}
    test = {f"{100 + i}.png": rng.integers(0, 255, shape) for i in range(3)}
    sample = pd.DataFrame({"id": [f"100_1_{c}" for c in range(1, 4)], "value": 1})
    return {"train.zip": zip_bytes({f"train/{k}": png_bytes(v) for k, v in noisy.items()}),
            "train_cleaned.zip": zip_bytes({f"train_cleaned/{k}": png_bytes(v) for k, v in clean.items()}),
            "test.zip": zip_bytes({f"test/{k}": png_bytes(v) for k, v in test.items()}),
            "sampleSubmission.csv": csv_bytes(sample)}
