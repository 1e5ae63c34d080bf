"""rsna-miccai-brain-tumor-radiogenomic-classification: MLE-bench's 90/10 split of the patients.

`train_labels.csv` is read with the ids as text (they are five-digit, zero-padded folder names),
split with `train_test_split(test_size=0.1, random_state=0)`, and each patient's folder
(`<id>/{FLAIR,T1w,T1wCE,T2w}/Image-<n>.dcm`) is copied file by file from the raw `train/` into
`public/train/` or `public/test/`. Public: `train_labels.csv`, `sample_submission.csv` (every
`MGMT_value` 0.5). Private: `test.csv` (`BraTS21ID,MGMT_value`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.preparers import RawTree, copy_folder, locate, split


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(locate(raw, "train_labels.csv"), dtype={"BraTS21ID": str, "MGMT_value": int})
    train, test = split(labels, 0.1, 0)
    with RawTree(raw, "train") as tree:
        for part, dest in ((train, public / "train"), (test, public / "test")):
            dest.mkdir(parents=True, exist_ok=True)
            for patient in part["BraTS21ID"]:
                copy_folder(tree, patient, dest / patient)
    train.to_csv(public / "train_labels.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.assign(MGMT_value=0.5).to_csv(public / "sample_submission.csv", index=False)

