"""Synthetic raw files of leaf-classification: train.csv.zip, test.csv.zip, sample_submission.csv.zip
and images.zip (images/<id>.jpg silhouettes of every leaf)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from tests.bench.raw._files import csv_bytes, jpg_bytes, zip_bytes

ENTRY = Path(__file__).resolve().parents[3] / "bench" / "competitions" / "leaf-classification" / "competition.yaml"
FEATURES = [f"{kind}{i}" for kind in ("margin", "shape", "texture") for i in range(1, 65)]


def build(n: int = 50, n_test: int = 8) -> dict[str, bytes]:
    species = yaml.safe_load(ENTRY.read_text())["classes"]
    rng = np.random.default_rng(18)
    ids = rng.permutation(np.arange(1, n + n_test + 1))
    feats = np.round(rng.random((n + n_test, len(FEATURES))) * 0.05, 6)
    train = pd.DataFrame({"id": ids[:n], "species": rng.choice(species[:15], n)})
    train = pd.concat([train, pd.DataFrame(feats[:n], columns=FEATURES)], axis=1)
    test = pd.concat([pd.DataFrame({"id": ids[n:]}), pd.DataFrame(feats[n:], columns=FEATURES)], axis=1)
    sample = pd.DataFrame({"id": ids[n:], **{s: 1 / 99 for s in species}})
    images = {f"images/{i}.jpg": jpg_bytes(rng, (8, 8)) for i in ids}
    return {"train.csv.zip": zip_bytes({"train.csv": csv_bytes(train)}),
            "test.csv.zip": zip_bytes({"test.csv": csv_bytes(test)}),
            "sample_submission.csv.zip": zip_bytes({"sample_submission.csv": csv_bytes(sample)}),
            "images.zip": zip_bytes(images)}
