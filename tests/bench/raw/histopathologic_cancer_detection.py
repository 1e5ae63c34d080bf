"""Synthetic raw files of histopathologic-cancer-detection: train_labels.csv, sample_submission.csv,
and the folders train/ and test/ of TIFF patches."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes


def _tif(rng: np.random.Generator) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (8, 8, 3), dtype=np.uint8), mode="RGB").save(buffer, format="TIFF")
    return buffer.getvalue()


def build(n: int = 60, n_test: int = 15) -> dict[str, bytes]:
    rng = np.random.default_rng(15)
    ids = [f"{v:040x}" for v in rng.integers(0, 2**62, n) * 1_000_003]
    labels = pd.DataFrame({"id": ids, "label": rng.integers(0, 2, n)})
    test_ids = [f"{v:040x}" for v in rng.integers(0, 2**62, n_test) * 999_983]
    files = {"train_labels.csv": csv_bytes(labels),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"id": test_ids, "label": 0}))}
    for i in ids:
        files[f"train/{i}.tif"] = _tif(rng)
    for i in test_ids:
        files[f"test/{i}.tif"] = _tif(rng)
    return files
