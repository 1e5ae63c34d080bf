"""google-quest-challenge: MLE-bench's 90/10 split of Kaggle's train.csv.

`question_type_spelling` is almost always 0, and a Spearman correlation needs variation: when the
test part has one value only, MLE-bench swaps the first test row with the first train row whose
value is not 0 (the rows' contents are exchanged, their index labels stay). Public: `train.csv`
(41 columns), `test.csv` (the 11 non-target columns), a sample submission whose every target
column rises linearly from 0 to 1 down the rows. Private: `test.csv` (`qa_id` and the 30 targets).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from bench.preparers import read_table, split

TARGETS: list[str] = yaml.safe_load(Path(__file__).with_name("competition.yaml").read_text())["targets"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    train, test = split(read_table(raw, "train.csv"), 0.1, 0)
    if test["question_type_spelling"].nunique() == 1:
        donor = train[train["question_type_spelling"] != 0].index[0]
        first_test_row = test.iloc[0].copy()
        test.iloc[0] = train.loc[donor].copy()
        train.loc[donor] = first_test_row
    answers = test[["qa_id", *TARGETS]]
    sample = answers.copy()
    sample[TARGETS] = np.tile(np.linspace(0, 1, len(sample))[:, None], (1, len(TARGETS)))
    answers.to_csv(private / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=TARGETS).to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
