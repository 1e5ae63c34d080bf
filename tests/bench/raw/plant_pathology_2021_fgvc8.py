"""Synthetic raw files of plant-pathology-2021-fgvc8: train.csv (image, space-separated labels),
sample_submission.csv, and the photographs train_images/<image> and test_images/<image>."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes

LABELS = ["healthy", "scab", "rust", "frog_eye_leaf_spot", "powdery_mildew", "complex",
          "scab frog_eye_leaf_spot", "rust frog_eye_leaf_spot", "scab frog_eye_leaf_spot complex"]


def build(n: int = 40, n_test: int = 3) -> dict[str, bytes]:
    rng = np.random.default_rng(35)
    names = [f"{v:016x}.jpg" for v in rng.integers(0, 2**62, n + n_test)]
    train = pd.DataFrame({"image": names[:n], "labels": [LABELS[k] for k in rng.integers(0, len(LABELS), n)]})
    files = {"train.csv": csv_bytes(train),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"image": names[n:], "labels": "healthy"}))}
    for name in names[:n]:
        files[f"train_images/{name}"] = jpg_bytes(rng, (4, 4))
    for name in names[n:]:
        files[f"test_images/{name}"] = jpg_bytes(rng, (4, 4))
    return files


def _labels(answers: str, change) -> str:
    frame = pd.read_csv(io.StringIO(answers), dtype=str, keep_default_na=False)[["image", "labels"]]
    frame["labels"] = [change(i, v) for i, v in enumerate(frame["labels"])]
    return frame.to_csv(index=False, lineterminator="\n")


CASES = {
    "unknown_label_added": lambda a, s, spec: _labels(a, lambda i, v: v + " mildew_unknown"),
    "empty_cells": lambda a, s, spec: _labels(a, lambda i, v: "" if i % 2 else v),
    "all_empty": lambda a, s, spec: _labels(a, lambda i, v: ""),
    "repeated_label": lambda a, s, spec: _labels(a, lambda i, v: f"{v} {v}"),
    "numbers": lambda a, s, spec: _labels(a, lambda i, v: str(i)),
}
