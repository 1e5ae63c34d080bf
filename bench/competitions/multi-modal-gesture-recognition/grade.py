"""multi-modal-gesture-recognition: summed edit distance over the true gesture count, as MLE-bench grades.

MLE-bench checks the row count and the columns, sorts both files by `Id` (read as numbers: `0300`
is 300), requires the ids to agree, turns each `Sequence` into integers split on whitespace (a
cell that is empty or not integers makes the submission invalid), and divides the sum of the
Levenshtein distances between true and predicted lists by the number of true gestures.
"""

from __future__ import annotations

import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import ids, require_columns, require_rows, sort_by
from bench.metrics.text import levenshtein


def _gestures(values: pd.Series) -> list[list[int]]:
    return [[int(token) for token in str(cell).split()] for cell in values]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    require_columns(submission, ["Id", "Sequence"])
    sub, ans = sort_by(submission, "Id"), sort_by(answers, "Id")
    if (ids(sub, "Id") != ids(ans, "Id")).any():
        raise InvalidSubmissionError("the submission's Id values must be the test set's")
    truth = _gestures(ans["Sequence"])
    try:
        predicted = _gestures(sub["Sequence"])
    except ValueError as exc:
        raise InvalidSubmissionError(f"each Sequence must be integers separated by spaces ({exc})") from None
    return sum(levenshtein(t, p) for t, p in zip(truth, predicted)) / sum(len(t) for t in truth)
