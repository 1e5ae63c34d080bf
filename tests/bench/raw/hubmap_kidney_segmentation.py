"""Synthetic raw files of hubmap-kidney-segmentation: train.csv (15 slides, column-major RLE),
HuBMAP-20-dataset_information.csv (20 slides), train/ and test/ (<id>.tiff, <id>.json,
<id>-anatomical-structure.json; tiny RGB TIFFs) and sample_submission.csv."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
from PIL import Image

from bench.metrics.segmentation import rle_encode
from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes

# the cases start from the gold submission: the answers carry the slide sizes besides id, encoding
SUBMISSION_BASE = "private/gold_submission.csv"


def _tiff(rng: np.random.Generator, height: int, width: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (height, width, 3), dtype=np.uint8), mode="RGB").save(buffer, format="TIFF")
    return buffer.getvalue()


def _polygons(rng: np.random.Generator, label: str) -> bytes:
    points = rng.integers(0, 8, (4, 2)).tolist()
    return json.dumps([{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [points]},
                        "properties": {"classification": {"name": label}}}]).encode()


def _mask(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    mask = np.zeros((height, width), dtype=bool)
    for _ in range(2):
        top, left = rng.integers(0, height - 2), rng.integers(0, width - 2)
        mask[top: top + rng.integers(1, 4), left: left + rng.integers(1, 4)] = True
    return mask


def build(n_train: int = 15, n_test: int = 5) -> dict[str, bytes]:
    rng = np.random.default_rng(20)
    ids = [f"{v:09x}".replace("e", "a") for v in rng.integers(16**8, 16**9, n_train + n_test)]
    sizes = {i: (int(rng.integers(6, 10)), int(rng.integers(7, 12))) for i in ids}
    files: dict[str, bytes] = {}
    for k, slide in enumerate(ids):
        part = "train" if k < n_train else "test"
        files[f"{part}/{slide}.tiff"] = _tiff(rng, *sizes[slide])
        files[f"{part}/{slide}.json"] = _polygons(rng, "glomerulus")
        files[f"{part}/{slide}-anatomical-structure.json"] = _polygons(rng, "Cortex")
    train_ids = ids[:n_train]
    files["train.csv"] = csv_bytes(pd.DataFrame({"id": train_ids,
                                                 "encoding": [rle_encode(_mask(rng, *sizes[i])) for i in train_ids]}))
    files["HuBMAP-20-dataset_information.csv"] = csv_bytes(pd.DataFrame({
        "image_file": [f"{i}.tiff" for i in ids],
        "width_pixels": [sizes[i][1] for i in ids],
        "height_pixels": [sizes[i][0] for i in ids],
        "anatomical_structures_segmention_file": [f"{i}-anatomical-structure.json" for i in ids],
        "glomerulus_segmentation_file": [f"{i}.json" for i in ids],
        "patient_number": rng.integers(60000, 70000, len(ids)),
        "sex": rng.choice(["Male", "Female"], len(ids)),
        "age": rng.integers(30, 80, len(ids)),
    }))
    files["sample_submission.csv"] = csv_bytes(pd.DataFrame({"id": ids[n_train:], "predicted": ""}))
    return files


def _predicted(change) -> callable:
    def make(answers: str, sample: str, spec: dict) -> str:
        frame = table(answers)
        frame["predicted"] = [change(rle, k) for k, rle in enumerate(frame["predicted"])]
        return text_of(frame)
    return make


CASES = {
    "empty_masks": _predicted(lambda rle, k: ""),
    "one_empty_mask": _predicted(lambda rle, k: "" if k == 0 else rle),
    "whole_slides": _predicted(lambda rle, k: "1 200"),
    "first_run_only": _predicted(lambda rle, k: " ".join(rle.split()[:2])),
    "unsorted_runs": _predicted(lambda rle, k: " ".join(rle.split()[2:4] + rle.split()[:2])),
    "overlapping_runs": _predicted(lambda rle, k: rle + " " + rle.split()[-2] + " 1" if rle else rle),
    "three_numbers": _predicted(lambda rle, k: "2 3 9"),
    "number_only": _predicted(lambda rle, k: "7"),
}
