"""Synthetic raw files of paddy-disease-classification: train.csv, sample_submission.csv,
train_images/<label>/<image_id> and test_images/<image_id> (JPEG)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes

LABELS = ["bacterial_leaf_blight", "bacterial_leaf_streak", "bacterial_panicle_blight", "blast", "brown_spot",
          "dead_heart", "downy_mildew", "hispa", "normal", "tungro"]


def build(n: int = 60, n_test: int = 6) -> dict[str, bytes]:
    rng = np.random.default_rng(23)
    ids = [f"{100001 + i}.jpg" for i in rng.permutation(n)]
    train = pd.DataFrame({"image_id": ids, "label": rng.choice(LABELS, n),
                          "variety": rng.choice(["ADT45", "KarnatakaPonni", "Ponni"], n),
                          "age": rng.choice([45, 50, 60, 70], n)})
    test_ids = [f"{200001 + i}.jpg" for i in range(n_test)]
    files = {"train.csv": csv_bytes(train),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"image_id": test_ids, "label": ""}))}
    for image, label in zip(train["image_id"], train["label"]):
        files[f"train_images/{label}/{image}"] = jpg_bytes(rng, (8, 8))
    for image in test_ids:
        files[f"test_images/{image}"] = jpg_bytes(rng, (8, 8))
    return files
