"""whale-categorization-playground: MLE-bench's split, which keeps every whale seen in training.

Walking the distinct whale ids of `train.csv` in order of first appearance: a whale with two or
more images gets two of them (pandas' `sample(2, random_state=0)` of its rows) as one train and
one test image; a whale with one image sends it to test with probability 0.1 (one
`numpy.random.default_rng(0).choice` per such whale, in the same order). The images left are split
with test_size 0.1, random_state 0. Both parts keep the file's row order. A test image whose whale
has no train image is relabelled `new_whale`. Public: `train.csv`, `train/` and `test/` (the
images), the sample (every row the same five guesses). Private: `test.csv`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.copying import copy_each
from bench.preparers import FileSource, read_table, split

TEST_SHARE = 0.1
SAMPLE_GUESS = "new_whale w_1287fbc w_98baff9 w_7554f44 w_1eafe46"


def prepare(raw: Path, public: Path, private: Path) -> None:
    table = read_table(raw, "train.csv")
    part = np.full(len(table), "undecided", dtype=object)
    rng = np.random.default_rng(0)
    position = {label: k for k, label in enumerate(table.index)}
    for _, images in table.groupby("Id", sort=False):
        if len(images) >= 2:
            chosen = images.sample(2, random_state=0)
            part[position[chosen.index[0]]], part[position[chosen.index[1]]] = "train", "test"
        else:
            part[position[images.index[0]]] = rng.choice(["train", "test"], replace=False,
                                                          p=[1 - TEST_SHARE, TEST_SHARE])
    rest_train, rest_test = split(table[part == "undecided"], test_size=TEST_SHARE, random_state=0)
    part[[position[i] for i in rest_train.index]] = "train"
    part[[position[i] for i in rest_test.index]] = "test"
    train, answers = table[part == "train"].copy(), table[part == "test"].copy()
    answers.loc[~answers["Id"].isin(set(train["Id"])), "Id"] = "new_whale"
    answers.to_csv(private / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    answers.assign(Id=SAMPLE_GUESS).to_csv(public / "sample_submission.csv", index=False)
    with FileSource(raw, "train", ".jpg") as photos:
        for rows, folder in ((train, "train"), (answers, "test")):
            copy_each(photos.read, ((name, public / folder / name) for name in rows["Image"]), f"{folder} images")
