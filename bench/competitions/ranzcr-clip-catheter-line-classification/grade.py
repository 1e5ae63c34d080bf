"""ranzcr-clip-catheter-line-classification: mean ROC AUC over the nine scored columns, with
MLE-bench's checks (each column through its AUC checks: ids, row count, values in [0, 1]).

Kaggle's `CVC - Normal` and `Swan Ganz Catheter Present` are not scored (MLE-bench's sample
submission leaves them out); a submission may carry them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from bench.graders import auc_pair, computed, require_columns, require_rows

SCORED = ["ETT - Abnormal", "ETT - Borderline", "ETT - Normal", "NGT - Abnormal", "NGT - Borderline",
          "NGT - Incompletely Imaged", "NGT - Normal", "CVC - Abnormal", "CVC - Borderline"]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, SCORED)
    require_rows(submission, answers)
    scores = [computed(roc_auc_score, *auc_pair(submission, answers, "StudyInstanceUID", c)) for c in SCORED]
    return float(np.average(scores))
