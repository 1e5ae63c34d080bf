"""vinbigdata-chest-xray-abnormalities-detection: MLE-bench's split of Kaggle's annotated radiographs.

`train.csv` (one row per radiologist's box: image_id, class_name, class_id, rad_id, x_min, y_min,
x_max, y_max; class 14 "No finding" without a box) is split by image (10% of the distinct image
ids, random_state 0). Public: `train.csv` (the train images' rows), `train/<id>.dicom`,
`test/<id>.dicom` (copied one at a time) and `sample_submission.csv` ("14 1 0 0 1 1" for each test
image). Private: `answers.csv`: the test rows reduced to one per (image, class) by pandas'
`groupby(...).first()` (MLE-bench's stand-in for the radiologists' consensus), missing coordinates
0 and "No finding" boxes (0, 0, 1, 1); `gold_submission.csv` (those boxes with confidence 1.0).
MLE-bench's preparer also asserts Kaggle's full counts (13,500 train and 1,500 test images); ours
does not, so it runs on any tree (bench/DEVIATIONS.md P-D1).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from bench.preparers import RawTree, read_table, split

log = logging.getLogger(__name__)
PROGRESS_EVERY = 1000


def prepare(raw: Path, public: Path, private: Path) -> None:
    rows = read_table(raw, "train.csv")
    train_ids, test_ids = split(rows["image_id"].unique(), test_size=0.1, random_state=0)
    answers = _consensus(rows[rows["image_id"].isin(test_ids)])
    rows[rows["image_id"].isin(train_ids)].to_csv(public / "train.csv", index=False)
    pd.DataFrame({"image_id": test_ids, "PredictionString": "14 1 0 0 1 1"}).to_csv(
        public / "sample_submission.csv", index=False)
    answers.to_csv(private / "answers.csv", index=False)
    _gold(answers).to_csv(private / "gold_submission.csv", index=False)
    (public / "train").mkdir(exist_ok=True)
    (public / "test").mkdir(exist_ok=True)
    with RawTree(raw, "train") as tree:
        for side, ids in (("train", train_ids), ("test", test_ids)):
            for n, image_id in enumerate(ids, 1):
                tree.copy(f"{image_id}.dicom", public / side / f"{image_id}.dicom")
                if n % PROGRESS_EVERY == 0:
                    log.info("copied %d of %d images into %s", n, len(ids), side)


def _consensus(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (image, class): each column's first non-missing value; "No finding" as (0, 0, 1, 1)."""
    answers = rows.groupby(by=["image_id", "class_id"]).first().reset_index().fillna(0)
    answers.loc[answers["class_id"] == 14, ["x_max", "y_max"]] = 1.0
    return answers


def _gold(answers: pd.DataFrame) -> pd.DataFrame:
    """Each answer box with confidence 1.0, one PredictionString per image."""
    boxes = [f"{c} 1.0 {x1} {y1} {x2} {y2}" for c, x1, y1, x2, y2 in
             zip(answers["class_id"].tolist(), *(answers[k].tolist() for k in ("x_min", "y_min", "x_max", "y_max")))]
    gold = pd.DataFrame({"image_id": answers["image_id"], "PredictionString": boxes})
    return gold.groupby("image_id")["PredictionString"].agg(" ".join).reset_index()
