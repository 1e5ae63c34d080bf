"""whale-categorization-playground: MAP@5 of ranked whale ids, with MLE-bench's checks.

The submission must have exactly the columns `Image` and `Id` and the test set's images; rows are
paired by `Image` after sorting. Each cell is split on single spaces as MLE-bench splits it (so a
double space makes an empty guess that takes a rank); an empty cell is the one guess "nan".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import as_strings, require_rows, sort_by

K = 5


def average_precision(actual: set[str], predicted: list[str], k: int = K) -> float:
    """AP@k of one ranked list; a repeated guess scores once (Kaggle's apk)."""
    predicted = predicted[:k]
    hits, score = 0, 0.0
    for i, guess in enumerate(predicted):
        if guess in actual and guess not in predicted[:i]:
            hits += 1
            score += hits / (i + 1)
    return score / min(len(actual), k) if actual else 0.0


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    if set(submission.columns) != {"Image", "Id"}:
        raise InvalidSubmissionError(f"the submission must have exactly the columns Image and Id; it has "
                                     f"{list(submission.columns)}")
    require_rows(submission, answers)
    if set(submission["Image"]) != set(answers["Image"]):
        raise InvalidSubmissionError("the submission's images are not the test set's")
    sub, ans = sort_by(submission, "Image"), sort_by(answers, "Image")
    truth = [set(cell.split(" ")) for cell in as_strings(ans["Id"].to_numpy())]
    ranked = [cell.split(" ") for cell in as_strings(sub["Id"].to_numpy())]
    return float(np.mean([average_precision(t, p) for t, p in zip(truth, ranked)]))
