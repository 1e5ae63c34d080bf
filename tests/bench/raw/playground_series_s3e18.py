"""Synthetic raw files of playground-series-s3e18: train.csv (descriptors and EC1-EC6), test.csv,
sample_submission.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes

FEATURES = ["BertzCT", "Chi1", "Chi1n", "Chi1v", "Chi2n", "Chi2v", "Chi3v", "Chi4n", "EState_VSA1", "EState_VSA2",
            "ExactMolWt", "FpDensityMorgan1", "FpDensityMorgan2", "FpDensityMorgan3", "HallKierAlpha",
            "HeavyAtomMolWt", "Kappa3", "MaxAbsEStateIndex", "MinEStateIndex", "NumHeteroatoms", "PEOE_VSA10",
            "PEOE_VSA14", "PEOE_VSA6", "PEOE_VSA7", "PEOE_VSA8", "SMR_VSA10", "SMR_VSA5", "SlogP_VSA3", "VSA_EState9",
            "fr_COO", "fr_COO2"]  # Kaggle's 31 descriptors (MLE-bench's preparer checks the column count)


def build(n: int = 120, n_test: int = 10) -> dict[str, bytes]:
    rng = np.random.default_rng(26)
    features = {f: rng.gamma(2.0, 10.0, n + n_test).round(6) for f in FEATURES}
    train = pd.DataFrame({"id": range(n), **{f: v[:n] for f, v in features.items()},
                          **{f"EC{k}": rng.integers(0, 2, n) for k in range(1, 7)}})
    test = pd.DataFrame({"id": range(n, n + n_test), **{f: v[n:] for f, v in features.items()}})
    sample = pd.DataFrame({"id": test["id"], "EC1": 0.5, "EC2": 0.5})
    return {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample)}
