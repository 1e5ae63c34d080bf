"""plant-seedlings-classification: micro-averaged F1 (equal to accuracy for one label per image),
with MLE-bench's checks (rows paired by sorted file name)."""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import f1_score

from bench.graders import computed, require_columns, require_rows, sorted_pair


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["file", "species"])
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, "file")
    return computed(f1_score, ans["species"].tolist(), sub["species"].tolist(), average="micro")
