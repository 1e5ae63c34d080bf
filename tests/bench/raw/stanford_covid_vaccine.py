"""Synthetic raw files of stanford-covid-vaccine in Kaggle's layout: train.json and test.json (JSON
lines), sample_submission.csv and bpps/<id>.npy (base-pairing matrices, which MLE-bench does not
publish); sequences of 12 bases (so positions sort as text: _0, _1, _10, _11, _2 ...), the first 7
measured."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes

LENGTH, SCORED = 12, 7
TARGETS = ["reactivity", "deg_Mg_pH10", "deg_pH10", "deg_Mg_50C", "deg_50C"]
ERRORS = ["reactivity_error", "deg_error_Mg_pH10", "deg_error_pH10", "deg_error_Mg_50C", "deg_error_50C"]


def _sequence(rng: np.random.Generator, index: int) -> dict:
    return {"index": index, "id": f"id_{rng.integers(0, 16**9):09x}",
            "sequence": "".join(rng.choice(list("ACGU"), LENGTH)),
            "structure": "".join(rng.choice(list("(.)"), LENGTH)),
            "predicted_loop_type": "".join(rng.choice(list("SMIBHEX"), LENGTH))}


def _lines(records: list[dict]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def build(n: int = 40) -> dict[str, bytes]:
    rng = np.random.default_rng(40)
    train, test = [], []
    for i in range(n):
        row = _sequence(rng, i)
        snr = float(np.round(rng.gamma(2.0, 2.0), 4))
        row.update({"signal_to_noise": snr, "SN_filter": int(snr > 1.0 and rng.random() > 0.2),
                    "seq_length": LENGTH, "seq_scored": SCORED})
        row.update({e: [round(float(v), 4) for v in rng.random(SCORED) * 0.3] for e in ERRORS})
        row.update({t: [float(v) for v in rng.normal(0.5, 0.6, SCORED)] for t in TARGETS})
        train.append(row)
    for i in range(6):
        test.append({**_sequence(rng, i), "seq_length": LENGTH, "seq_scored": SCORED})
    sample = pd.DataFrame({"id_seqpos": [f"{r['id']}_{p}" for r in test for p in range(LENGTH)],
                           **{t: 0.0 for t in TARGETS}})
    files = {"train.json": _lines(train), "test.json": _lines(test), "sample_submission.csv": csv_bytes(sample)}
    files.update({f"bpps/{r['id']}.npy": _npy(rng.random((LENGTH, LENGTH)).round(3)) for r in train + test})
    return files


def _unscored_wrong(answers: str, sample: str, spec: dict) -> str:
    """Exact on the measured positions, 9.0 elsewhere: scores 0 (unscored positions are ignored)."""
    frame = submission(answers, spec)
    keep = [k == "True" for k in pd.read_csv(io.StringIO(answers), usecols=["keep"])["keep"].astype(str)]
    for target in TARGETS:
        frame[target] = [v if k else "9.0" for v, k in zip(frame[target], keep)]
    return text_of(frame)


def _sorted_by_id(answers: str, sample: str, spec: dict) -> str:
    """The exact answers, rows sorted by id_seqpos (not the answers' order)."""
    frame = submission(answers, spec)
    return text_of(frame.sort_values("id_seqpos"))


CASES = {"unscored_wrong": _unscored_wrong, "sorted_by_id": _sorted_by_id}
