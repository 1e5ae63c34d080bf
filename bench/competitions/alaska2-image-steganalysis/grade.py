"""alaska2-image-steganalysis: the weighted AUC (`bench.metrics` `weighted_roc_auc`, MLE-bench's
computation) after MLE-bench's checks: row count, `Id` and `Label` columns, ids paired after
sorting, labels convertible to numbers, no empty label."""

from __future__ import annotations

import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns, require_rows, sorted_pair
from bench.metrics.classification import weighted_roc_auc


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    require_columns(submission, ["Id", "Label"])
    sub, ans = sorted_pair(submission, answers, "Id")
    try:
        scores = sub["Label"].astype(float)
    except (ValueError, TypeError):
        raise InvalidSubmissionError("column 'Label' must hold numbers (a score per image)") from None
    if scores.isnull().any():
        raise InvalidSubmissionError("column 'Label' has empty cells; give a score for every image")
    return weighted_roc_auc(ans["Label"].astype(float).to_numpy(), scores.to_numpy())
