"""hubmap-kidney-segmentation: MLE-bench's mean per-slide Dice, exactly.

Checks in MLE-bench's order: columns `id` and `predicted`, the row count, the set of ids; rows are
then paired by sorted id, empty cells read as empty masks (both empty: Dice 1). Masks are
column-major RLE over each slide's `height_pixels` x `width_pixels` (from the answers); runs past the
slide's end are cut, unsorted or overlapping runs refused (`mle_rle_runs`). Computed on runs, so a
slide of a billion pixels never becomes an array.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns, require_rows, sort_by
from bench.metrics.segmentation import mle_rle_runs, run_counts


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["id"])
    require_columns(submission, ["predicted"])
    require_rows(submission, answers)
    if set(submission["id"]) != set(answers["id"]):
        raise InvalidSubmissionError("the submission's ids must be the test slides' ids")
    sub = sort_by(submission, "id").reset_index(drop=True)
    ans = sort_by(answers, "id").reset_index(drop=True)
    predicted = sub["predicted"].astype(object).fillna("")
    scores = []
    for rle, truth, height, width in zip(predicted, ans["encoding"], ans["height_pixels"], ans["width_pixels"]):
        size = int(height) * int(width)
        n_true, n_pred, n_both = run_counts(mle_rle_runs(truth, size), mle_rle_runs(rle, size))
        scores.append(1.0 if n_true + n_pred == 0 else 2 * n_both / (n_true + n_pred))
    return float(np.mean(scores))
