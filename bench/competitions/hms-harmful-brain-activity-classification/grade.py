"""hms-harmful-brain-activity-classification: Kaggle's KL divergence, with MLE-bench's checks.

In MLE-bench's order: the `eeg_id` and six vote columns must be present, the row counts equal,
each row's six predictions sum to 1 once rounded to 5 decimals, and the sets of `eeg_id`s equal.
Both files are then sorted by `eeg_id` (pandas' default sort: an EEG has several rows, which
pair up in that sort's order) and the answers' votes divided by their row sum. Kaggle's checks
follow on every submission column but the id (extra columns included): numbers only, within
[0, 1], rows summing to 1 (`np.allclose`). Score: predictions clipped to [1e-15, 1 - 1e-15]
(not whole-number columns, as under MLE-bench's pandas 2), per row the sum over classes with a
nonzero answer of y * ln(y / p) (pandas' sum, which skips an empty cell), averaged over rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns, require_rows, sort_by

VOTES = ["seizure_vote", "lpd_vote", "gpd_vote", "lrda_vote", "grda_vote", "other_vote"]
EPS = 1e-15


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["eeg_id"])
    require_columns(submission, VOTES)
    require_rows(submission, answers)
    try:
        sums_to_one = submission[VOTES].sum(axis=1).apply(lambda x: round(x, 5) == 1).all()
    except (TypeError, ValueError):
        raise InvalidSubmissionError("the six vote columns must hold numbers") from None
    if not sums_to_one:
        raise InvalidSubmissionError("each row's six probabilities must sum to 1")
    if set(answers["eeg_id"]) != set(submission["eeg_id"]):
        raise InvalidSubmissionError("the submission's eeg_id values must be the test set's")
    sub = sort_by(submission, "eeg_id").reset_index(drop=True).drop(columns=["eeg_id"])
    ans = sort_by(answers, "eeg_id").reset_index(drop=True)[VOTES].astype(float)
    ans = ans.div(ans.sum(axis=1), axis=0)
    _kaggle_probability_checks(sub)
    return _kl_divergence(ans, sub)


def _kaggle_probability_checks(sub: pd.DataFrame) -> None:
    if not pd.api.types.is_numeric_dtype(sub.values):
        raise InvalidSubmissionError("every submission column but eeg_id must hold numbers")
    if sub.min().min() < 0 or sub.max().max() > 1:
        raise InvalidSubmissionError("every prediction must lie in [0, 1]")
    if not np.allclose(sub.sum(axis=1), 1):
        raise InvalidSubmissionError("the predictions of each row (all columns but eeg_id) must sum to 1")


def _kl_divergence(ans: pd.DataFrame, sub: pd.DataFrame) -> float:
    terms = pd.DataFrame(index=ans.index)
    for column in VOTES:
        y, p = ans[column], _clipped(sub[column])
        with np.errstate(divide="ignore", invalid="ignore"):  # y = 0 terms are replaced by 0
            terms[column] = np.where(y != 0, y * np.log(y / p), 0.0)
    return float(np.average(terms.sum(axis=1)))


def _clipped(column: pd.Series) -> pd.Series:
    """Kaggle's clip as it acts under MLE-bench's pandas 2: a whole-number column (only 0 and 1
    get this far) is left as it is, so a 0 where the experts voted scores infinity."""
    if pd.api.types.is_integer_dtype(column):
        return column
    return np.clip(column, EPS, 1 - EPS)
