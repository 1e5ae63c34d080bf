"""predict-volcanic-eruptions-ingv-oe: mean absolute error, rounded to a whole number, as MLE-bench grades.

MLE-bench checks the columns, then that the submission's set of segment ids is the test set's (a
repeated id passes), pairs rows with an inner merge of the answers and the submission on
`segment_id` (a repeated id adds a row), and returns `int(round(mae))` (half to even:
bench/DEVIATIONS.md K4).
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import mean_absolute_error

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns

TARGET = "time_to_eruption"


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, [TARGET, "segment_id"])
    if set(submission["segment_id"]) != set(answers["segment_id"]):
        raise InvalidSubmissionError("the submission's segment_id values must be the test set's")
    merged = answers.merge(submission[["segment_id", TARGET]], on="segment_id", suffixes=("_true", "_pred"))
    score = computed(mean_absolute_error, merged[f"{TARGET}_true"], merged[f"{TARGET}_pred"])
    return int(round(score))
