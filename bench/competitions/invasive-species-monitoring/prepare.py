"""invasive-species-monitoring: MLE-bench's split, with the photographs actually published.

`train_labels.csv` (from Kaggle's `train_labels.csv.zip`) is split 80/20 (random_state 0).
Private: `answers.csv`, `sample_submission.csv` (every probability 0.5). Public, in Kaggle's packing:
`train_labels.csv.zip`, `sample_submission.csv.zip`, `train.7z` (`train/<name>.jpg` of the train
part) and `test.7z` (`test/<name>.jpg` of the held-out part), the photographs taken from raw
`train.7z`. MLE-bench's preparer writes 7z archives holding only a folder entry (no photographs);
we publish the photographs instead (bench/DEVIATIONS.md, P1).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from bench.preparers import FileSource, read_table, scratch_for, split, write_files


def _zip_one(dest: Path, name: str, text: str) -> None:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(name, text)


def prepare(raw: Path, public: Path, private: Path) -> None:
    train, test = split(read_table(raw, "train_labels.csv"), test_size=0.2, random_state=0)
    sample = test.assign(invasive=0.5)
    test.to_csv(private / "answers.csv", index=False)
    sample.to_csv(private / "sample_submission.csv", index=False)
    _zip_one(public / "sample_submission.csv.zip", "sample_submission.csv", sample.to_csv(index=False))
    _zip_one(public / "train_labels.csv.zip", "train_labels.csv", train.to_csv(index=False))
    with FileSource(raw, "train", ".jpg", scratch=scratch_for(private)) as photos:
        write_files(photos, [f"{n}.jpg" for n in train["name"]], public / "train.7z", folder="train")
        write_files(photos, [f"{n}.jpg" for n in test["name"]], public / "test.7z", folder="test")
