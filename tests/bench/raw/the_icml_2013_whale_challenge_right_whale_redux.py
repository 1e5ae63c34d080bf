"""Synthetic raw files of the-icml-2013-whale-challenge-right-whale-redux: train2.zip (AIFF clips
`train2/<YYYYMMDD>_<HHMMSS>_<offset>_TRAIN<i>_<label>.aif` over four days), test2.zip (clips
`test2/..._Test<i>.aif`) and sampleSubmission.csv."""

from __future__ import annotations

import struct

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes, zip_bytes

RATE = 2000  # Hz, the recordings' sample rate


def aiff_bytes(samples: np.ndarray, rate: int = RATE) -> bytes:
    """A mono 16-bit AIFF file (COMM and SSND chunks; the rate as an 80-bit extended float)."""
    data = samples.astype(">i2").tobytes()
    exponent = rate.bit_length() - 1
    rate80 = struct.pack(">HQ", 16383 + exponent, rate << (63 - exponent))
    comm = b"COMM" + struct.pack(">IhIh", 18, 1, len(samples), 16) + rate80
    ssnd = b"SSND" + struct.pack(">III", 8 + len(data), 0, 0) + data
    body = b"AIFF" + comm + ssnd
    return b"FORM" + struct.pack(">I", len(body)) + body


def _stamp(rng: np.random.Generator) -> str:
    seconds = int(rng.integers(0, 86400))
    offset = rng.integers(0, 600) / 10
    return f"{seconds // 3600:02d}{seconds // 60 % 60:02d}{seconds % 60:02d}_{int(offset):03d}s{int(offset * 10) % 10}ms"


def _clip(rng: np.random.Generator) -> bytes:
    return aiff_bytes(rng.integers(-3000, 3000, 40))


def build(per_day: int = 9) -> dict[str, bytes]:
    rng = np.random.default_rng(2013)
    train, index = {}, 0
    for day in ("20090328", "20090329", "20090330", "20090331"):
        for stamp in sorted(_stamp(rng) for _ in range(per_day)):  # numbered in time order, as Kaggle's
            train[f"train2/{day}_{stamp}_TRAIN{index}_{int(rng.random() < 0.3)}.aif"] = _clip(rng)
            index += 1
    test, test_names = {}, []
    for day in ("20090401", "20090402", "20090403"):
        for stamp in sorted(_stamp(rng) for _ in range(3)):
            test_names.append(f"{day}_{stamp}_Test{len(test_names)}.aif")
            test[f"test2/{test_names[-1]}"] = _clip(rng)
    sample = pd.DataFrame({"clip": test_names, "probability": 0})
    return {"train2.zip": zip_bytes(train), "test2.zip": zip_bytes(test), "sampleSubmission.csv": csv_bytes(sample)}


def _clips_with_folder(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    frame["clip"] = ["test2/" + name for name in frame["clip"]]
    return text_of(frame)


def _scores_as_text(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    frame["probability"] = ["high" if v == "1" else "low" for v in frame["probability"]]
    return text_of(frame)


# A clip named with its folder does not match the test set's; words are not probabilities.
CASES = {"clips_with_folder": _clips_with_folder, "scores_as_text": _scores_as_text}
