"""imet-2020-fgvc7: micro F1 over attribute sets, with MLE-bench's checks and its encoding.

The classes are the attributes seen in the answers (sorted as text); a predicted attribute outside
them is dropped (scikit-learn's `MultiLabelBinarizer` ignores unknown labels), an empty cell is an
empty set. The cells are split with pandas' `.str.split()` as MLE-bench does, so a column pandas
read as numbers (every row a single attribute) cannot be scored there, nor here.
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns, require_rows, sorted_pair


def _split(cells: pd.Series) -> pd.Series:
    try:
        # as object first: pandas 2 (MLE-bench's) fills a float column's NaN with "" in place
        return cells.astype(object).fillna("").str.split()
    except AttributeError:
        raise InvalidSubmissionError("column 'attribute_ids' must hold space-separated attribute ids as text "
                                     "(pandas read it as numbers)") from None


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["id", "attribute_ids"])
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, "id")
    truth, predicted = _split(ans["attribute_ids"]), _split(sub["attribute_ids"])
    binarizer = MultiLabelBinarizer(classes=sorted(set(truth.explode().unique())), sparse_output=True)
    y_true = binarizer.fit_transform(truth)
    try:
        y_pred = binarizer.transform(predicted)
    except TypeError:
        raise InvalidSubmissionError("every 'attribute_ids' cell must be text (space-separated ids) or empty") from None
    return computed(f1_score, y_true, y_pred, average="micro")
