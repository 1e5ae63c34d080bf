"""rsna-2022-cervical-spine-fracture-detection: the competition's weighted multi-label log loss,
with MLE-bench's checks.

`row_id` and `fractured` must be present, every `fractured` within [0, 1] (an empty cell fails
that check first) and none missing; the row counts equal and both files sorted by `row_id` agree row by row. Each side
is then pivoted back to one row per study (`row_id` split at its first `_`), sorted by study.
Per study, the binary log losses (predictions clipped to [1e-15, 1 - 1e-15]) of
`patient_overall, C1 .. C7` are averaged with weights 7, 1, .., 1 for a negative answer and
14, 2, .., 2 for a positive one; the score is the mean over studies (lower is better).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns, require_rows, sorted_pair

TARGETS = ["patient_overall", "C1", "C2", "C3", "C4", "C5", "C6", "C7"]
NEGATIVE_WEIGHTS = np.array([7, 1, 1, 1, 1, 1, 1, 1], dtype=np.float32)
POSITIVE_WEIGHTS = np.array([14, 2, 2, 2, 2, 2, 2, 2], dtype=np.float32)
EPS = 1e-15


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["row_id"])
    require_columns(submission, ["fractured"])
    try:
        inside = submission["fractured"].between(0, 1).all()
    except TypeError:
        raise InvalidSubmissionError("column 'fractured' must hold numbers") from None
    if not inside:
        raise InvalidSubmissionError("every 'fractured' value must lie in [0, 1] (none empty)")
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, "row_id")
    y_true, y_pred = _per_study(ans), _per_study(sub)
    return _weighted_log_loss(y_true, y_pred)


def _per_study(frame: pd.DataFrame) -> np.ndarray:
    """One row per study (sorted), the eight targets as columns."""
    parts = frame["row_id"].str.split("_", n=1, expand=True)
    wide = frame.assign(study=parts[0], target=parts[1]).pivot(index="study", columns="target", values="fractured")
    return wide.reset_index().sort_values(by="study")[TARGETS].to_numpy()


def _weighted_log_loss(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    p = np.clip(y_pred, EPS, 1 - EPS)
    loss = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
    weights = y_true * POSITIVE_WEIGHTS + (1 - y_true) * NEGATIVE_WEIGHTS
    return float(np.mean(np.sum(loss * weights, axis=1) / weights.sum(axis=1)))
