"""paddy-disease-classification: MLE-bench's 75/25 split of the labelled images.

`train.csv` (`image_id,label,variety,age`) is split with train_size 0.75 (random_state 0). Images
(`train_images/<label>/<image_id>`) go to public `train_images/<label>/` or, for the held-out part,
`test_images/` (no label folder). The sample submission leaves every label empty.
"""

from __future__ import annotations

from pathlib import Path

from sklearn.model_selection import train_test_split

from bench.preparers import RawTree, read_table


def prepare(raw: Path, public: Path, private: Path) -> None:
    labelled = read_table(raw, "train.csv")
    train, test = train_test_split(labelled, train_size=0.75, random_state=0)
    train.to_csv(public / "train.csv", index=False)
    test[["image_id", "label"]].assign(label="").to_csv(public / "sample_submission.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    with RawTree(raw, "train_images") as images:
        for label, image in zip(train["label"], train["image_id"]):
            images.copy(f"{label}/{image}", public / "train_images" / label / image)
        for label, image in zip(test["label"], test["image_id"]):
            images.copy(f"{label}/{image}", public / "test_images" / image)
