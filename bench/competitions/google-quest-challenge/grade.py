"""google-quest-challenge: mean column-wise Spearman correlation, with MLE-bench's checks.

As MLE-bench: `qa_id` and the 30 target columns must be there and no other column; the row count
right; both frames sorted by `qa_id` and paired by position (the ids are not compared); scipy's
`spearmanr` per target column, then the plain mean (NaN when a column is constant or holds NaN).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy.stats import ConstantInputWarning, spearmanr

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns, require_rows, sort_by

TARGETS: list[str] = yaml.safe_load(Path(__file__).with_name("competition.yaml").read_text())["targets"]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["qa_id", *TARGETS])
    if len(submission.columns) != len(TARGETS) + 1:
        raise InvalidSubmissionError(f"the submission must hold qa_id and the {len(TARGETS)} target columns only")
    require_rows(submission, answers)
    sub, ans = sort_by(submission, "qa_id"), sort_by(answers, "qa_id")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantInputWarning)  # a constant column scores NaN, as there
        rhos = [computed(lambda a, b: spearmanr(a, b).correlation, sub[c], ans[c]) for c in TARGETS]
    return float(np.mean(rhos))
