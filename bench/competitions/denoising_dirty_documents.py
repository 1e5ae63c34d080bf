"""denoising-dirty-documents (MLE-bench lite): image-to-image cleaning, pixel RMSE.

Preparation follows MLE-bench: the 144 noisy training scans (raw `train.zip`, `train/*.png`),
taken in sorted file-name order, are split with `test_size=0.2, random_state=0` (29 test scans).
Noisy test scans go to `public/test/`, the remaining pairs to `public/train/` and
`public/train_cleaned/`, and the cleaned test scans become `private/answers.csv`: one row per
pixel, id `<image>_<row>_<col>` (1-based), value = grey level / 255.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.competitions._common import copy_zip_members, split, zip_members_by_basename

DESCRIPTION = """\
# Denoising Dirty Documents

## Task
Scanned pages of text are spoiled by stains, creases, coffee rings and faded ink. Produce a clean
version of each noisy test scan: a grey level for every pixel, with the text kept and the
background made white.

## Data
- `train/`: noisy scans (PNG, greyscale).
- `train_cleaned/`: the clean version of each training scan, same file names.
- `test/`: noisy scans to clean.
- `sampleSubmission.csv`: one row per test pixel with a placeholder value of 1 (white).

## Metric
Root mean squared error between your pixel intensities and the clean ones, both on a 0-1 scale
(lower is better).

## Submission
A CSV with header `id,value` and one row per pixel of every test image. The id is
`<image>_<row>_<col>`: the image file name without `.png`, then the 1-based row and column;
`value` is the intensity in [0, 1].
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Image-to-image regression. Inputs are noisy greyscale images of printed text; targets are the
clean images. Predict the clean intensity of every pixel of each test image.

Files: `train/` (noisy PNG), `train_cleaned/` (targets, same names), `test/` (noisy PNG),
`sampleSubmission.csv`.

Metric: RMSE over pixel intensities in [0, 1] (lower is better).

Submission: CSV with header `id,value`; id is `<image>_<row>_<col>` (1-based row and column).
"""


def pixels_frame(stem: str, png: bytes) -> pd.DataFrame:
    """One row per pixel, row-major, id `<stem>_<row>_<col>` (1-based), value in [0, 1]."""
    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.float64) / 255.0
    rows, cols = image.shape
    r, c = np.meshgrid(np.arange(1, rows + 1), np.arange(1, cols + 1), indexing="ij")
    ids = np.char.add(np.char.add(np.char.add(f"{stem}_", r.ravel().astype(str)), "_"), c.ravel().astype(str))
    return pd.DataFrame({"id": ids, "value": image.ravel()})


def prepare(raw: Path, public: Path, private: Path) -> None:
    noisy = zip_members_by_basename(raw / "train.zip", ".png")
    clean = zip_members_by_basename(raw / "train_cleaned.zip", ".png")
    names = sorted(noisy)
    train_names, test_names = split(pd.Series(names), test_size=0.2, seed=0)
    test_set = set(test_names)
    copy_zip_members(raw / "train.zip", {n: noisy[n] for n in names if n not in test_set}, public / "train")
    copy_zip_members(raw / "train.zip", {n: noisy[n] for n in names if n in test_set}, public / "test")
    copy_zip_members(raw / "train_cleaned.zip", {n: clean[n] for n in clean if n not in test_set},
                     public / "train_cleaned")
    with zipfile.ZipFile(raw / "train_cleaned.zip") as zf:
        frames = [pixels_frame(Path(n).stem, zf.read(clean[n])) for n in sorted(test_set)]
    answers = pd.concat(frames, ignore_index=True)
    answers.to_csv(private / "answers.csv", index=False)
    sample = answers.copy()
    sample["value"] = 1
    sample.to_csv(public / "sampleSubmission.csv", index=False)


# md5 values recorded by MLE-bench (checksums.yaml) for Kaggle's archive and the prepared files.
MLE_BENCH_MD5 = {
    "zip": "bc31eea6ff37861abe7d1c9e3411ac1f",
    "private/answers.csv": "5701cc4b5e1d59aedbb6aea4434d093a",
    "public/sampleSubmission.csv": "b9ae2607ee98bd6b9903de500a53bf90",
}


COMPETITION = Competition(
    id="denoising-dirty-documents",
    title="Denoising Dirty Documents",
    splits=("low", "lite", "split75"),
    metric=MetricSpec("rmse", lower_is_better=True),
    schema=SubmissionSchema(
        id_column="id",
        columns=(Column("id", "id"), Column("value", "float", low=0.0, high=1.0)),
        answers_file="answers.csv",
        sample_file="sampleSubmission.csv",
    ),
    source="kaggle",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    reference_md5=MLE_BENCH_MD5,
    category="image",
    raw_files=("train.zip", "train_cleaned.zip"),
)
