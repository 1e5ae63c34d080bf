"""Synthetic raw files of vesuvius-challenge-ink-detection: train/<1,2,3>/ (surface_volume/NN.tif,
mask.png, inklabels.png, inklabels_rle.csv, ir.png), test/<a,b>/ (surface_volume/, mask.png) and
sample_submission.csv, tiny fragments of a few pixels."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from PIL import Image

from bench.metrics.segmentation import rle_encode
from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes, png_bytes

SHAPES = {"1": (9, 12), "2": (7, 10), "3": (8, 13), "a": (6, 8), "b": (5, 9)}  # (height, width)
SLICES = 3
# the cases start from the gold submission: the answers carry width and height besides Id, Predicted
SUBMISSION_BASE = "private/gold_submission.csv"


def _tif(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array.astype(np.uint16)).save(buffer, format="TIFF")
    return buffer.getvalue()


def _fragment(rng: np.random.Generator, where: str, name: str, labelled: bool) -> dict[str, bytes]:
    height, width = SHAPES[name]
    files = {f"{where}/surface_volume/{k:02d}.tif": _tif(rng.integers(0, 65535, (height, width)))
             for k in range(SLICES)}
    files[f"{where}/mask.png"] = png_bytes(np.full((height, width), 255))
    if labelled:
        ink = np.zeros((height, width), dtype=bool)
        ink[2:5, 3:9] = True
        ink[height - 2, 1:4] = True
        files[f"{where}/inklabels.png"] = png_bytes(ink.astype(np.uint8) * 255)
        rle = pd.DataFrame({"Id": [name], "Predicted": [rle_encode(ink, order="C")]})
        files[f"{where}/inklabels_rle.csv"] = csv_bytes(rle)
        files[f"{where}/ir.png"] = png_bytes(rng.integers(0, 255, (height, width)))
    return files


def build() -> dict[str, bytes]:
    rng = np.random.default_rng(31)
    files: dict[str, bytes] = {}
    for name in ("1", "2", "3"):
        files.update(_fragment(rng, f"train/{name}", name, labelled=True))
    for name in ("a", "b"):
        files.update(_fragment(rng, f"test/{name}", name, labelled=False))
    files["sample_submission.csv"] = csv_bytes(pd.DataFrame({"Id": ["a", "b"], "Predicted": ["1 1 5 1", "1 1 5 1"]}))
    return files


def _predicted(rle: str) -> callable:
    def make(answers: str, sample: str, spec: dict) -> str:
        frame = table(answers)
        frame["Predicted"] = rle
        return text_of(frame)
    return make


def _shifted(answers: str, sample: str, spec: dict) -> str:
    frame = table(answers)
    frame["Predicted"] = [" ".join(str(int(x) + (1 - k % 2)) for k, x in enumerate(r.split()))
                          for r in frame["Predicted"]]
    return text_of(frame)


CASES = {
    "empty_prediction": _predicted(""),
    "all_pixels": _predicted(f"1 {8 * 13}"),
    "one_pixel": _predicted("30 1"),
    "three_numbers": _predicted("30 1 50"),
    "past_the_end": _predicted("100 50"),
    "overlapping": _predicted("1 5 3 2"),
    "shifted_by_one": _shifted,
    "other_id": lambda a, s, spec: a.replace("\na,", "\nb,"),
}
