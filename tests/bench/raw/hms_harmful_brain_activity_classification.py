"""Synthetic raw files of hms-harmful-brain-activity-classification in Kaggle's layout: train.csv
(one row per labelled 50-second EEG window: ids, offsets, `expert_consensus` and six vote counts),
test.csv, sample_submission.csv, parquet files per EEG and per spectrogram in
train_eegs/, train_spectrograms/, test_eegs/, test_spectrograms/, and example_figures/ (PNGs).

The parquet files are only copied by the preparers, so each holds the format's magic bytes around
a few random ones rather than real columns (no parquet writer in the environment)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, png_bytes

VOTES = ["seizure_vote", "lpd_vote", "gpd_vote", "lrda_vote", "grda_vote", "other_vote"]
CLASSES = ["Seizure", "LPD", "GPD", "LRDA", "GRDA", "Other"]

# the gold submission, not the answers (vote counts), is what a perfect submission looks like
SUBMISSION_BASE = "private/gold_submission.csv"


def _parquet(rng: np.random.Generator) -> bytes:
    return b"PAR1" + rng.integers(0, 255, 32, dtype=np.uint8).tobytes() + b"PAR1"


def _rows(rng: np.random.Generator, n_spectrograms: int) -> pd.DataFrame:
    rows, label_id = [], 1000
    for spectrogram in rng.choice(10**9, n_spectrograms, replace=False):
        patient = int(rng.integers(10000, 65000))
        for sub_s, eeg in enumerate(rng.choice(10**9, int(rng.integers(1, 3)), replace=False)):
            for sub_e in range(int(rng.integers(1, 4))):
                votes = rng.multinomial(int(rng.integers(1, 8)), rng.dirichlet(np.ones(6) * 0.5))
                label_id += int(rng.integers(1, 10**6))
                rows.append({"eeg_id": int(eeg), "eeg_sub_id": sub_e, "eeg_label_offset_seconds": float(2 * sub_e),
                             "spectrogram_id": int(spectrogram), "spectrogram_sub_id": 2 * sub_s + sub_e,
                             "spectrogram_label_offset_seconds": float(2 * (2 * sub_s + sub_e)), "label_id": label_id,
                             "patient_id": patient, "expert_consensus": CLASSES[int(np.argmax(votes))],
                             **dict(zip(VOTES, votes.tolist()))})
    return pd.DataFrame(rows)


def build(n_train: int = 20) -> dict[str, bytes]:
    rng = np.random.default_rng(2024)
    train = _rows(rng, n_train)
    test = pd.DataFrame({"spectrogram_id": [853520], "eeg_id": [3911565283], "patient_id": [6885]})
    sample = pd.DataFrame({"eeg_id": [3911565283], **{v: [1 / 6] for v in VOTES}})
    files = {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample)}
    for eeg in train["eeg_id"].unique():
        files[f"train_eegs/{eeg}.parquet"] = _parquet(rng)
    for spectrogram in train["spectrogram_id"].unique():
        files[f"train_spectrograms/{spectrogram}.parquet"] = _parquet(rng)
    files["test_eegs/3911565283.parquet"] = _parquet(rng)
    files["test_spectrograms/853520.parquet"] = _parquet(rng)
    for name in ("Seizure", "LPD"):
        files[f"example_figures/{name}.png"] = png_bytes(rng.integers(0, 255, (4, 4)))
    return files
