"""hotel-id-2021-fgvc8: MAP@5 of the ranked hotel ids, with MLE-bench's checks and tokenising.

Each cell is written as text the way pandas' `astype(str)` writes it and split on single spaces
(so `36363.0` is not `36363`, and a doubled space makes an empty guess that takes a rank); a
repeated hotel id counts once. The sets of image names must be equal and the row counts too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import as_strings, require_columns, require_rows, sort_by

K = 5


def average_precision(actual: set[str], predicted: list[str]) -> float:
    """AP@5 of one ranked list (a hit counts only at its first rank)."""
    predicted = predicted[:K]
    hits, score = 0, 0.0
    for rank, guess in enumerate(predicted):
        if guess in actual and guess not in predicted[:rank]:
            hits += 1
            score += hits / (rank + 1)
    return score / min(len(actual), K) if actual else 0.0


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["image", "hotel_id"])
    if set(submission["image"]) != set(answers["image"]):
        raise InvalidSubmissionError("the submission's 'image' values must be the test set's images")
    require_rows(submission, answers)
    sub = sort_by(submission, "image").reset_index(drop=True)
    ans = sort_by(answers, "image").reset_index(drop=True)
    predicted = [cell.split(" ") for cell in as_strings(sub["hotel_id"].to_numpy())]
    actual = [set(cell.split(" ")) for cell in as_strings(ans["hotel_id"].to_numpy())]
    return float(np.mean([average_precision(a, p) for a, p in zip(actual, predicted)]))
