"""Synthetic raw files of bms-molecular-translation: train_labels.csv (image_id, InChI),
sample_submission.csv, extra_approved_InChIs.csv, and the images train/<a>/<b>/<c>/<id>.png and
test/<a>/<b>/<c>/<id>.png (filed by the id's first three characters)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, png_bytes


def _inchi(rng: np.random.Generator) -> str:
    c, h, o = rng.integers(1, 20), rng.integers(2, 30), rng.integers(0, 4)
    chain = "-".join(str(k) for k in rng.integers(1, 12, rng.integers(2, 6)))
    return f"InChI=1S/C{c}H{h}O{o}/c{chain}/h{rng.integers(1, 9)}H,{rng.integers(1, 5)}H3"


def _ids(rng: np.random.Generator, n: int) -> list[str]:
    return [f"{v:012x}" for v in rng.integers(0, 16**12, n)]


def _path(folder: str, image_id: str) -> str:
    return f"{folder}/{image_id[0]}/{image_id[1]}/{image_id[2]}/{image_id}.png"


def build(n: int = 30, n_test: int = 3) -> dict[str, bytes]:
    rng = np.random.default_rng(37)
    ids, test_ids = _ids(rng, n), _ids(rng, n_test)
    files = {"train_labels.csv": csv_bytes(pd.DataFrame({"image_id": ids, "InChI": [_inchi(rng) for _ in ids]})),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"image_id": test_ids, "InChI": "InChI=1S/H2O/h1H2"})),
             "extra_approved_InChIs.csv": csv_bytes(pd.DataFrame({"InChI": [_inchi(rng) for _ in range(5)]}))}
    for i in ids:
        files[_path("train", i)] = png_bytes(rng.integers(0, 2, (5, 5)) * 255)
    for i in test_ids:
        files[_path("test", i)] = png_bytes(rng.integers(0, 2, (5, 5)) * 255)
    return files


def _strings(answers: str, change) -> str:
    frame = pd.read_csv(io.StringIO(answers), dtype=str, keep_default_na=False)[["image_id", "InChI"]]
    frame["InChI"] = [change(i, v) for i, v in enumerate(frame["InChI"])]
    return frame.to_csv(index=False, lineterminator="\n")


CASES = {
    "one_edit_each": lambda a, s, spec: _strings(a, lambda i, v: v[:-1] + ("X" if v[-1] != "X" else "Y")),
    "prefix_only": lambda a, s, spec: _strings(a, lambda i, v: "InChI=1S/"),
    "empty_cells": lambda a, s, spec: _strings(a, lambda i, v: "" if i % 2 else v),
    "numbers": lambda a, s, spec: _strings(a, lambda i, v: str(i)),
    "unicode": lambda a, s, spec: _strings(a, lambda i, v: v.replace("C", "Ç")),
}
