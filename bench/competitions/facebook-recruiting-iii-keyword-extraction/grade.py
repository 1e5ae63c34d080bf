"""facebook-recruiting-iii-keyword-extraction: micro-averaged F1 over tags, with MLE-bench's checks.

As MLE-bench: the `Id` and `Tags` columns, the row count, both frames sorted by `Id` (which must
then agree); the tag vocabulary is the set of tags in the answers (predicted tags outside it are
ignored); each row's tags split on whitespace, an empty cell meaning no tags; scikit-learn's
micro F1 on the binarized tag sets.
"""

from __future__ import annotations

import warnings

import pandas as pd
from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns, require_rows, sorted_pair


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["Id", "Tags"])
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, "Id")
    vocabulary = sorted({tag for tags in ans["Tags"] if isinstance(tags, str) for tag in tags.split()})
    binarizer = MultiLabelBinarizer(classes=vocabulary, sparse_output=True)
    y_true = binarizer.fit_transform(ans["Tags"].astype(object).fillna("").str.split())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "unknown classes ignored", by design
            y_pred = binarizer.transform(sub["Tags"].astype(object).fillna("").str.split())
    except (AttributeError, TypeError):
        raise InvalidSubmissionError("every Tags cell must be text: tags separated by spaces") from None
    return computed(f1_score, y_true, y_pred, average="micro")
