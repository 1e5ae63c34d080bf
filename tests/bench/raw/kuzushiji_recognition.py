"""Synthetic raw files of kuzushiji-recognition: train.csv (image_id, labels as 'code X Y W H'
groups), sample_submission.csv, unicode_translation.csv, and train_images.zip / test_images.zip
(<image_id>.jpg at the top)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes, zip_bytes

CODES = ["U+306F", "U+304C", "U+3044", "U+3057", "U+306B", "U+FF2F"]


def _page(rng: np.random.Generator) -> str:
    groups = []
    for _ in range(int(rng.integers(1, 5))):
        x, y = rng.integers(0, 900, 2)
        w, h = rng.integers(20, 90, 2)
        groups.append(f"{CODES[int(rng.integers(0, len(CODES)))]} {x} {y} {w} {h}")
    return " ".join(groups)


def build(n: int = 40, n_test: int = 3) -> dict[str, bytes]:
    rng = np.random.default_rng(47)
    ids = [f"{100241706 + k // 7}_{k % 7:05d}_{1 + k % 2}" for k in range(n + n_test)]
    train = pd.DataFrame({"image_id": ids[:n], "labels": [_page(rng) for _ in range(n)]})
    translation = pd.DataFrame({"Unicode": CODES, "char": [chr(int(c[2:], 16)) for c in CODES]})
    return {"train.csv": csv_bytes(train), "unicode_translation.csv": csv_bytes(translation),
            "sample_submission.csv": csv_bytes(pd.DataFrame({"image_id": ids[n:], "labels": "U+003F 1 1 U+FF2F 2 2"})),
            "train_images.zip": zip_bytes({f"{i}.jpg": jpg_bytes(rng, (4, 4)) for i in ids[:n]}),
            "test_images.zip": zip_bytes({f"{i}.jpg": jpg_bytes(rng, (4, 4)) for i in ids[n:]})}


def _labels(gold: str, change) -> str:
    frame = pd.read_csv(io.StringIO(gold), dtype=str, keep_default_na=False)[["image_id", "labels"]]
    frame["labels"] = [change(i, v) for i, v in enumerate(frame["labels"])]
    return frame.to_csv(index=False, lineterminator="\n")


def _shift(cell: str, dx: int) -> str:
    t = cell.split(" ")
    return " ".join(f"{c} {int(x) + dx} {y}" for c, x, y in zip(t[0::3], t[1::3], t[2::3]))


CASES = {
    "empty_pages": lambda g, s, spec: _labels(g, lambda i, v: "" if i % 2 else v),
    "points_on_the_edge": lambda g, s, spec: _labels(g, lambda i, v: _shift(v, -1)),
    "points_outside": lambda g, s, spec: _labels(g, lambda i, v: _shift(v, -500)),
    "doubled_points": lambda g, s, spec: _labels(g, lambda i, v: f"{v} {v}"),
    "wrong_code": lambda g, s, spec: _labels(g, lambda i, v: v.replace("U+306F", "U+3057")),
    "float_points": lambda g, s, spec: _labels(g, lambda i, v: " ".join(
        f"{t}.5" if k % 3 else t for k, t in enumerate(v.split(" ")))),
    "not_triples": lambda g, s, spec: _labels(g, lambda i, v: v + " U+306F 5"),
    "text_coordinate": lambda g, s, spec: _labels(g, lambda i, v: "U+306F left 5" if i == 0 else v),
    "numbers_only": lambda g, s, spec: _labels(g, lambda i, v: str(i)),
}
SUBMISSION_BASE = "private/gold_submission.csv"  # the answers hold boxes, not a submission
