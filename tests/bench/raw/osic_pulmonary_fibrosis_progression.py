"""Synthetic raw files of osic-pulmonary-fibrosis-progression in Kaggle's layout: train.csv
(`Patient,Weeks,FVC,Percent,Age,Sex,SmokingStatus`, several visits per patient), test.csv (one
baseline visit per test patient), sample_submission.csv (`Patient_Week,FVC,Confidence`), and a CT
scan per patient as DICOM slices `<n>.dcm` in train/<Patient>/ and test/<Patient>/."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes
from tests.bench.raw.siim_isic_melanoma_classification import dicom_bytes

SMOKING = ["Ex-smoker", "Never smoked", "Currently smokes"]


def _patients(rng: np.random.Generator, n: int) -> list[str]:
    return [f"ID00{v:021d}" for v in rng.choice(10**12, n, replace=False)]


def _visits(rng: np.random.Generator, patient: str) -> list[dict]:
    age, sex, smoke = int(rng.integers(50, 85)), rng.choice(["Male", "Female"]), rng.choice(SMOKING)
    fvc0, full = int(rng.integers(1500, 4000)), float(rng.uniform(3000, 5000))
    weeks = sorted(rng.choice(np.arange(-4, 30), int(rng.integers(4, 8)), replace=False).tolist())
    rows = []
    for week in weeks:
        fvc = int(fvc0 - 6 * week + rng.integers(-80, 80))
        rows.append({"Patient": patient, "Weeks": week, "FVC": fvc, "Percent": 100 * fvc / full, "Age": age,
                     "Sex": sex, "SmokingStatus": smoke})
    return rows


def _scans(rng: np.random.Generator, folder: str, patients: list[str]) -> dict[str, bytes]:
    return {f"{folder}/{p}/{n}.dcm": dicom_bytes(rng) for p in patients for n in range(1, int(rng.integers(2, 4)))}


def build(n_train: int = 20, n_test: int = 2) -> dict[str, bytes]:
    rng = np.random.default_rng(2020)
    train_ids, test_ids = _patients(rng, n_train), _patients(rng, n_test)
    train = pd.DataFrame([row for p in train_ids for row in _visits(rng, p)])
    test = pd.DataFrame([_visits(rng, p)[0] for p in test_ids])
    sample = pd.DataFrame([{"Patient_Week": f"{p}_{w}", "FVC": 2000, "Confidence": 100}
                           for p in test_ids for w in range(-12, 134)])
    files = {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample)}
    files.update(_scans(rng, "train", train_ids))
    files.update(_scans(rng, "test", test_ids))
    return files


def _graded_weeks_only(answers: str, sample: str, spec: dict) -> str:
    """Only the rows that are graded (each patient's last three measured weeks), exact FVC."""
    frame = pd.read_csv(io.StringIO(answers), dtype=str, keep_default_na=False)
    measured = frame[frame["FVC"] != ""].copy()
    measured["w"] = measured["Weeks"].astype(int)
    kept = measured.sort_values("w", kind="stable").groupby("Patient").tail(3)
    return kept[["Patient_Week", "FVC", "Confidence"]].assign(Confidence="70").to_csv(index=False, lineterminator="\n")


def _unknown_week(answers: str, sample: str, spec: dict) -> str:
    frame = pd.read_csv(io.StringIO(sample), dtype=str, keep_default_na=False)
    frame.loc[0, "Patient_Week"] = "ID00000000000000000000000_7"
    return frame.to_csv(index=False, lineterminator="\n")


def _text_confidence(answers: str, sample: str, spec: dict) -> str:
    frame = pd.read_csv(io.StringIO(sample), dtype=str, keep_default_na=False)
    frame.loc[0, "Confidence"] = "high"
    return frame.to_csv(index=False, lineterminator="\n")


def _blank_graded_fvc(answers: str, sample: str, spec: dict) -> str:
    """A graded row with an empty FVC: MLE-bench's mean becomes NaN (a score, not an error)."""
    lines = _graded_weeks_only(answers, sample, spec).splitlines()
    week, _, confidence = lines[1].split(",")
    return "\n".join([lines[0], f"{week},,{confidence}", *lines[2:]]) + "\n"


def _repeated_graded_week(answers: str, sample: str, spec: dict) -> str:
    lines = _graded_weeks_only(answers, sample, spec).splitlines()
    return "\n".join([*lines, lines[1]]) + "\n"


CASES = {"blank_graded_fvc": _blank_graded_fvc, "repeated_graded_week": _repeated_graded_week,
         "graded_weeks_only": _graded_weeks_only, "unknown_week": _unknown_week,
         "text_confidence": _text_confidence}
