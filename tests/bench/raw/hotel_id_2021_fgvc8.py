"""Synthetic raw files of hotel-id-2021-fgvc8 in Kaggle's layout: train.csv (image, chain,
hotel_id, timestamp), train_images/<chain>/<image>.jpg, test_images/<image>.jpg and
sample_submission.csv. The image MLE-bench drops (listed twice, in two chains) is in it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes, jpg_bytes

TWICE_LISTED = "ce27d36c9147cc19.jpg"


def build(n: int = 36, n_test: int = 3) -> dict[str, bytes]:
    rng = np.random.default_rng(2021)
    hotels = {int(h): int(c) for h, c in zip(rng.choice(90000, 8, replace=False), rng.choice([0, 3, 5, 14, 70], 8))}
    names = [f"{v:016x}.jpg" for v in rng.integers(0, 2**62, n)]
    picked = rng.choice(list(hotels), n)
    rows = pd.DataFrame({"image": names, "chain": [hotels[int(h)] for h in picked], "hotel_id": picked,
                         "timestamp": [f"2018-{m:02d}-{d:02d} 1{h}:2{h}:3{h}" for m, d, h in
                                       zip(rng.integers(1, 13, n), rng.integers(1, 29, n), rng.integers(0, 10, n))]})
    twice = pd.DataFrame({"image": [TWICE_LISTED] * 2, "chain": [3, 5], "hotel_id": [111, 222],
                          "timestamp": ["2019-01-01 10:00:00", "2019-01-02 11:00:00"]})
    train = pd.concat([rows.iloc[:10], twice.iloc[:1], rows.iloc[10:], twice.iloc[1:]], ignore_index=True)
    files = {"train.csv": csv_bytes(train)}
    for image, chain in zip(train["image"], train["chain"]):
        files[f"train_images/{chain}/{image}"] = jpg_bytes(rng, (6, 6))
    test_names = [f"{v:016x}.jpg" for v in rng.integers(0, 2**62, n_test)]
    for image in test_names:
        files[f"test_images/{image}"] = jpg_bytes(rng, (6, 6))
    files["sample_submission.csv"] = csv_bytes(pd.DataFrame({"image": test_names,
                                                             "hotel_id": "36363 53586 18807 64314 60181"}))
    return files


def _cells(change) -> callable:
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = table(answers)[["image", "hotel_id"]]
        frame["hotel_id"] = [change(i, cell) for i, cell in enumerate(frame["hotel_id"])]
        return text_of(frame)
    return case


CASES = {
    "truth_second": _cells(lambda i, cell: f"1 {cell} 2 3 4"),
    "truth_fifth": _cells(lambda i, cell: f"1 2 3 4 {cell}"),
    "truth_sixth": _cells(lambda i, cell: f"1 2 3 4 5 {cell}"),
    "repeated_guess": _cells(lambda i, cell: f"{cell} {cell} 7"),
    "double_space": _cells(lambda i, cell: f"1  {cell}"),
    "as_float": _cells(lambda i, cell: f"{cell}.0"),
    "mixed_float": _cells(lambda i, cell: f"{cell}.0" if i == 0 else cell),
    "truth_every_other_row": _cells(lambda i, cell: cell if i % 2 else "1 2"),
    "comma_separated": _cells(lambda i, cell: f"{cell},7"),
}
