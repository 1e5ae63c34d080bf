"""osic-pulmonary-fibrosis-progression: MLE-bench's 90/10 split of the training patients.

The groups of `train.csv` by `Patient` (sorted by id) are split with
`train_test_split(test_size=0.1, random_state=0)`. Public: `train.csv` (the train patients' rows),
`test.csv` (each test patient's first visit: `groupby("Patient").first()` after sorting by
`Weeks`), `sample_submission.csv` (`Patient_Week,FVC,Confidence` = 2000, 100), and each patient's
CT folder copied file by file into `train/` or `test/`. Private: `test.csv`, one row per test
patient and week from the test set's smallest to its largest week (weeks without a visit have
empty measurements), plus `Patient_Week` and `Confidence` 100.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from bench.preparers import RawTree, copy_folder, read_table, split

logger = logging.getLogger(__name__)


def prepare(raw: Path, public: Path, private: Path) -> None:
    table = read_table(raw, "train.csv")
    train_groups, test_groups = split(list(table.groupby("Patient")), 0.1, 0)
    train = pd.concat([group for _, group in train_groups])
    test = pd.concat([group for _, group in test_groups])
    first_visits = test.sort_values(by="Weeks").groupby("Patient").first().reset_index()
    weeks = range(test["Weeks"].min(), test["Weeks"].max() + 1)
    grid = pd.DataFrame([(p, w) for p in test["Patient"].unique() for w in weeks], columns=["Patient", "Weeks"])
    answers = grid.merge(test, on=["Patient", "Weeks"], how="left")
    answers["Patient_Week"] = answers["Patient"] + "_" + answers["Weeks"].astype(str)
    answers["Confidence"] = 100
    sample = answers[["Patient_Week"]].copy()
    sample["FVC"] = 2000
    sample["Confidence"] = 100
    train.to_csv(public / "train.csv", index=False)
    first_visits.to_csv(public / "test.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    with RawTree(raw, "train") as tree:
        for patients, dest in ((train["Patient"].unique(), "train"), (test["Patient"].unique(), "test")):
            logger.info("copying the CT scans of %d patients into %s/", len(patients), dest)
            (public / dest).mkdir(exist_ok=True)
            for patient in patients:
                copy_folder(tree, patient, public / dest / patient)
