"""Synthetic raw files of ventilator-pressure-prediction in Kaggle's layout: train.csv, test.csv and
sample_submission.csv; one row per time step, a few steps per breath, breaths not in id order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, table, text_of
from tests.bench.raw._files import csv_bytes

STEPS = 6


def _breaths(rng: np.random.Generator, breath_ids: np.ndarray, first_id: int, labelled: bool) -> pd.DataFrame:
    n = len(breath_ids) * STEPS
    frame = pd.DataFrame({
        "id": range(first_id, first_id + n),
        "breath_id": np.repeat(breath_ids, STEPS),
        "R": np.repeat(rng.choice([5, 20, 50], len(breath_ids)), STEPS),
        "C": np.repeat(rng.choice([10, 20, 50], len(breath_ids)), STEPS),
        "time_step": np.tile(np.arange(STEPS) * 0.0336, len(breath_ids)) + rng.random(n) * 1e-3,
        "u_in": rng.random(n) * 100,
        "u_out": np.tile((np.arange(STEPS) >= STEPS // 2).astype(int), len(breath_ids)),
    })
    if labelled:
        frame["pressure"] = rng.normal(15, 6, n)
    return frame


def build(n: int = 30) -> dict[str, bytes]:
    rng = np.random.default_rng(21)
    ids = rng.choice(200, n + 4, replace=False) + 1
    train = _breaths(rng, ids[:n], 1, True)
    test = _breaths(rng, ids[n:], 1, False)
    sample = pd.DataFrame({"id": test["id"], "pressure": 0})
    return {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample)}


def _expiration_wrong(answers: str, sample: str, spec: dict) -> str:
    """Exact pressures while inhaling, nonsense while exhaling: scores 0 (only u_out == 0 counts)."""
    rows = table(answers)
    frame = submission(answers, spec)
    frame["pressure"] = [p if u == "0" else "999.0" for p, u in zip(frame["pressure"], rows["u_out"])]
    return text_of(frame)


CASES = {"expiration_wrong": _expiration_wrong}
