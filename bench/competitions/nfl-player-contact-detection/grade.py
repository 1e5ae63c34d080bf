"""nfl-player-contact-detection: Matthews correlation of 0/1 contact predictions, MLE-bench's checks.

Both columns must be present, the set of `contact_id`s must be the test set's and the row counts
equal; rows are then paired after sorting both files by `contact_id` (no row-by-row id check).
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import matthews_corrcoef

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns, require_rows, sort_by


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["contact_id", "contact"])
    if set(submission["contact_id"]) != set(answers["contact_id"]):
        raise InvalidSubmissionError("the submission's contact_id values must be the test set's")
    require_rows(submission, answers)
    sub, ans = sort_by(submission, "contact_id"), sort_by(answers, "contact_id")
    return computed(matthews_corrcoef, ans["contact"], sub["contact"])
