"""freesound-audio-tagging-2019: label-weighted label-ranking average precision (lwlrap).

MLE-bench's checks, in its order: the row count; `fname` as the first column; the other columns
exactly the answers' classes, in order; ids equal after sorting both files by `fname`; every
prediction a number. The score is scikit-learn's `label_ranking_average_precision_score` of the
clips with at least one true label, each weighted by its number of true labels (which makes the
average run over labels).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import label_ranking_average_precision_score

from bench.errors import InvalidSubmissionError
from bench.graders import computed, ids, require_rows, sort_by


def lwlrap(truth: np.ndarray, scores: np.ndarray) -> float:
    weights = np.sum(truth > 0, axis=1)
    scored = np.flatnonzero(weights > 0)
    return computed(label_ranking_average_precision_score, truth[scored, :] > 0, scores[scored, :],
                    sample_weight=weights[scored])


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    if len(submission.columns) == 0 or submission.columns[0] != "fname":
        raise InvalidSubmissionError("the first column must be 'fname'")
    if list(submission.columns[1:]) != list(answers.columns[1:]):
        raise InvalidSubmissionError("the columns after 'fname' must be the 80 classes, in the sample's order")
    sub, ans = sort_by(submission, "fname").reset_index(drop=True), sort_by(answers, "fname").reset_index(drop=True)
    if (ids(sub, "fname") != ids(ans, "fname")).any():
        raise InvalidSubmissionError("the submission's fname values must be the test set's")
    try:
        scores = sub.iloc[:, 1:].apply(pd.to_numeric).to_numpy(dtype=float)
    except (ValueError, TypeError) as exc:
        raise InvalidSubmissionError(f"every prediction must be a number ({exc})") from None
    return lwlrap(ans.iloc[:, 1:].to_numpy(), scores)
