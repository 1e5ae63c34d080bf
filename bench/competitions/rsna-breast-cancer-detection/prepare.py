"""rsna-breast-cancer-detection: MLE-bench's 90/10 split of the training patients.

The distinct `patient_id`s of `train.csv` (in order of appearance) are split with
`train_test_split(test_size=0.1, random_state=42)`. Public: `train.csv` (the train patients'
rows), `test.csv` (the test patients' images: `site_id, patient_id, image_id, laterality, view,
age, implant, machine_id, prediction_id` with `prediction_id` = `<patient_id>_<laterality>`),
`sample_submission.csv` (one row per `prediction_id`, sorted, `cancer` = the train rows' mean),
and every image `<patient_id>/<image_id>.dcm` copied one at a time into `train_images/` or
`test_images/`. Private: `answers.csv` (`prediction_id,cancer`, the first row of each breast).
"""

from __future__ import annotations

import logging
from pathlib import Path

from bench.preparers import RawTree, read_table, split

logger = logging.getLogger(__name__)

TEST_COLUMNS = ["site_id", "patient_id", "image_id", "laterality", "view", "age", "implant", "machine_id"]
LOG_EVERY = 5000


def prepare(raw: Path, public: Path, private: Path) -> None:
    table = read_table(raw, "train.csv")
    train_patients, test_patients = (set(p) for p in split(table["patient_id"].unique(), 0.1, 42))
    train = table[table["patient_id"].isin(train_patients)].copy()
    test = table[table["patient_id"].isin(test_patients)][[*TEST_COLUMNS, "cancer"]].copy()
    train.to_csv(public / "train.csv", index=False)
    test["prediction_id"] = test["patient_id"].astype(str) + "_" + test["laterality"]
    test.drop(columns=["cancer"]).to_csv(public / "test.csv", index=False)
    answers = test[["prediction_id", "cancer"]].groupby("prediction_id").first().reset_index()
    answers.to_csv(private / "answers.csv", index=False)
    answers.assign(cancer=train["cancer"].mean()).to_csv(public / "sample_submission.csv", index=False)
    with RawTree(raw, "train_images") as images:
        for part, dest in ((train, public / "train_images"), (test, public / "test_images")):
            _copy_images(images, part, dest)


def _copy_images(images: RawTree, part, dest: Path) -> None:
    """`<patient_id>/<image_id>.dcm` of every row, one file at a time (mammograms are large)."""
    for done, (patient, image) in enumerate(zip(part["patient_id"], part["image_id"]), 1):
        images.copy(f"{patient}/{image}.dcm", dest / str(patient) / f"{image}.dcm")
        if done % LOG_EVERY == 0:
            logger.info("%s: %d of %d images copied", dest.name, done, len(part))
    dest.mkdir(parents=True, exist_ok=True)
