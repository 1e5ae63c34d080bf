"""Synthetic raw files of whale-categorization-playground: train.csv (Image, Id), sample_submission.csv,
and the photographs train/<Image> and test/<Image>. Whales with one, two and many photographs, and
many new_whale rows, as in Kaggle's data."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes


def build(n_test: int = 3) -> dict[str, bytes]:
    rng = np.random.default_rng(43)
    whales = [f"w_{v:07x}" for v in rng.integers(0, 16**7, 14)]
    counts = [1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 1, 5]
    labels = [w for w, c in zip(whales, counts) for _ in range(c)] + ["new_whale"] * 10
    labels = [labels[k] for k in rng.permutation(len(labels))]
    names = [f"{v:08x}.jpg" for v in rng.integers(0, 16**8, len(labels) + n_test)]
    train = pd.DataFrame({"Image": names[: len(labels)], "Id": labels})
    sample = pd.DataFrame({"Image": names[len(labels):], "Id": "new_whale w_1287fbc w_98baff9 w_7554f44 w_1eafe46"})
    files = {"train.csv": csv_bytes(train), "sample_submission.csv": csv_bytes(sample)}
    for name in names[: len(labels)]:
        files[f"train/{name}"] = jpg_bytes(rng, (4, 4))
    for name in names[len(labels):]:
        files[f"test/{name}"] = jpg_bytes(rng, (4, 4))
    return files


def _guesses(answers: str, change) -> str:
    frame = pd.read_csv(io.StringIO(answers), dtype=str, keep_default_na=False)[["Image", "Id"]]
    frame["Id"] = [change(i, v) for i, v in enumerate(frame["Id"])]
    return frame.to_csv(index=False, lineterminator="\n")


CASES = {
    "truth_third": lambda a, s, spec: _guesses(a, lambda i, v: f"w_aaaaaaa w_bbbbbbb {v} w_ccccccc"),
    "truth_sixth": lambda a, s, spec: _guesses(a, lambda i, v: f"w_1 w_2 w_3 w_4 w_5 {v}"),
    "repeated_guess": lambda a, s, spec: _guesses(a, lambda i, v: f"w_1 w_1 {v} {v}"),
    "double_space": lambda a, s, spec: _guesses(a, lambda i, v: f"w_1  {v}"),
    "empty_cells": lambda a, s, spec: _guesses(a, lambda i, v: "" if i % 2 else v),
    "all_new_whale": lambda a, s, spec: _guesses(a, lambda i, v: "new_whale"),
}
