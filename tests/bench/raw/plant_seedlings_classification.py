"""Synthetic raw files of plant-seedlings-classification: train/<species>/<file>.png,
test/<file>.png and sample_submission.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, png_bytes

SPECIES = ["Black-grass", "Charlock", "Cleavers", "Common Chickweed", "Common wheat", "Fat Hen", "Loose Silky-bent",
           "Maize", "Scentless Mayweed", "Shepherds Purse", "Small-flowered Cranesbill", "Sugar beet"]


def build(n: int = 70, n_test: int = 6) -> dict[str, bytes]:
    rng = np.random.default_rng(25)
    files = {}
    for _ in range(n):
        files[f"train/{rng.choice(SPECIES)}/{rng.integers(0, 16**9):09x}.png"] = png_bytes(
            rng.integers(0, 255, (6, 6, 3)), mode="RGB")
    test_names = [f"{rng.integers(0, 16**9):09x}.png" for _ in range(n_test)]
    for name in test_names:
        files[f"test/{name}"] = png_bytes(rng.integers(0, 255, (6, 6, 3)), mode="RGB")
    files["sample_submission.csv"] = csv_bytes(pd.DataFrame({"file": test_names, "species": "Sugar beet"}))
    return files
