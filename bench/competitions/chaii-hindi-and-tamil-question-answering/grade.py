"""chaii-hindi-and-tamil-question-answering: word-level Jaccard, with MLE-bench's checks.

As MLE-bench: the row count, the `PredictionString` and `id` columns, both frames sorted by `id`
(which must then agree); empty cells become empty strings; each answer becomes its set of
lower-cased whitespace-separated words; scikit-learn's `jaccard_score(average="samples")` on the
binarized sets (a row whose prediction and answer are both empty scores 0, as scikit-learn's
zero-division default gives).
"""

from __future__ import annotations

import warnings

import pandas as pd
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import jaccard_score
from sklearn.preprocessing import MultiLabelBinarizer

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns, require_rows, sorted_pair


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    require_columns(submission, ["PredictionString", "id"])
    sub, ans = sorted_pair(submission, answers, "id")
    predicted = _word_sets(sub["PredictionString"].astype(object).fillna(""))
    expected = _word_sets(ans["PredictionString"].astype(object).fillna(""))
    binarizer = MultiLabelBinarizer(classes=sorted(set().union(*expected, *predicted)), sparse_output=True)
    y_true = binarizer.fit_transform(expected)
    y_pred = binarizer.transform(predicted)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        return computed(jaccard_score, y_true, y_pred, average="samples")


def _word_sets(texts: pd.Series) -> list[set[str]]:
    if not all(isinstance(t, str) for t in texts):
        raise InvalidSubmissionError("every PredictionString must be text (the column was read as numbers)")
    return [set(t.lower().split()) for t in texts]
