"""jigsaw-unintended-bias-in-toxicity-classification: the competition's bias-weighted AUC, as
MLE-bench computes it.

Checks as MLE-bench: an `id` column and a `prediction` column (or `toxicity`: the answers file
itself is accepted); both frames sorted by `id`, which must then agree row by row. Then, as
MLE-bench (unlike Kaggle, which ranks the raw scores), predictions are turned into 0/1 at 0.5
before any AUC, and so are the answers' toxicity and identity columns (missing values count as 0).
Score = 0.25 * overall AUC + 0.25 * each of the power means (p = -5) over the nine identities of
the subgroup, BPSN and BNSP AUCs. An AUC over one class only makes the submission invalid.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns, require_rows, sorted_pair

IDENTITIES = ["male", "female", "homosexual_gay_or_lesbian", "christian", "jewish", "muslim", "black", "white",
              "psychiatric_or_mental_illness"]
POWER, WEIGHT = -5, 0.25


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["id"])
    column = _prediction_column(submission)
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, "id")
    predicted = _binary(sub[column])
    toxic = _binary(ans["toxicity"])
    overall = computed(roc_auc_score, toxic, predicted)
    bias = np.array([[computed(roc_auc_score, toxic[rows], predicted[rows]) for rows in _subsets(toxic, ans[name])]
                     for name in IDENTITIES])
    try:
        means = [(sum(s ** POWER for s in bias[:, j]) / len(IDENTITIES)) ** (1 / POWER) for j in range(3)]
    except ZeroDivisionError:
        raise InvalidSubmissionError("a bias AUC of 0 has no power mean") from None
    return float(WEIGHT * overall + sum(WEIGHT * m for m in means))


def _prediction_column(submission: pd.DataFrame) -> str:
    names = [c for c in ("prediction", "toxicity") if c in submission.columns]
    if not names:
        raise InvalidSubmissionError("the submission lacks the 'prediction' column")
    if len(names) == 2:  # MLE-bench renames prediction to toxicity and then cannot tell the two apart
        raise InvalidSubmissionError("the submission has both 'prediction' and 'toxicity' columns; keep 'prediction'")
    return names[0]


def _binary(values: pd.Series) -> np.ndarray:
    try:
        return np.array([1 if v >= 0.5 else 0 for v in values])
    except TypeError:
        raise InvalidSubmissionError(f"column '{values.name}' must hold numbers") from None


def _subsets(toxic: np.ndarray, identity: pd.Series) -> list[np.ndarray]:
    """Row masks of the subgroup, BPSN and BNSP sets of one identity."""
    mentioned = _binary(identity) == 1
    return [mentioned, (mentioned & (toxic == 0)) | (~mentioned & (toxic == 1)),
            (mentioned & (toxic == 1)) | (~mentioned & (toxic == 0))]
