"""Synthetic raw files of spaceship-titanic in Kaggle's layout: train.csv, test.csv, sample_submission.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes


def build(n: int = 100) -> dict[str, bytes]:
    rng = np.random.default_rng(1)
    ids = [f"{g:04d}_{p:02d}" for g, p in zip(range(1, n + 1), rng.integers(1, 3, n))]
    train = pd.DataFrame({
        "PassengerId": ids, "HomePlanet": rng.choice(["Earth", "Europa", "Mars"], n),
        "CryoSleep": rng.choice([True, False], n),
        "Cabin": [f"{d}/{i}/{s}" for d, i, s in zip(rng.choice(list("ABCFG"), n), range(n), rng.choice(["P", "S"], n))],
        "Destination": rng.choice(["TRAPPIST-1e", "55 Cancri e", "PSO J318.5-22"], n),
        "Age": rng.integers(0, 80, n).astype(float), "VIP": rng.choice([True, False], n),
        "RoomService": rng.integers(0, 500, n).astype(float), "FoodCourt": rng.integers(0, 500, n).astype(float),
        "ShoppingMall": rng.integers(0, 500, n).astype(float), "Spa": rng.integers(0, 500, n).astype(float),
        "VRDeck": rng.integers(0, 500, n).astype(float), "Name": [f"Person {i}" for i in range(n)],
        "Transported": rng.choice([True, False], n),
    })
    train.loc[rng.choice(n, 8, replace=False), "Age"] = np.nan  # Kaggle's file has gaps
    test = train.drop(columns=["Transported"]).head(20).assign(PassengerId=[f"9{i:03d}_01" for i in range(20)])
    sample = pd.DataFrame({"PassengerId": test["PassengerId"], "Transported": False})
    return {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample)}


def _relabel(true: str, false: str):
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = submission(answers, spec)
        frame["Transported"] = [true if v == "True" else false for v in frame["Transported"]]
        return text_of(frame)

    return case


# Spellings MLE-bench's grader accepts (pandas reads them as booleans or numbers) or refuses.
CASES = {
    "labels_1_0": _relabel("1", "0"),
    "labels_lowercase": _relabel("true", "false"),
    "labels_uppercase": _relabel("TRUE", "FALSE"),
    "labels_1.0_0.0": _relabel("1.0", "0.0"),
    "labels_yes_no": _relabel("yes", "no"),
    "labels_inverted": _relabel("False", "True"),
}
