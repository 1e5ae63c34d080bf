"""playground-series-s3e18: macro ROC AUC over EC1 and EC2, with MLE-bench's checks (rows paired by
sorted id; scikit-learn's two-column macro average)."""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import roc_auc_score

from bench.graders import computed, require_columns, require_rows, sorted_pair


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["id", "EC1", "EC2"])
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, "id")
    return computed(roc_auc_score, ans[["EC1", "EC2"]].to_numpy(), sub[["EC1", "EC2"]].to_numpy(), average="macro")
