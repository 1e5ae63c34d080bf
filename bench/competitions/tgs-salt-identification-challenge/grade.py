"""tgs-salt-identification-challenge: MLE-bench's mean precision over IoU thresholds, exactly.

Per 101x101 image: both masks empty scores 1; an empty truth with a predicted mask scores 0;
otherwise the share of thresholds 0.5, 0.55, ..., 0.95 that the IoU exceeds. MLE-bench bins the
pixels with a 2-bin histogram, so an all-empty prediction lands in the "salt" bin: its IoU is the
mask's area over the image's (bench/DEVIATIONS.md K3); that is reproduced here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import require_rows, sort_by
from bench.metrics.segmentation import mle_rle_runs, run_counts

COLUMNS = {"id", "rle_mask"}
PIXELS = 101 * 101
THRESHOLDS = np.arange(0.5, 1.0, 0.05)


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    if set(submission.columns) != COLUMNS:
        raise InvalidSubmissionError(f"the submission must have exactly the columns id, rle_mask; "
                                     f"it has {list(submission.columns)}")
    require_rows(submission, answers)
    sub, ans = submission.astype(object).fillna(""), answers.astype(object).fillna("")
    if not all(isinstance(v, str) for v in sub.to_numpy().ravel()):
        raise InvalidSubmissionError("every id and rle_mask must be text (an empty mask is an empty cell)")
    sub, ans = sort_by(sub, "id"), sort_by(ans, "id")
    if (sub["id"].to_numpy() != ans["id"].to_numpy()).any():
        raise InvalidSubmissionError("the submission's ids must be the test set's ids")
    predicted = [mle_rle_runs(rle, PIXELS) for rle in sub["rle_mask"]]
    truths = [mle_rle_runs(rle, PIXELS) for rle in ans["rle_mask"]]
    return float(np.mean([_image_score(*run_counts(t, p)) for t, p in zip(truths, predicted)]))


def _image_score(n_true: int, n_pred: int, n_both: int) -> float:
    if n_true == 0:
        return 1.0 if n_pred == 0 else 0.0
    iou = n_true / PIXELS if n_pred == 0 else n_both / (n_true + n_pred - n_both)
    return float(np.mean([1.0 if iou > t else 0.0 for t in THRESHOLDS]))
