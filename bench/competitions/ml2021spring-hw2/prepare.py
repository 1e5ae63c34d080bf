"""ml2021spring-hw2: MLE-bench's split of the labelled TIMIT frames.

The frames of `train_11.npy` are split with Kaggle's test share (|test_11| / (|train_11| +
|test_11|)), random_state 0. Public `timit_11/timit_11/`: `train_11.npy`, `train_label_11.npy` (the
train part) and `test_11.npy` (the held-out frames); `sampleSubmission.csv` gives class 0 to every
held-out frame; answers: `Id` 0, 1, ... in split order, `ClassId` the frame's phoneme class.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bench.preparers import split

FOLDER = Path("timit_11") / "timit_11"


def prepare(raw: Path, public: Path, private: Path) -> None:
    frames = np.load(raw / FOLDER / "train_11.npy")
    labels = np.load(raw / FOLDER / "train_label_11.npy")
    kaggle_test = len(np.load(raw / FOLDER / "test_11.npy", mmap_mode="r"))
    train_idx, test_idx = split(range(len(frames)), test_size=kaggle_test / (len(frames) + kaggle_test), random_state=0)
    out = public / FOLDER
    out.mkdir(parents=True)
    np.save(out / "train_11.npy", frames[train_idx])
    np.save(out / "train_label_11.npy", labels[train_idx])
    np.save(out / "test_11.npy", frames[test_idx])
    answers = pd.DataFrame({"Id": range(len(test_idx)), "ClassId": labels[test_idx]})
    answers.assign(ClassId=0).to_csv(public / "sampleSubmission.csv", index=False)
    answers.to_csv(private / "answers.csv", index=False)
