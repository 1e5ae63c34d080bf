"""inaturalist-2019-fgvc6: top-1 classification error, with MLE-bench's checks and its reading of
the predictions: a whole number as is, a text cell by its first space-separated id (Kaggle's
format allowed up to five guesses); a column pandas read as decimals (e.g. because of an empty
cell) cannot be scored there, nor here."""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import accuracy_score

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns, require_rows, sorted_pair, whole_numbers


def first_guess(value: object) -> int:
    return int(value) if isinstance(value, int) else int(value.split()[0])  # type: ignore[attr-defined]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    require_columns(submission, ["id", "predicted"])
    sub, ans = sorted_pair(submission, answers, "id")
    y_true = whole_numbers(ans["predicted"], "predicted")
    try:
        y_pred = [first_guess(value) for value in sub["predicted"]]
    except (AttributeError, IndexError, ValueError, TypeError):
        raise InvalidSubmissionError("column 'predicted' must hold category ids: whole numbers, or text whose "
                                     "first space-separated item is one") from None
    return 1 - computed(accuracy_score, y_true, y_pred)
