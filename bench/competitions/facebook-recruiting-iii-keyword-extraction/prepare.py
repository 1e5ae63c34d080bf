"""facebook-recruiting-iii-keyword-extraction: MLE-bench's 90/10 split of Kaggle's Train.csv.

The table is read from inside `Train.zip` (never extracted beside the user's files) with `Id` and
`Tags` as text, as MLE-bench reads it, and split with scikit-learn as there. The split shuffles
the rows, so the table is held in memory whole (as MLE-bench's preparer holds it). Public:
`train.csv`, `test.csv` (without `Tags`), a sample submission tagging every question
`javascript c# python php java`. Private: `test.csv` (the test rows with their tags).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from bench.graders import _ROUND_TRIP
from bench.preparers import locate, split


def prepare(raw: Path, public: Path, private: Path) -> None:
    train, test = split(_read_train(raw), 0.1, 0)
    unlabelled = test.drop(columns=["Tags"])
    train.to_csv(public / "train.csv", index=False)
    unlabelled.to_csv(public / "test.csv", index=False)
    unlabelled.assign(Tags="javascript c# python php java").to_csv(public / "sample_submission.csv", index=False)
    test.to_csv(private / "test.csv", index=False)


def _read_train(raw: Path) -> pd.DataFrame:
    path = locate(raw, "Train.csv")
    text_columns = {"Id": str, "Tags": str}
    if path.name == "Train.csv":
        return pd.read_csv(path, dtype=text_columns, **_ROUND_TRIP)
    with zipfile.ZipFile(path) as zf, zf.open("Train.csv") as member:
        return pd.read_csv(member, dtype=text_columns, **_ROUND_TRIP)
