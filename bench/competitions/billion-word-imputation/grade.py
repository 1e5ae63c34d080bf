"""billion-word-imputation: mean Levenshtein distance, with MLE-bench's checks.

As MLE-bench: the `id` and `sentence` columns, the row count, both frames sorted by `id` (which
must then agree); the mean over rows of the character edit distance between the true and the
submitted sentence. A cell that is not text (an empty cell) cannot be compared: invalid.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns, require_rows, sorted_pair
from bench.metrics.text import levenshtein


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["id", "sentence"])
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, "id")
    pairs = list(zip(ans["sentence"], sub["sentence"]))
    if not all(isinstance(a, str) and isinstance(b, str) for a, b in pairs):
        raise InvalidSubmissionError("every sentence must be text (an empty cell is not)")
    return float(np.mean([levenshtein(a, b) for a, b in pairs]))
