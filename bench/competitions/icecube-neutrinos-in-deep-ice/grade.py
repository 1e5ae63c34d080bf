"""icecube-neutrinos-in-deep-ice: mean angular distance between true and predicted directions, as
MLE-bench grades.

MLE-bench requires exactly the columns `event_id, azimuth, zenith`, numeric and finite angles
(NaN fails as "not finite"), the test set's row count and set of events; rows are paired after
sorting both files by `event_id`. Directions are unit vectors from (azimuth, zenith) in radians;
the error of an event is the arccos of their dot product (clipped to [-1, 1]).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import sort_by

ANGLES = ("azimuth", "zenith")


def _check_angles(submission: pd.DataFrame) -> None:
    for column in ANGLES:
        if not np.issubdtype(submission[column].dtype, np.number):
            raise InvalidSubmissionError(f"column '{column}' must hold numbers")
    for column in ANGLES:
        if not np.all(np.isfinite(submission[column])):
            raise InvalidSubmissionError(f"column '{column}' must hold finite numbers (no NaN or infinity)")


def angular_error(az_true, zen_true, az_pred, zen_pred) -> float:
    dot = (np.sin(zen_true) * np.sin(zen_pred) * (np.cos(az_true) * np.cos(az_pred) + np.sin(az_true) * np.sin(az_pred))
           + np.cos(zen_true) * np.cos(zen_pred))
    return float(np.average(np.abs(np.arccos(np.clip(dot, -1, 1)))))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    if set(submission.columns) != {"event_id", *ANGLES}:
        raise InvalidSubmissionError("the submission must have exactly the columns event_id, azimuth, zenith")
    _check_angles(submission)
    if len(submission) != len(answers):
        raise InvalidSubmissionError(f"the submission has {len(submission)} rows, the test set {len(answers)}")
    if set(submission["event_id"]) != set(answers["event_id"]):
        raise InvalidSubmissionError("the submission's event_id values must be the test set's")
    sub, ans = sort_by(submission, "event_id"), sort_by(answers, "event_id")
    return angular_error(ans["azimuth"].to_numpy(), ans["zenith"].to_numpy(),
                         sub["azimuth"].to_numpy(), sub["zenith"].to_numpy())
