"""iwildcam-2019-fgvc6: macro F1 over the species classes, with MLE-bench's checks.

Rows are paired by `Id` after sorting; each `Category` must be an integer (Python's `int()` of the
cell as read: 3, 3.0 and "3" pass, "3.5" and empty cells do not). The classes are those present in
either the answers or the predictions (scikit-learn's macro F1).
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import f1_score

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns, require_rows, sorted_pair


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    require_columns(submission, ["Id", "Category"])
    sub, ans = sorted_pair(submission, answers, "Id")
    try:
        predicted = [int(y) for y in sub["Category"]]
    except (ValueError, TypeError, OverflowError):
        raise InvalidSubmissionError("every Category must be an integer class id") from None
    return computed(f1_score, [int(y) for y in ans["Category"]], predicted, average="macro")
