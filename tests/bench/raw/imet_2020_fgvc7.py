"""Synthetic raw files of imet-2020-fgvc7 in Kaggle's layout: labels.csv (attribute_id,
attribute_name), train.csv (id, attribute_ids: space-separated attribute ids),
sample_submission.csv, and the images train/<id>.png, test/<id>.png."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes, png_bytes

NAMES = ["culture::american", "culture::french", "culture::japan", "culture::italian", "culture::british",
         "tag::men", "tag::women", "tag::flowers", "tag::birds", "tag::portraits", "tag::landscapes",
         "tag::boats", "tag::horses", "tag::trees", "tag::writing", "tag::dogs"]


def _ids(rng: np.random.Generator, n: int) -> list[str]:
    return [f"{v:016x}" for v in rng.integers(0, 2**62, n)]


def build(n: int = 40, n_test: int = 4) -> dict[str, bytes]:
    rng = np.random.default_rng(2020)
    labels = pd.DataFrame({"attribute_id": range(len(NAMES)), "attribute_name": NAMES})
    train_ids, test_ids = _ids(rng, n), _ids(rng, n_test)
    sets = [sorted(rng.choice(len(NAMES), int(rng.integers(1, 4)), replace=False)) for _ in range(n)]
    train = pd.DataFrame({"id": train_ids, "attribute_ids": [" ".join(map(str, s)) for s in sets]})
    files = {"labels.csv": csv_bytes(labels), "train.csv": csv_bytes(train),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"id": test_ids, "attribute_ids": "0 1 2"}))}
    for folder, names in (("train", train_ids), ("test", test_ids)):
        for name in names:
            files[f"{folder}/{name}.png"] = png_bytes(rng.integers(0, 255, (5, 5, 3)), mode="RGB")
    return files


def _cells(change) -> callable:
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = table(answers)
        frame["attribute_ids"] = [change(i, cell) for i, cell in enumerate(frame["attribute_ids"])]
        return text_of(frame)
    return case


CASES = {
    "sets_reversed": _cells(lambda i, cell: " ".join(cell.split()[::-1])),
    "first_attribute_only": _cells(lambda i, cell: cell.split()[0]),
    "unknown_attribute_added": _cells(lambda i, cell: f"{cell} 9999"),
    "some_empty": _cells(lambda i, cell: "" if i % 2 else cell),
    "all_empty": _cells(lambda i, cell: ""),
    "one_wrong_every_third_row": _cells(lambda i, cell: cell if i % 3 else " ".join(cell.split()[:-1] + ["15"])),
    "comma_separated": _cells(lambda i, cell: cell.replace(" ", ";")),
}
