"""iwildcam-2019-fgvc6: MLE-bench's split of the camera-trap images by camera location.

The distinct `location`s of `train.csv` (in order of first appearance) are split with test_size
0.1, random_state 8; every image of a test location is a test image, so no camera is in both
parts. Public: `train.csv`, `test.csv` (the test rows without `category_id`), the sample (every
`Category` 0, written with pandas' row index as a first, unnamed column, as MLE-bench writes it),
and `train_images.zip` / `test_images.zip` (`<id>.jpg` at the top, from raw `train_images.zip`).
Private: `test.csv` (the test rows) and `answers.csv` (`Id,Category`).
"""

from __future__ import annotations

from pathlib import Path

from bench.copying import zip_each
from bench.preparers import FileSource, read_table, split


def prepare(raw: Path, public: Path, private: Path) -> None:
    table = read_table(raw, "train.csv")
    _, test_locations = split(table["location"].unique(), test_size=0.1, random_state=8)
    in_test = table["location"].isin(test_locations)
    train, answers = table[~in_test], table[in_test]
    answers.to_csv(private / "test.csv", index=False)
    gold = answers[["id", "category_id"]].rename(columns={"id": "Id", "category_id": "Category"})
    gold.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    answers.drop(columns=["category_id"]).to_csv(public / "test.csv", index=False)
    gold.assign(Category=0).to_csv(public / "sample_submission.csv", index=True)
    with FileSource(raw, "train_images", ".jpg") as images:
        for part, name in ((train, "train_images"), (answers, "test_images")):
            zip_each(images.read, ((f"{i}.jpg", f"{i}.jpg") for i in part["id"]), public / f"{name}.zip", name)
