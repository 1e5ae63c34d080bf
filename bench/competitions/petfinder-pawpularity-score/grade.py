"""petfinder-pawpularity-score: RMSE of the Pawpularity scores, with MLE-bench's checks.

Every prediction must lie in [1, 100] (an empty cell fails); rows are paired by `Id` after sorting.
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import root_mean_squared_error

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns, require_rows, sorted_pair


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["Id", "Pawpularity"])
    try:
        inside = bool(submission["Pawpularity"].between(1, 100).all())
    except TypeError:
        raise InvalidSubmissionError("column 'Pawpularity' must hold numbers") from None
    if not inside:
        raise InvalidSubmissionError("every Pawpularity must lie in [1, 100]")
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, "Id")
    return computed(root_mean_squared_error, ans["Pawpularity"].to_numpy(), sub["Pawpularity"].to_numpy())
