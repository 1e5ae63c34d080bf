"""us-patent-phrase-to-phrase-matching: Pearson correlation of the scores, with MLE-bench's checks.

As MLE-bench: the row count first, then the columns, both frames sorted by `id` (which must then
agree), then scipy's `pearsonr`. A constant prediction (the sample's zeros) has no correlation:
scipy gives NaN, a valid score that never wins a medal.
"""

from __future__ import annotations

import warnings

import pandas as pd
from scipy.stats import ConstantInputWarning, pearsonr

from bench.graders import computed, require_columns, require_rows, sorted_pair


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    require_columns(submission, ["id", "score"])
    sub, ans = sorted_pair(submission, answers, "id")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantInputWarning)  # NaN is the answer, not a problem
        return computed(lambda t, p: pearsonr(t, p)[0], ans["score"].to_numpy(), sub["score"].to_numpy())
