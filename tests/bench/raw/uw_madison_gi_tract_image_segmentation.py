"""Synthetic raw files of uw-madison-gi-tract-image-segmentation: train.csv (id, class,
segmentation), train/<case>/<case>_<day>/scans/slice_<nnnn>_<w>_<h>_1.50_1.50.png and
sample_submission.csv; five cases (one with five days, so its fifth goes to test), two slices a day,
tiny slices of two sizes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.metrics.segmentation import rle_encode
from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes, png_bytes

CLASSES = ["large_bowel", "small_bowel", "stomach"]
CASES_DAYS = {"case7": ["day2", "day10", "day3", "day11", "day25"], "case19": ["day0", "day4"],
              "case101": ["day1", "day12"], "case36": ["day5", "day6"], "case42": ["day14", "day9"]}


def _mask(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    mask = np.zeros((height, width), dtype=bool)
    if rng.random() < 0.6:
        top, left = rng.integers(0, height - 2), rng.integers(0, width - 2)
        mask[top: top + rng.integers(1, 4), left: left + rng.integers(1, 5)] = True
    return mask


def build() -> dict[str, bytes]:
    rng = np.random.default_rng(42)
    files: dict[str, bytes] = {}
    rows = []
    for k, (case, days) in enumerate(CASES_DAYS.items()):
        width, height = (8, 6) if k % 2 else (7, 7)
        for day in days:
            for n in (3, 4):
                name = f"slice_{n:04d}_{width}_{height}_1.50_1.50.png"
                files[f"train/{case}/{case}_{day}/scans/{name}"] = png_bytes(rng.integers(0, 255, (height, width)))
                for organ in CLASSES:
                    rle = rle_encode(_mask(rng, height, width))
                    rows.append({"id": f"{case}_{day}_slice_{n:04d}", "class": organ, "segmentation": rle or None})
    files["train.csv"] = csv_bytes(pd.DataFrame(rows))
    files["sample_submission.csv"] = csv_bytes(pd.DataFrame({"id": [], "class": [], "predicted": []}))
    return files


def _masks(change) -> callable:
    def make(answers: str, sample: str, spec: dict) -> str:
        frame = table(answers)
        frame["predicted"] = [change(rle, k) for k, rle in enumerate(frame["predicted"])]
        return text_of(frame[["id", "class", "predicted"]])
    return make


def _first_pixel_off(rle: str) -> str:
    numbers = [int(x) for x in rle.split()]
    if not numbers:
        return rle
    numbers[0] += 1
    numbers[1] = max(1, numbers[1] - 1)
    return " ".join(map(str, numbers))


CASES = {
    "empty_masks": _masks(lambda rle, k: ""),
    "one_pixel_off": _masks(lambda rle, k: _first_pixel_off(rle)),
    "whole_slices": _masks(lambda rle, k: "1 42"),
    "extra_mask": _masks(lambda rle, k: rle if rle else ("2 2" if k % 4 == 0 else "")),
    "reversed_rows": lambda a, s, spec: text_of(table(a)[["id", "class", "predicted"]].iloc[::-1]),
    "other_ids": lambda a, s, spec: text_of(table(a)[["id", "class", "predicted"]].assign(id="case1_day1_slice_0001")),
    "unsorted_runs": _masks(lambda rle, k: "9 2 1 3" if k == 0 else rle),
}
