"""google-research-identify-contrails-reduce-global-warming: MLE-bench's split of Kaggle's train records.

`train_metadata.json` (a list of records) is split with a test part as large as the validation
set (random_state 0). Public: `train/<record_id>/` (bands 08-16, `human_individual_masks.npy`,
`human_pixel_masks.npy`), `test/<record_id>/` (bands only), `validation/` and
`validation_metadata.json` as Kaggle ships them, `train_metadata.json` (the train records), and
`sample_submission.csv` (each test record "1 3 10 5" or "-", drawn by Python's `random` seeded 0).
Private: `answers.csv` (record_id, encoded_pixels: the pixel mask as column-major RLE or "-",
height, width). Records are copied one file at a time; no archive is unpacked beside the raw data.
"""

from __future__ import annotations

import io
import json
import logging
import random
from pathlib import Path

import numpy as np
import pandas as pd

from bench.metrics.segmentation import rle_encode
from bench.preparers import RawTree, read_raw_bytes, split, tree_files

log = logging.getLogger(__name__)
BANDS = [f"band_{k:02}.npy" for k in range(8, 17)]
MASKS = ["human_individual_masks.npy", "human_pixel_masks.npy"]
PROGRESS_EVERY = 500


def prepare(raw: Path, public: Path, private: Path) -> None:
    records = json.loads(read_raw_bytes(raw, "train_metadata.json"))
    validation = json.loads(read_raw_bytes(raw, "validation_metadata.json"))
    train, test = split(records, test_size=len(validation), random_state=0)
    with RawTree(raw, "train") as tree:
        answers = pd.DataFrame([_answer(tree, r["record_id"]) for r in test])
        _copy_records(tree, [r["record_id"] for r in train], public / "train", BANDS + MASKS)
        _copy_records(tree, [r["record_id"] for r in test], public / "test", BANDS)
    if (raw / "validation").exists() or (raw / "validation.zip").exists():
        with RawTree(raw, "validation") as tree:
            for path in tree_files(tree, ""):
                tree.copy(path, public / "validation" / path)
    (public / "validation").mkdir(exist_ok=True)
    (public / "validation_metadata.json").write_bytes(read_raw_bytes(raw, "validation_metadata.json"))
    (public / "train_metadata.json").write_text(json.dumps(train))
    answers.to_csv(private / "answers.csv", index=False)
    draw = random.Random(0)
    sample = answers.assign(encoded_pixels=[draw.choice(["1 3 10 5", "-"]) for _ in range(len(answers))])
    sample.to_csv(public / "sample_submission.csv", index=False)


def _answer(tree: RawTree, record_id: str) -> dict:
    """The record's answer row: its pixel mask as column-major RLE ("-" when empty) and its size."""
    mask = np.load(io.BytesIO(tree.read(f"{record_id}/human_pixel_masks.npy")))
    rle = rle_encode(mask[:, :, 0] if mask.ndim == 3 else mask)
    height, width = np.load(io.BytesIO(tree.read(f"{record_id}/band_08.npy"))).shape[:2]
    return {"record_id": record_id, "encoded_pixels": rle or "-", "height": height, "width": width}


def _copy_records(tree: RawTree, ids: list[str], dest: Path, names: list[str]) -> None:
    for n, record_id in enumerate(ids, 1):
        for name in names:
            tree.copy(f"{record_id}/{name}", dest / record_id / name)
        if n % PROGRESS_EVERY == 0:
            log.info("copied %d of %d records into %s", n, len(ids), dest)
