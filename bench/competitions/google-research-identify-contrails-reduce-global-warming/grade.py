"""google-research-identify-contrails-reduce-global-warming: MLE-bench's global Dice, exactly.

Checks in MLE-bench's order: columns `record_id` and `encoded_pixels` present (others allowed), the
row count, the record ids (rows paired by sorted id). "-" means an empty mask; an empty cell is
refused (no text). Masks are column-major RLE over each record's height x width; the Dice counts
every pixel of every record together. When no record has a contrail, predicted or true, the
score is NaN, as MLE-bench's (both-empty value NaN).
"""

from __future__ import annotations

import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns, require_rows, sort_by
from bench.metrics.segmentation import mle_rle_runs, run_counts


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["record_id", "encoded_pixels"])
    require_rows(submission, answers)
    sub, ans = sort_by(submission, "record_id"), sort_by(answers, "record_id")
    if (sub["record_id"].to_numpy() != ans["record_id"].to_numpy()).any():
        raise InvalidSubmissionError("the submission's record_id values must be the test records'")
    predicted = sub["encoded_pixels"].replace("-", "")
    truths = ans["encoded_pixels"].replace("-", "")
    n_true = n_pred = n_both = 0
    for rle, truth, height, width in zip(predicted, truths, ans["height"], ans["width"]):
        size = int(height) * int(width)
        t, p, b = run_counts(mle_rle_runs(truth, size), mle_rle_runs(rle, size))
        n_true, n_pred, n_both = n_true + t, n_pred + p, n_both + b
    if n_true + n_pred == 0:
        return float("nan")
    return 2 * n_both / (n_true + n_pred)
