"""hubmap-kidney-segmentation: MLE-bench's split of Kaggle's 15 labelled kidney slides.

`train.csv` (id, encoding) is split into exactly 12 train and 3 test slides (random_state 0). Public:
`train.csv`, `HuBMAP-20-dataset_information.csv` (the rows of the 15 labelled slides),
`train/` and `test/` with each slide's `<id>.tiff`, `<id>.json` and `<id>-anatomical-structure.json`,
`sample_submission.csv` (test ids, empty `predicted`; a copy also in `test/`). Private: `test.csv`
(id, encoding, width_pixels, height_pixels) and `gold_submission.csv` (id, predicted). Slides are
copied one file at a time from the folder or zip, never unpacked beside the raw data.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from sklearn.model_selection import train_test_split

from bench.preparers import RawTree, read_table

log = logging.getLogger(__name__)
INFO = "HuBMAP-20-dataset_information.csv"


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_table(raw, "train.csv")
    if len(labels) != 15:
        raise ValueError(f"train.csv should list Kaggle's 15 labelled slides, it lists {len(labels)}")
    train, test = train_test_split(labels, train_size=12, test_size=3, random_state=0)
    info = read_table(raw, INFO)
    info["id"] = info["image_file"].str.replace(".tiff", "", regex=False)
    info = info[info["id"].isin(labels["id"])]
    test = test.merge(info[["id", "width_pixels", "height_pixels"]], on="id")
    info.drop(columns=["id"]).to_csv(public / INFO, index=False)
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    sample = test[["id"]].assign(predicted="")
    sample.to_csv(public / "sample_submission.csv", index=False)
    sample.assign(predicted=test["encoding"]).to_csv(private / "gold_submission.csv", index=False)
    with RawTree(raw, "train") as tree:
        for part, ids in (("train", train["id"]), ("test", test["id"])):
            for n, slide in enumerate(ids, 1):
                for suffix in (".tiff", ".json", "-anatomical-structure.json"):
                    tree.copy(f"{slide}{suffix}", public / part / f"{slide}{suffix}")
                log.info("copied slide %d of %d into %s", n, len(ids), part)
    shutil.copy(public / "sample_submission.csv", public / "test" / "sample_submission.csv")

