"""denoising-dirty-documents: MLE-bench's split of the noisy training scans.

The noisy scans of raw `train.zip`, sorted by file name, are split 80/20 (random_state 0). Public:
`train/` and `test/` (noisy scans), `train_cleaned/` (clean versions of the train scans),
`sampleSubmission.csv` (every test pixel at 1). Private: `answers.csv`, one row per pixel of the
clean test scans in file-name order, id `<image>_<row>_<col>` (1-based), value = grey level / 255.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from bench.preparers import FileSource, split, write_files


def pixel_rows(stem: str, png: bytes) -> pd.DataFrame:
    """One row per pixel, row by row, id `<stem>_<row>_<col>` (1-based), value in [0, 1]."""
    image = np.asarray(Image.open(io.BytesIO(png)).convert("L")) / 255.0
    rows, cols = image.shape
    r, c = np.meshgrid(np.arange(1, rows + 1), np.arange(1, cols + 1), indexing="ij")
    pixel_ids = [f"{stem}_{i}_{j}" for i, j in zip(r.ravel(), c.ravel())]
    return pd.DataFrame({"id": pixel_ids, "value": image.ravel()})


def prepare(raw: Path, public: Path, private: Path) -> None:
    noisy, clean = FileSource(raw, "train", ".png"), FileSource(raw, "train_cleaned", ".png")
    try:
        names = noisy.names()
        _, test_names = split(names, test_size=0.2, random_state=0)
        held_out = set(test_names)
        write_files(noisy, [n for n in names if n not in held_out], public / "train")
        write_files(noisy, sorted(held_out), public / "test")
        write_files(clean, [n for n in clean.names() if n not in held_out], public / "train_cleaned")
        answers = pd.concat([pixel_rows(Path(n).stem, clean.read(n)) for n in sorted(held_out)], ignore_index=True)
    finally:
        noisy.close()
        clean.close()
    answers.to_csv(private / "answers.csv", index=False)
    answers.assign(value=1).to_csv(public / "sampleSubmission.csv", index=False)
