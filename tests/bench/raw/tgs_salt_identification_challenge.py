"""Synthetic raw files of tgs-salt-identification-challenge: competition_data.zip (train.csv and
101x101 PNGs under competition_data/train/{images,masks}/ and competition_data/test/images/),
depths.csv (train and test ids), train.csv and sample_submission.csv beside it, as Kaggle ships."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.metrics.segmentation import rle_encode
from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes, png_bytes, zip_bytes

SIDE = 101


def _mask(rng: np.random.Generator, k: int) -> np.ndarray:
    mask = np.zeros((SIDE, SIDE), dtype=bool)
    if k % 4 == 0:
        return mask  # no salt
    top, left = rng.integers(0, 60, 2)
    height, width = rng.integers(5, 41, 2)
    mask[top: top + height, left: left + width] = True
    if k % 4 == 3:
        mask[70:, :] = True  # a large body reaching the bottom
    return mask


def build(n: int = 16, n_test: int = 3) -> dict[str, bytes]:
    rng = np.random.default_rng(16)
    ids = [f"{rng.integers(16**9, 16**10):010x}".replace("e", "f") for _ in range(n + n_test)]
    train_ids, test_ids = ids[:n], ids[n:]
    masks = {i: _mask(rng, k) for k, i in enumerate(train_ids)}
    image = {i: np.repeat(rng.integers(0, 4, (SIDE, 1)) * 40 + 60, SIDE, axis=1) for i in ids}
    labels = pd.DataFrame({"id": train_ids, "rle_mask": [rle_encode(masks[i]) for i in train_ids]})
    inner = {"competition_data/train.csv": csv_bytes(labels)}
    for i in train_ids:
        inner[f"competition_data/train/images/{i}.png"] = png_bytes(image[i])
        inner[f"competition_data/train/masks/{i}.png"] = png_bytes(masks[i].astype(np.uint8) * 255)
    for i in test_ids:
        inner[f"competition_data/test/images/{i}.png"] = png_bytes(image[i])
    depths = pd.DataFrame({"id": ids, "z": rng.integers(50, 960, len(ids))})
    sample = pd.DataFrame({"id": test_ids, "rle_mask": "1 1"})
    return {"competition_data.zip": zip_bytes(inner), "depths.csv": csv_bytes(depths),
            "train.csv": csv_bytes(labels), "sample_submission.csv": csv_bytes(sample)}


def _masks(change) -> callable:
    """A case: the answers with every rle_mask rewritten by `change(rle, row)`."""
    def make(answers: str, sample: str, spec: dict) -> str:
        frame = table(answers)
        frame["rle_mask"] = [change(rle, k) for k, rle in enumerate(frame["rle_mask"])]
        return text_of(frame)
    return make


def _pairs(rle: str) -> list[list[int]]:
    numbers = [int(x) for x in rle.split()]
    return [numbers[k: k + 2] for k in range(0, len(numbers), 2)]


def _join(pairs: list[list[int]]) -> str:
    return " ".join(f"{a} {b}" for a, b in pairs)


CASES = {
    "empty_predictions": _masks(lambda rle, k: ""),
    "full_predictions": _masks(lambda rle, k: f"1 {SIDE * SIDE}"),
    "shrunk_runs": _masks(lambda rle, k: _join([[a, max(1, b - 3)] for a, b in _pairs(rle)])),
    "unsorted_runs": _masks(lambda rle, k: _join(_pairs(rle)[::-1])),
    "overlapping_runs": _masks(lambda rle, k: _join([[a, b + 200] for a, b in _pairs(rle)])),
    "run_past_end": _masks(lambda rle, k: f"{SIDE * SIDE - 5} 50" if not rle else rle),
    "zero_length": _masks(lambda rle, k: rle + " 10200 0" if rle else rle),
    "odd_count": _masks(lambda rle, k: "7"),
    "three_numbers": _masks(lambda rle, k: "1 3 500"),
    "not_integers": _masks(lambda rle, k: "1.5 3" if k == 0 else rle),
}
