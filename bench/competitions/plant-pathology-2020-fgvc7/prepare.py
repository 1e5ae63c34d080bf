"""plant-pathology-2020-fgvc7: MLE-bench's 90/10 split, images renamed by split.

`train.csv` is split (random_state 0); the images of the train part are renamed `Train_<k>` and
those of the held-out part `Test_<k>` (k from 0 in split order), in the tables and in public
`images/`. The sample submission gives 0.25 to each class.
"""

from __future__ import annotations

from pathlib import Path

from bench.preparers import RawTree, read_table, split

CLASSES = ["healthy", "multiple_diseases", "rust", "scab"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    labelled = read_table(raw, "train.csv")
    train, answers = split(labelled, test_size=0.1, random_state=0)
    new_name = {**{old: f"Train_{i}" for i, old in enumerate(train["image_id"].unique())},
                **{old: f"Test_{i}" for i, old in enumerate(answers["image_id"].unique())}}
    train = train.assign(image_id=train["image_id"].replace(new_name))
    answers = answers.assign(image_id=answers["image_id"].replace(new_name))
    with RawTree(raw, "images") as images:
        for old in labelled["image_id"]:
            images.copy(f"{old}.jpg", public / "images" / f"{new_name.get(old, old)}.jpg")
    answers.to_csv(private / "test.csv", index=False)
    answers[["image_id"]].assign(**{c: 0.25 for c in CLASSES}).to_csv(public / "sample_submission.csv", index=False)
    answers[["image_id"]].to_csv(public / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
