"""aerial-cactus-identification (MLE-bench lite): binary image classification, ROC AUC.

Preparation follows MLE-bench: Kaggle's `train.csv` (17,500 labelled 32x32 JPEG tiles) is split
with `test_size=0.19, random_state=0` (about 4,000 test tiles, Kaggle's original test size). The
tiles come from the raw `train.zip` (`train/<id>.jpg`) and are re-packed, flat, into
`public/train.zip` and `public/test.zip`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.competitions._common import read_csv, split, zip_members_by_basename

DESCRIPTION = """\
# Aerial Cactus Identification

## Task
Small aerial photographs were taken over a desert region as part of a project that monitors
protected habitats. Some tiles show a columnar cactus. Build a model that says, for every test
tile, how likely it is that a cactus is present.

## Data
- `train.zip`: 32x32 colour JPEG tiles named `<id>.jpg`.
- `train.csv`: `id` (the file name) and `has_cactus` (1 when a cactus is visible, else 0).
- `test.zip`: the tiles to predict, same format.
- `sample_submission.csv`: every test id with a placeholder probability of 0.5.

## Metric
Area under the ROC curve between your predicted probabilities and the true labels (higher is better).

## Submission
A CSV with header `id,has_cactus` and one row per test image; `has_cactus` is a probability
(or score) in [0, 1].
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Binary image classification. Each example is a 32x32 RGB aerial image tile; predict the
probability that the positive class (a particular plant) is present.

Files: `train.zip` and `test.zip` (JPEG tiles named `<id>.jpg`), `train.csv` (`id,has_cactus`),
`sample_submission.csv`.

Metric: ROC AUC (higher is better).

Submission: CSV with header `id,has_cactus`, one row per test image, values in [0, 1].
"""


def _repack(source: zipfile.ZipFile, members: dict[str, str], ids, dest: Path) -> None:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for image_id in ids:
            out.writestr(image_id, source.read(members[image_id]))


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = read_csv(raw / "train.csv")
    train, test = split(full, test_size=0.19, seed=0)
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    sample = test.copy()
    sample["has_cactus"] = 0.5
    sample.to_csv(public / "sample_submission.csv", index=False)

    members = zip_members_by_basename(raw / "train.zip", ".jpg")
    missing = set(full["id"]) - set(members)
    if missing:
        raise ValueError(f"raw train.zip lacks {len(missing)} images listed in train.csv, e.g. {sorted(missing)[:3]}")
    with zipfile.ZipFile(raw / "train.zip") as source:
        _repack(source, members, train["id"], public / "train.zip")
        _repack(source, members, test["id"], public / "test.zip")


# md5 values recorded by MLE-bench (checksums.yaml) for Kaggle's archive and the prepared files.
MLE_BENCH_MD5 = {
    "zip": "72018554bfbb009f2145f56121380078",
    "private/test.csv": "ebdb02d62dbaf60270a9b3a8617840af",
    "public/sample_submission.csv": "14c675bde0de98994efafac8e008277e",
    "public/train.csv": "4f5f752b84f8836c852f4f70e988a545",
}


COMPETITION = Competition(
    id="aerial-cactus-identification",
    title="Aerial Cactus Identification",
    splits=("low", "lite", "split75"),
    metric=MetricSpec("roc_auc", lower_is_better=False),
    schema=SubmissionSchema(
        id_column="id",
        columns=(Column("id", "id"), Column("has_cactus", "probability", low=0.0, high=1.0)),
        answers_file="test.csv",
    ),
    source="kaggle",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    reference_md5=MLE_BENCH_MD5,
    category="image",
    raw_files=("train.csv", "train.zip"),
)
