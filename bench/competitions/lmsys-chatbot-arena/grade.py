"""lmsys-chatbot-arena: multi-class log loss of the three preference probabilities, with MLE-bench's checks.

As MLE-bench: the id and the three columns must be there, the row count right, every value in
[0, 1], every row summing to 1 after rounding to 6 decimals; both frames sorted by `id` (which must
then agree); scikit-learn's `log_loss` of the answers' one-hot columns against the probabilities
as given (no renormalisation; clipping at float64's epsilon).
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import log_loss

from bench.errors import InvalidSubmissionError
from bench.graders import computed, in_unit_interval, require_columns, require_rows, sorted_pair

CLASSES = ["winner_model_a", "winner_model_b", "winner_tie"]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["id", *CLASSES])
    require_rows(submission, answers)
    in_unit_interval(submission, CLASSES)
    if not submission[CLASSES].sum(axis=1).round(6).eq(1).all():
        raise InvalidSubmissionError("each row's three probabilities must sum to 1")
    sub, ans = sorted_pair(submission[["id", *CLASSES]], answers[["id", *CLASSES]], "id")
    return computed(log_loss, ans[CLASSES].to_numpy(), sub[CLASSES].to_numpy())
