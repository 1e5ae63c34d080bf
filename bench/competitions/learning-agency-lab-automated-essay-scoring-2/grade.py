"""learning-agency-lab-automated-essay-scoring-2: quadratic weighted kappa, with MLE-bench's checks.

As MLE-bench: the `score` and `essay_id` columns must be there and the file not empty; both frames
sorted by `essay_id`, which must then agree row by row; then scikit-learn's `cohen_kappa_score`
with quadratic weights on the values as read (a score written 3.0 equals 3).
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import cohen_kappa_score

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns, require_rows, sorted_pair


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["score", "essay_id"])
    if submission.empty:
        raise InvalidSubmissionError("the submission has no rows")
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, "essay_id")
    return computed(cohen_kappa_score, sub["score"].to_numpy(), ans["score"].to_numpy(), weights="quadratic")
