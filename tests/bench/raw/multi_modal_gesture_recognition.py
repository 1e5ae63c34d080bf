"""Synthetic raw files of multi-modal-gesture-recognition in Kaggle's layout: training.csv
(`Id,Sequence`), randomPredictions.csv, training1-4.tar.gz and validation1-3.tar.gz (each a
gzipped tar of `Sample<nnnnn>.zip` recordings at its top level), devel01-40.7z,
valid_all_files_combined.7z and sample_code_mmrgc.zip. Archives are deterministic (fixed dates)."""

from __future__ import annotations

import gzip
import io
import tarfile

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes, sevenz_bytes, zip_bytes


def _recording(rng: np.random.Generator, sample: str) -> bytes:
    return zip_bytes({f"{sample}_data.mat": rng.bytes(24), f"{sample}_audio.wav": rng.bytes(16)})


def tar_gz_bytes(files: dict[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1_370_000_000
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def _sequence(rng: np.random.Generator) -> str:
    return " ".join(str(g) for g in rng.choice(np.arange(1, 21), rng.integers(3, 9), replace=False))


def build() -> dict[str, bytes]:
    rng = np.random.default_rng(60)
    parts = {f"training{k}": range(1 + 6 * (k - 1), 1 + 6 * k) for k in range(1, 5)}
    parts.update({f"validation{k}": range(400 + 4 * k, 404 + 4 * k) for k in range(1, 4)})
    files = {f"{part}.tar.gz": tar_gz_bytes({f"Sample{i:05d}.zip": _recording(rng, f"Sample{i:05d}") for i in ids})
             for part, ids in parts.items()}
    labelled = [i for k in range(1, 5) for i in parts[f"training{k}"]]
    files["training.csv"] = csv_bytes(pd.DataFrame({"Id": [f"{i:04d}" for i in labelled],
                                                    "Sequence": [_sequence(rng) for _ in labelled]}))
    files["randomPredictions.csv"] = csv_bytes(pd.DataFrame({"Id": [f"{i:04d}" for i in labelled],
                                                             "Sequence": [_sequence(rng) for _ in labelled]}))
    files["devel01-40.7z"] = sevenz_bytes({f"devel{d:02d}/K_1.avi": rng.bytes(12) for d in (1, 2)})
    files["valid_all_files_combined.7z"] = sevenz_bytes({"valid01/M_1.avi": rng.bytes(12)})
    files["sample_code_mmrgc.zip"] = zip_bytes({"sample_code_mmrgc/main.m": b"% reads a sample\n"})
    return files


def _edited(change):
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = submission(answers, spec)
        frame["Sequence"] = [change(s.split()) for s in frame["Sequence"]]
        return text_of(frame)

    return case


# One gesture dropped, one appended, the order reversed; written as commas; one recording empty.
CASES = {
    "drop_last": _edited(lambda g: " ".join(g[:-1])),
    "append_one": _edited(lambda g: " ".join(g + ["20"])),
    "reversed": _edited(lambda g: " ".join(g[::-1])),
    "commas": _edited(lambda g: ",".join(g)),
    "one_empty": lambda a, s, spec: text_of(_first_empty(submission(a, spec))),
}


def _first_empty(frame: pd.DataFrame) -> pd.DataFrame:
    frame.at[0, "Sequence"] = ""
    return frame
