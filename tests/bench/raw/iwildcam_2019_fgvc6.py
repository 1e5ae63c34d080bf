"""Synthetic raw files of iwildcam-2019-fgvc6: train.csv and test.csv (Kaggle's columns),
sample_submission.csv (Id, Predicted), and train_images.zip / test_images.zip (<id>.jpg at the top)."""

from __future__ import annotations

import io
import uuid

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes, zip_bytes

CLASSES = [0, 1, 3, 8, 10, 11, 19]


def _table(rng: np.random.Generator, n: int, locations: int) -> pd.DataFrame:
    ids = [str(uuid.UUID(int=int(rng.integers(0, 2**62)) << 64 | int(rng.integers(0, 2**62)))) for _ in range(n)]
    seq = [str(uuid.UUID(int=int(rng.integers(0, 2**62)))) for _ in range(n)]
    return pd.DataFrame({
        "date_captured": [f"2012-0{1 + k % 9}-1{k % 10} 0{k % 10}:1{k % 6}:00" for k in range(n)],
        "file_name": [f"{i}.jpg" for i in ids], "frame_num": rng.integers(1, 4, n), "id": ids,
        "location": rng.integers(0, locations, n) * 7 + 3, "rights_holder": "Justin Brown", "seq_id": seq,
        "seq_num_frames": 3, "width": 1024, "height": 747})


def build(n: int = 48, n_test: int = 3) -> dict[str, bytes]:
    rng = np.random.default_rng(41)
    train = _table(rng, n, 12)
    train.insert(0, "category_id", [CLASSES[k] for k in rng.integers(0, len(CLASSES), n)])
    test = _table(rng, n_test, 3)
    return {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test),
            "sample_submission.csv": csv_bytes(pd.DataFrame({"Id": test["id"], "Predicted": 0})),
            "train_images.zip": zip_bytes({f"{i}.jpg": jpg_bytes(rng, (4, 4)) for i in train["id"]}),
            "test_images.zip": zip_bytes({f"{i}.jpg": jpg_bytes(rng, (4, 4)) for i in test["id"]})}


def _categories(answers: str, change) -> str:
    frame = pd.read_csv(io.StringIO(answers), dtype=str, keep_default_na=False)[["Id", "Category"]]
    frame["Category"] = [change(i, v) for i, v in enumerate(frame["Category"])]
    return frame.to_csv(index=False, lineterminator="\n")


CASES = {
    "categories_as_float": lambda a, s, spec: _categories(a, lambda i, v: f"{v}.0"),
    "fractional_category": lambda a, s, spec: _categories(a, lambda i, v: "2.5" if i == 0 else v),
    "text_category": lambda a, s, spec: _categories(a, lambda i, v: "deer" if i == 0 else v),
    "unseen_class": lambda a, s, spec: _categories(a, lambda i, v: "22" if i == 0 else v),
}
