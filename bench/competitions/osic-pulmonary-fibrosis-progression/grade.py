"""osic-pulmonary-fibrosis-progression: modified Laplace log-likelihood, MLE-bench's way.

Every `Patient_Week` of the submission must be one of the answers' (rows may be missing: a
graded week the submission lacks is dropped from the answers too); `FVC` and `Confidence` must be
numeric columns (an empty `Confidence` counts as 0, so the floor of 70). Only each patient's last
three measured weeks are graded: both sides are kept to those weeks, sorted by `Patient_Week` and
paired by position; a repeated graded week fails as NumPy's broadcasting fails. Score: mean of
-sqrt(2) * min(|FVC - pred|, 1000) / max(sigma, 70) - ln(sqrt(2) * max(sigma, 70)); an empty
predicted FVC makes it NaN, as in MLE-bench.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["Patient_Week", "FVC", "Confidence"])
    unknown = ~submission["Patient_Week"].isin(answers["Patient_Week"])
    if unknown.any():
        raise InvalidSubmissionError(f"Patient_Week {submission['Patient_Week'][unknown].iloc[0]!r} is not in the test set")
    for column in ("FVC", "Confidence"):
        if not pd.api.types.is_numeric_dtype(submission[column]):
            raise InvalidSubmissionError(f"column '{column}' must hold numbers")
    submission = submission.assign(Confidence=submission["Confidence"].fillna(0))
    measured = answers.dropna(subset=["FVC"])
    week = measured["Patient_Week"].map(lambda x: int(x.split("_")[-1]))
    graded = measured.assign(Week_Number=week).sort_values("Week_Number").groupby("Patient").tail(3)
    sub = submission[submission["Patient_Week"].isin(graded["Patient_Week"])].sort_values(by="Patient_Week")
    ans = graded.sort_values(by="Patient_Week")
    ans = ans[ans["Patient_Week"].isin(sub["Patient_Week"])]
    try:
        return _laplace(ans["FVC"].to_numpy(), sub["FVC"].to_numpy(), sub["Confidence"].to_numpy())
    except ValueError as exc:  # NumPy cannot pair the rows (some graded weeks missing or repeated)
        raise InvalidSubmissionError(f"the graded weeks do not pair up with the test set's: {exc}") from None


def _laplace(truth: np.ndarray, predicted: np.ndarray, confidence: np.ndarray) -> float:
    sigma = np.maximum(confidence, 70)
    delta = np.minimum(np.abs(truth - predicted), 1000)
    return float(np.mean(-np.sqrt(2) * delta / sigma - np.log(np.sqrt(2) * sigma)))
