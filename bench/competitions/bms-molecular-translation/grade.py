"""bms-molecular-translation: mean Levenshtein distance between InChI strings, with MLE-bench's checks.

Rows are paired by `image_id` after sorting; every cell is compared as Python's `str` writes it
(an empty cell is the text "nan", as pandas 2's `astype(str)` gives in MLE-bench's grader).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.graders import as_strings, require_columns, require_rows, sorted_pair
from bench.metrics.text import levenshtein


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    require_columns(submission, ["image_id", "InChI"])
    sub, ans = sorted_pair(submission, answers, "image_id")
    truth, predicted = as_strings(ans["InChI"].to_numpy()), as_strings(sub["InChI"].to_numpy())
    return float(np.mean([levenshtein(t, p) for t, p in zip(truth, predicted)]))
