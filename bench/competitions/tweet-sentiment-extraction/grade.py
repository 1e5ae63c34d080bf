"""tweet-sentiment-extraction: mean word-level Jaccard, with MLE-bench's checks.

As MLE-bench: the `textID` and `selected_text` columns, the row count, both frames sorted by
`textID` (which must then agree); empty cells become empty strings, other values their text. Each
row scores |A & B| / |A | B| on the sets of lower-cased whitespace-separated words; a row where
both the prediction and the answer are empty has no score, and (as in MLE-bench, whose division
fails there) makes the submission invalid.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import as_strings, require_columns, require_rows, sorted_pair


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["textID", "selected_text"])
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, "textID")
    predicted = as_strings(sub["selected_text"].astype(object).fillna("").to_numpy())
    expected = as_strings(ans["selected_text"].astype(object).fillna("").to_numpy())
    return float(np.mean([_jaccard(p, t) for p, t in zip(predicted, expected)]))


def _jaccard(predicted: str, expected: str) -> float:
    a, b = set(predicted.lower().split()), set(expected.lower().split())
    if not a and not b:
        raise InvalidSubmissionError("a row whose prediction and answer are both empty has no Jaccard score")
    return len(a & b) / len(a | b)
