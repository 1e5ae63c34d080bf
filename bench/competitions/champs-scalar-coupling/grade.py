"""champs-scalar-coupling: mean over coupling types of log(MAE), as MLE-bench grades.

MLE-bench checks the columns and that the submission's set of ids is the test set's (a repeated id
passes), merges the answers with the submission on `id` (a repeated id adds a row), and averages
`log(mean_absolute_error)` over the groups of `type`. A type predicted exactly gives log(0) = -inf,
so the score is -inf (Kaggle floors each MAE at 1e-9: bench/DEVIATIONS.md K-F1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns

TARGET = "scalar_coupling_constant"


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, [TARGET, "id"])
    if set(submission["id"]) != set(answers["id"]):
        raise InvalidSubmissionError("the submission's ids must be the test set's")
    merged = answers.merge(submission[["id", TARGET]], on="id", suffixes=("_true", "_pred"))
    with np.errstate(divide="ignore"):  # a type predicted exactly: log(0) = -inf, as MLE-bench
        logs = [np.log(computed(mean_absolute_error, group[f"{TARGET}_true"], group[f"{TARGET}_pred"]))
                for _, group in merged.groupby("type")]
    return float(np.mean(logs))
