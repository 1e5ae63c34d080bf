"""histopathologic-cancer-detection: MLE-bench's split of the labelled patches.

The test share is Kaggle's: |raw test/| / (|train_labels.csv| + |raw test/|). The ids of
`train_labels.csv` are split with it (random_state 0); the two parts keep the file's row order.
Patches (`<id>.tif`) of raw `train/` go to public `train/` and `test/`; the sample gives label 0.
"""

from __future__ import annotations

from pathlib import Path

from bench.preparers import FileSource, read_table, split, write_files


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_table(raw, "train_labels.csv")
    kaggle_test = FileSource(raw, "test", ".tif")
    test_share = len(kaggle_test.names()) / (len(labels) + len(kaggle_test.names()))
    kaggle_test.close()
    train_ids, test_ids = split(labels["id"], test_size=test_share, random_state=0)
    train, test = labels[labels["id"].isin(train_ids)], labels[labels["id"].isin(test_ids)]
    patches = FileSource(raw, "train", ".tif")
    try:
        write_files(patches, [f"{i}.tif" for i in train_ids], public / "train")
        write_files(patches, [f"{i}.tif" for i in test_ids], public / "test")
    finally:
        patches.close()
    train.to_csv(public / "train_labels.csv", index=False)
    test.to_csv(private / "answers.csv", index=False)
    test.assign(label=0).to_csv(public / "sample_submission.csv", index=False)
