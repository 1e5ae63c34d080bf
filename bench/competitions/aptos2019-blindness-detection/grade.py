"""aptos2019-blindness-detection: quadratic weighted kappa, with MLE-bench's checks.

MLE-bench compares the sets of ids (not their counts) and pairs rows after sorting both files by
`id_code`; scikit-learn's `cohen_kappa_score` then refuses lists of different lengths.
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import cohen_kappa_score

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns, sort_by


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["diagnosis"])
    if submission.empty:
        raise InvalidSubmissionError("the submission has no rows")
    require_columns(submission, ["id_code"])
    if set(submission["id_code"]) != set(answers["id_code"]):
        raise InvalidSubmissionError("the submission's id_code values must be the test set's")
    sub, ans = sort_by(submission, "id_code"), sort_by(answers, "id_code")
    return computed(cohen_kappa_score, sub["diagnosis"].to_numpy(), ans["diagnosis"].to_numpy(), weights="quadratic")
