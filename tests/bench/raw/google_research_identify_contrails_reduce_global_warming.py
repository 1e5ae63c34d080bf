"""Synthetic raw files of google-research-identify-contrails-reduce-global-warming: train/<record_id>/
(band_08..16.npy, human_individual_masks.npy, human_pixel_masks.npy), validation/<record_id>/ (bands and
the pixel mask), test/<record_id>/ (bands), train_metadata.json, validation_metadata.json and
sample_submission.csv; 6x6 pixels, 2 time steps (Kaggle: 256x256, 8)."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd

from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes

SIDE, STEPS = 6, 2


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def _record(rng: np.random.Generator, where: str, k: int, labelled: bool, individual: bool) -> dict[str, bytes]:
    files = {f"{where}/band_{b:02}.npy": _npy(rng.normal(250, 10, (SIDE, SIDE, STEPS)).astype(np.float16))
             for b in range(8, 17)}
    if labelled:
        mask = np.zeros((SIDE, SIDE, 1), dtype=np.int32)
        if k % 3:
            row = int(rng.integers(0, SIDE))
            mask[row, 1: 1 + k % 5 + 1, 0] = 1
            mask[(row + 2) % SIDE, 3, 0] = 1
        files[f"{where}/human_pixel_masks.npy"] = _npy(mask)
        if individual:
            files[f"{where}/human_individual_masks.npy"] = _npy(np.repeat(mask[..., None], 2, axis=3))
    return files


def _metadata(rng: np.random.Generator, ids: list[str]) -> bytes:
    return json.dumps([{"row_min": float(rng.normal(-1e6, 1e4)), "row_size": 2000.0, "col_min": float(rng.normal(-3e6, 1e4)),
                        "col_size": 2000.0, "timestamp": 1.5e9 + 600 * i, "projection_wkt": "PROJCS[\"unknown\"]",
                        "record_id": rid} for i, rid in enumerate(ids)]).encode()


def build(n_train: int = 9, n_validation: int = 3, n_test: int = 2) -> dict[str, bytes]:
    rng = np.random.default_rng(23)
    ids = [str(v) for v in rng.integers(10**18, 9 * 10**18, n_train + n_validation + n_test)]
    train, validation, test = ids[:n_train], ids[n_train:n_train + n_validation], ids[n_train + n_validation:]
    files: dict[str, bytes] = {}
    for k, rid in enumerate(train):
        files.update(_record(rng, f"train/{rid}", k, labelled=True, individual=True))
    for k, rid in enumerate(validation):
        files.update(_record(rng, f"validation/{rid}", k + 1, labelled=True, individual=False))
    for k, rid in enumerate(test):
        files.update(_record(rng, f"test/{rid}", k, labelled=False, individual=False))
    files["train_metadata.json"] = _metadata(rng, train)
    files["validation_metadata.json"] = _metadata(rng, validation)
    files["sample_submission.csv"] = csv_bytes(pd.DataFrame({"record_id": test, "encoded_pixels": "-"}))
    return files


def _masks(change) -> callable:
    def make(answers: str, sample: str, spec: dict) -> str:
        frame = table(answers)
        frame["encoded_pixels"] = [change(rle, k) for k, rle in enumerate(frame["encoded_pixels"])]
        return text_of(frame[["record_id", "encoded_pixels"]])
    return make


CASES = {
    "only_id_and_mask": _masks(lambda rle, k: rle),
    "all_dashes": _masks(lambda rle, k: "-"),
    "empty_cells": _masks(lambda rle, k: ""),
    "whole_images": _masks(lambda rle, k: f"1 {SIDE * SIDE}"),
    "first_run_only": _masks(lambda rle, k: " ".join(rle.split()[:2]) if rle != "-" else rle),
    "run_past_end": _masks(lambda rle, k: f"{SIDE * SIDE - 1} 9"),
    "unsorted_runs": _masks(lambda rle, k: "9 2 1 3"),
    "overlapping_runs": _masks(lambda rle, k: "1 5 3 2"),
}
