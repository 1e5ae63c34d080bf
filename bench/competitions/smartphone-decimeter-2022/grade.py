"""smartphone-decimeter-2022: mean over trips of (p50 + p95) / 2 of the horizontal error, as MLE-bench grades.

MLE-bench checks the four columns and the row count; then, for each trip of the answers (in order
of first appearance), the submission's rows of that trip must be as many as the answers', and rows
are paired by position within the trip (timestamps are not matched). Errors are haversine
distances on a sphere of radius 6,371,000 m; a NaN prediction gives a NaN score.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns, require_rows

COLUMNS = ["tripId", "UnixTimeMillis", "LatitudeDegrees", "LongitudeDegrees"]
RADIUS_M = 6_371_000


def haversine(predicted: pd.DataFrame, truth: pd.DataFrame) -> np.ndarray:
    lat_p, lng_p = np.deg2rad(predicted["LatitudeDegrees"].to_numpy()), np.deg2rad(predicted["LongitudeDegrees"].to_numpy())
    lat_t, lng_t = np.deg2rad(truth["LatitudeDegrees"].to_numpy()), np.deg2rad(truth["LongitudeDegrees"].to_numpy())
    half = np.sin((lat_t - lat_p) / 2) ** 2 + np.cos(lat_p) * np.cos(lat_t) * np.sin((lng_t - lng_p) / 2) ** 2
    return 2 * RADIUS_M * np.arcsin(np.sqrt(half))


def _trip_score(predicted: pd.DataFrame, truth: pd.DataFrame) -> float:
    try:
        errors = haversine(predicted, truth)
        return float(np.mean([np.quantile(errors, 0.50), np.quantile(errors, 0.95)]))
    except (TypeError, ValueError) as exc:
        raise InvalidSubmissionError(f"latitudes and longitudes must be numbers ({exc})") from None


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, COLUMNS)
    require_rows(submission, answers)
    scores = []
    for trip in answers["tripId"].unique():
        truth = answers[answers["tripId"] == trip]
        predicted = submission[submission["tripId"] == trip]
        if len(predicted) != len(truth):
            raise InvalidSubmissionError(f"trip {trip} has {len(predicted)} rows in the submission, "
                                         f"{len(truth)} in the test set")
        scores.append(_trip_score(predicted, truth))
    return float(np.mean(scores))
