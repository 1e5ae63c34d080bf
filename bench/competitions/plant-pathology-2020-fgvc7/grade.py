"""plant-pathology-2020-fgvc7: mean of the four classes' ROC AUC, with MLE-bench's checks
(exactly the id and the four class columns, rows paired by sorted id)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_rows, sorted_pair

CLASSES = ["healthy", "multiple_diseases", "rust", "scab"]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    if set(submission.columns) != {"image_id", *CLASSES}:
        raise InvalidSubmissionError(f"the submission must have exactly the columns {['image_id', *CLASSES]}")
    sub, ans = sorted_pair(submission, answers, "image_id")
    return float(np.mean([computed(roc_auc_score, ans[c], sub[c]) for c in CLASSES]))
