"""plant-pathology-2021-fgvc8: micro F1 over the space-separated disease labels, as MLE-bench grades.

The classes are the labels that occur in the answers; a predicted label outside them is dropped
(scikit-learn's `MultiLabelBinarizer` ignores unknown classes), so it is not a false positive. An
empty cell predicts no label. Rows are paired by `image` after sorting.
"""

from __future__ import annotations

import warnings

import pandas as pd
from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns, require_rows, sort_by


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["image", "labels"])
    require_rows(submission, answers)
    sub = sort_by(submission, "image").reset_index(drop=True)
    ans = sort_by(answers, "image").reset_index(drop=True)
    if not (sub["image"] == ans["image"]).all():
        raise InvalidSubmissionError("the submission's 'image' values do not match the test set's")
    classes = sorted(set(ans["labels"].str.split().explode().unique()))
    try:
        predicted = sub["labels"].astype(object).fillna("").str.split()
    except AttributeError:
        raise InvalidSubmissionError("column 'labels' must hold space-separated label names") from None
    binarizer = MultiLabelBinarizer(classes=classes, sparse_output=True)
    y_true = binarizer.fit_transform(ans["labels"].fillna("").str.split())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "unknown class(es) will be ignored": by design
        y_pred = binarizer.transform(predicted)
    return computed(f1_score, y_true, y_pred, average="micro")
