"""rsna-breast-cancer-detection: probabilistic F1 (pF1) per breast, with MLE-bench's checks.

The id and `cancer` columns must be present and the row counts equal; both files are sorted by
`prediction_id`, whose values must then agree row by row. Each prediction is clipped to [0, 1]
(an empty cell stays NaN and makes the score 0, as Python's min/max do in MLE-bench); with the
probabilistic counts ctp = sum of p over cancers, cfp = sum of p over the rest,
precision = ctp / (ctp + cfp), recall = ctp / (number of cancers), the score is their harmonic
mean, or 0 when either is not positive. Sums are taken in row order, as MLE-bench's loop does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns, require_rows, sorted_pair


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["prediction_id", "cancer"])
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, "prediction_id")
    try:
        return _pf1(ans["cancer"].to_numpy(), sub["cancer"].to_numpy())
    except TypeError:
        raise InvalidSubmissionError("column 'cancer' must hold numbers") from None


def _pf1(labels: np.ndarray, predictions: np.ndarray) -> float:
    positives, ctp, cfp = 0, 0, 0
    for label, value in zip(labels, predictions):
        p = min(max(value, 0), 1)  # Python's min/max: a NaN passes through
        if label:
            positives += 1
            ctp += p
        else:
            cfp += p
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.float64(ctp) / np.float64(ctp + cfp)
        recall = np.float64(ctp) / np.float64(positives)
    if precision > 0 and recall > 0:
        return float(2 * precision * recall / (precision + recall))
    return 0.0
