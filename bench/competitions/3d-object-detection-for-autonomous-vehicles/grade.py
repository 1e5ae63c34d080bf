"""3d-object-detection-for-autonomous-vehicles: Lyft's 3-D mAP per sample, MLE-bench's checks.

In MLE-bench's order: the row counts must be equal, `Id` and `PredictionString` present, and the
`Id`s of both files sorted must agree row by row. An empty PredictionString means no boxes. Each
string must split on single spaces into groups of 9 numbers-and-a-class tokens
(`confidence cx cy cz width length height yaw class`); boxes that get compared (those of a class
the sample's answer has) must have no NaN, a finite yaw and positive sizes. The score is
`bench.metrics.detection.lyft_map`: per sample and IoU threshold 0.5, 0.55, .., 0.95, the mean
over the answer's classes of Lyft's AP; then the mean of all of those.
"""

from __future__ import annotations

import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns, require_rows, sorted_pair
from bench.metrics.detection import lyft_boxes, lyft_map


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    require_columns(submission, ["Id"])
    require_columns(submission, ["PredictionString"])
    sub, ans = sorted_pair(submission, answers, "Id")
    strings = ["" if pd.isna(v) else v for v in sub["PredictionString"]]  # pandas' fillna("")
    if not all(isinstance(s, str) for s in strings):
        raise InvalidSubmissionError("every PredictionString must be text (or empty)")
    truths = [lyft_boxes(s, i) for i, s in enumerate(ans["PredictionString"])]
    preds = [lyft_boxes(s, i) for i, s in enumerate(strings)]
    return lyft_map(truths, preds)
