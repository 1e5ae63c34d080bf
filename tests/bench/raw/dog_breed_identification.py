"""Synthetic raw files of dog-breed-identification: labels.csv, sample_submission.csv (id + 120 breed
columns), and the folders train/ and test/ of JPEG photographs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from tests.bench.raw._files import csv_bytes, jpg_bytes

ENTRY = Path(__file__).resolve().parents[3] / "bench" / "competitions" / "dog-breed-identification" / "competition.yaml"


def build(n: int = 60) -> dict[str, bytes]:
    breeds = yaml.safe_load(ENTRY.read_text())["classes"]
    rng = np.random.default_rng(13)
    ids = [f"{v:032x}" for v in rng.integers(0, 2**62, n)]
    labels = pd.DataFrame({"id": ids, "breed": rng.choice(breeds[:12], n)})
    test_ids = [f"{v:032x}" for v in rng.integers(0, 2**62, 5)]
    sample = pd.DataFrame({"id": test_ids, **{b: 1 / 120 for b in breeds}})
    files = {"labels.csv": csv_bytes(labels), "sample_submission.csv": csv_bytes(sample)}
    for i in ids:
        files[f"train/{i}.jpg"] = jpg_bytes(rng, (8, 8))
    for i in test_ids:
        files[f"test/{i}.jpg"] = jpg_bytes(rng, (8, 8))
    return files
