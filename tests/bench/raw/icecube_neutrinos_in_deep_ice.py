"""Synthetic raw files of icecube-neutrinos-in-deep-ice in Kaggle's layout: train_meta.parquet
(events of 10 batches), train/batch_<n>.parquet (the pulses of each batch, event_id first),
test_meta.parquet and test/batch_661.parquet, sensor_geometry.csv and sample_submission.parquet.

Parquet files are written with fastparquet and their pandas key-value metadata removed, so the
bytes do not depend on the pandas version (the golden file is made under pandas 2, the tests run
under pandas 3)."""

from __future__ import annotations

import struct
import tempfile
from pathlib import Path

import fastparquet
import numpy as np
import pandas as pd
from fastparquet.cencoding import from_buffer
from fastparquet.writer import write_thrift

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes

SENSORS = 12


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.parquet"
        fastparquet.write(str(path), frame, compression="SNAPPY", write_index=False)
        with open(path, "rb+") as f:
            f.seek(-8, 2)
            size = int.from_bytes(f.read(4), "little")
            start = f.seek(-8 - size, 2)
            footer = from_buffer(f.read(size), "FileMetaData")
            footer.key_value_metadata = [kv for kv in footer.key_value_metadata or [] if kv.key not in ("pandas", b"pandas")]
            f.seek(start)
            f.write(struct.pack("<I", write_thrift(f, footer)) + b"PAR1")
            f.truncate()
        return path.read_bytes()


def _meta(rng: np.random.Generator, batches: list[int], per_batch: int, labelled: bool) -> pd.DataFrame:
    n = len(batches) * per_batch
    sizes = rng.integers(2, 6, n)
    last = np.cumsum(sizes) - 1
    frame = pd.DataFrame({"batch_id": np.repeat(batches, per_batch), "event_id": np.cumsum(rng.integers(1, 90, n)),
                          "first_pulse_index": last - sizes + 1, "last_pulse_index": last})
    if labelled:
        frame["azimuth"] = rng.uniform(0, 2 * np.pi, n)
        frame["zenith"] = rng.uniform(0, np.pi, n)
    return frame


def _pulses(rng: np.random.Generator, meta: pd.DataFrame) -> pd.DataFrame:
    events = np.repeat(meta["event_id"].to_numpy(), meta["last_pulse_index"] - meta["first_pulse_index"] + 1)
    n = len(events)
    # Kaggle's files index the pulses by event_id; without pandas metadata that is a first column
    return pd.DataFrame({"event_id": events, "sensor_id": rng.integers(0, SENSORS, n).astype("int16"),
                         "time": rng.integers(5000, 20000, n).astype("int64"),
                         "charge": np.round(rng.gamma(1.0, 1.0, n), 3), "auxiliary": rng.random(n) < 0.3})


def build() -> dict[str, bytes]:
    rng = np.random.default_rng(90)
    train_meta = _meta(rng, list(range(1, 11)), 3, True)
    test_meta = _meta(rng, [661], 3, False)
    test_meta["event_id"] += int(train_meta["event_id"].max())
    files = {"train_meta.parquet": parquet_bytes(train_meta), "test_meta.parquet": parquet_bytes(test_meta)}
    for batch, rows in train_meta.groupby("batch_id"):
        files[f"train/batch_{batch}.parquet"] = parquet_bytes(_pulses(rng, rows))
    files["test/batch_661.parquet"] = parquet_bytes(_pulses(rng, test_meta))
    geometry = pd.DataFrame({"sensor_id": range(SENSORS), "x": rng.normal(0, 300, SENSORS).round(2),
                             "y": rng.normal(0, 300, SENSORS).round(2), "z": rng.normal(0, 300, SENSORS).round(2)})
    files["sensor_geometry.csv"] = csv_bytes(geometry)
    sample = pd.DataFrame({"event_id": test_meta["event_id"], "azimuth": 1, "zenith": 1})
    files["sample_submission.parquet"] = parquet_bytes(sample)
    return files


def _as_text(column: str, value: str):
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = submission(answers, spec)
        frame.at[0, column] = value
        return text_of(frame)

    return case


def _turned(answers: str, sample: str, spec: dict) -> str:
    """Azimuths turned by a full circle: the same directions, error 0 (up to rounding)."""
    frame = submission(answers, spec)
    frame["azimuth"] = [repr(float(v) + 2 * np.pi) for v in frame["azimuth"]]
    return text_of(frame)


CASES = {"infinite_zenith": _as_text("zenith", "inf"), "text_azimuth": _as_text("azimuth", "north"),
         "full_turn": _turned}

# The metadata tables embed the writing pandas version (bench/DEVIATIONS.md P-F1): compared by content
# in tests/bench/test_icecube_parquet.py instead of by bytes.
PREPARED_DEVIATIONS = {"public/train_meta.parquet": "P-F1", "public/test_meta.parquet": "P-F1"}
