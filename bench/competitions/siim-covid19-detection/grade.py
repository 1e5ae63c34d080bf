"""siim-covid19-detection: MLE-bench's mAP at IoU > 0.5 over study and image rows, exactly.

Checks in MLE-bench's order: the row count, columns `id` and `PredictionString`, the ids (rows
paired by sorted id). Every PredictionString is 'label confidence xmin ymin xmax ymax' groups;
the mAP is `bench.metrics.detection.class_pairs_map` (MLE-bench's own definition: six classes,
"negative" and "none" included; see its comment).
"""

from __future__ import annotations

import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns, require_rows, sort_by
from bench.metrics.detection import class_pairs_map, parse_labelled_boxes


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    require_columns(submission, ["id"])
    require_columns(submission, ["PredictionString"])
    sub, ans = sort_by(submission, "id"), sort_by(answers, "id")
    if (sub["id"].to_numpy() != ans["id"].to_numpy()).any():
        raise InvalidSubmissionError("the submission's ids must be the test studies' and images' ids")
    preds = [parse_labelled_boxes(text) for text in sub["PredictionString"]]
    truths = [parse_labelled_boxes(text) for text in ans["PredictionString"]]
    return class_pairs_map(truths, preds) if preds else 0.0
