"""ventilator-pressure-prediction: mean absolute error over the inspiratory steps, as MLE-bench grades.

MLE-bench checks the columns and the row count, sorts both files by `id`, requires the ids to agree
row by row, then keeps only the steps whose answer row has `u_out == 0` (the expiratory phase is
not scored) and takes scikit-learn's MAE of `pressure`.
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import mean_absolute_error

from bench.graders import computed, require_columns, require_rows, sorted_pair


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["id", "pressure"])
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, "id")
    scored = (ans["u_out"] == 0).to_numpy()
    return computed(mean_absolute_error, ans["pressure"].to_numpy()[scored], sub["pressure"].to_numpy()[scored])
