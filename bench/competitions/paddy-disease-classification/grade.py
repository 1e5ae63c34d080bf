"""paddy-disease-classification: accuracy, with MLE-bench's checks (an empty label counts as wrong)."""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import accuracy_score

from bench.graders import computed, require_columns, require_rows, sorted_pair


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["image_id", "label"])
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, "image_id")
    return computed(accuracy_score, ans["label"], sub["label"].fillna("").tolist())
