"""Synthetic raw files of petfinder-pawpularity-score: train.csv (Id, twelve 0/1 attributes,
Pawpularity), test.csv, sample_submission.csv, and the photographs train/<Id>.jpg, test/<Id>.jpg."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes

ATTRIBUTES = ["Subject Focus", "Eyes", "Face", "Near", "Action", "Accessory", "Group", "Collage", "Human",
              "Occlusion", "Info", "Blur"]


def _table(rng: np.random.Generator, ids: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({"Id": ids})
    for name in ATTRIBUTES:
        frame[name] = rng.integers(0, 2, len(ids))
    return frame


def build(n: int = 40, n_test: int = 4) -> dict[str, bytes]:
    rng = np.random.default_rng(33)
    ids = [f"{v:032x}" for v in rng.integers(0, 2**62, n) * 7_919]
    test_ids = [f"{v:032x}" for v in rng.integers(0, 2**62, n_test) * 104_729]
    train = _table(rng, ids).assign(Pawpularity=rng.integers(1, 101, n))
    files = {"train.csv": csv_bytes(train), "test.csv": csv_bytes(_table(rng, test_ids)),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"Id": test_ids, "Pawpularity": 50.0}))}
    for i in ids:
        files[f"train/{i}.jpg"] = jpg_bytes(rng, (4, 4))
    for i in test_ids:
        files[f"test/{i}.jpg"] = jpg_bytes(rng, (4, 4))
    return files


def _scores(answers: str, values: list[str]) -> str:
    frame = pd.read_csv(io.StringIO(answers), dtype=str)[["Id", "Pawpularity"]]
    frame["Pawpularity"] = (values * len(frame))[: len(frame)]
    return frame.to_csv(index=False, lineterminator="\n")


CASES = {
    "score_above_100": lambda answers, sample, spec: _scores(answers, ["100.5", "50"]),
    "score_below_1": lambda answers, sample, spec: _scores(answers, ["0.5", "50"]),
    "edges_1_and_100": lambda answers, sample, spec: _scores(answers, ["1", "100"]),
    "text_score": lambda answers, sample, spec: _scores(answers, ["high", "50"]),
}
