"""vesuvius-challenge-ink-detection: MLE-bench's per-fragment pixel F0.5, exactly.

Rows are paired with the answers by position; each row must have exactly the columns `Id` and
`Predicted`, the answer's Id, and a text RLE (an empty cell is refused, as MLE-bench refuses it).
Pixels are numbered row by row over the fragment's `height` x `width`. The F0.5 is scikit-learn's
`fbeta_score`, called on a compact vector with the same counts (true/false positives, false
negatives) as the full masks, so a fragment of fifty million pixels is scored from its runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import fbeta_score

from bench.errors import InvalidSubmissionError
from bench.graders import require_rows
from bench.metrics.segmentation import mle_rle_runs, run_counts


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    scores = [_fragment_score(sub, ans) for (_, sub), (_, ans) in zip(submission.iterrows(), answers.iterrows())]
    return float(np.mean(scores))


def _fragment_score(row: pd.Series, answer: pd.Series) -> float:
    if len(row) != 2 or not {"Id", "Predicted"} <= set(row.index):
        raise InvalidSubmissionError(f"the submission must have exactly the columns Id, Predicted; "
                                     f"it has {list(row.index)}")
    if row["Id"] != answer["Id"]:
        raise InvalidSubmissionError(f"row Id {row['Id']!r} should be {answer['Id']!r}")
    if not isinstance(row["Predicted"], str):
        raise InvalidSubmissionError(f"Predicted must be an RLE text, got {row['Predicted']!r} "
                                     "(an empty mask cannot be scored)")
    size = int(answer["width"]) * int(answer["height"])
    n_true, n_pred, n_both = run_counts(mle_rle_runs(answer["Predicted"], size),
                                        mle_rle_runs(row["Predicted"], size))
    return pixel_fbeta(n_true, n_pred, n_both, beta=0.5)


def pixel_fbeta(n_true: int, n_pred: int, n_both: int, beta: float) -> float:
    """scikit-learn's F-beta of boolean pixel masks with these counts (plus one true negative,
    which F-beta ignores and which keeps both classes present)."""
    tp, fp, fn = n_both, n_pred - n_both, n_true - n_both
    y_true = np.concatenate([np.ones(tp), np.zeros(fp), np.ones(fn), [0]]).astype(bool)
    y_pred = np.concatenate([np.ones(tp), np.ones(fp), np.zeros(fn), [0]]).astype(bool)
    return float(fbeta_score(y_true, y_pred, beta=beta))
