"""Regression and correlation metrics, plus the geometric ones (angles, haversine) and OSIC's."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from bench.errors import InvalidSubmissionError, MetricError
from bench.metrics._common import as_2d, check_pair, floats_pair, to_float

logger = logging.getLogger(__name__)


def rmse(y_true: Any, y_pred: Any) -> float:
    t, p = floats_pair(y_true, y_pred)
    return float(np.sqrt(np.mean((t - p) ** 2)))


def mae(y_true: Any, y_pred: Any, sample_weight: Any = None, round_to_integer: bool = False) -> float:
    """Mean absolute error; `sample_weight` (e.g. a 0/1 mask of inspiratory rows) weights rows.
    `round_to_integer`: the MAE rounded to a whole number (MLE-bench's volcanic-eruptions grader)."""
    t, p = floats_pair(y_true, y_pred)
    w = None if sample_weight is None else np.asarray(sample_weight, float).reshape(len(t), *([1] * (t.ndim - 1)))
    err = np.abs(t - p)
    if w is None:
        value = float(np.mean(err))
        return float(round(value)) if round_to_integer else value
    if w.sum() == 0:
        raise MetricError("MAE weights are all zero")
    return float(np.sum(err * w) / (w.sum() * (err.size // len(err))))


def rmsle(y_true: Any, y_pred: Any) -> float:
    """Root mean squared log error; predictions below -1 make log1p undefined (agent's fault)."""
    t, p = floats_pair(y_true, y_pred)
    if p.min() <= -1:
        raise InvalidSubmissionError("RMSLE needs predictions greater than -1 (ideally >= 0)")
    return float(np.sqrt(np.mean((np.log1p(p) - np.log1p(t)) ** 2)))


def mean_columnwise_rmsle(y_true: Any, y_pred: Any) -> float:
    t, p = floats_pair(y_true, y_pred)
    t2, p2 = as_2d(t), as_2d(p)
    return float(np.mean([rmsle(t2[:, j], p2[:, j]) for j in range(t2.shape[1])]))


def mcrmse(y_true: Any, y_pred: Any) -> float:
    """Mean column-wise RMSE (Stanford COVID vaccine)."""
    t, p = floats_pair(y_true, y_pred)
    t2, p2 = as_2d(t), as_2d(p)
    return float(np.mean(np.sqrt(np.mean((t2 - p2) ** 2, axis=0))))


def log_mae_grouped(y_true: Any, y_pred: Any, groups: Any = None, floor: float = 1e-9) -> float:
    """CHAMPS: for each group (coupling type) log(max(MAE, floor)), averaged over groups."""
    t, p = floats_pair(y_true, y_pred)
    g = np.zeros(len(t)) if groups is None else np.asarray(groups, dtype=object)
    if len(g) != len(t):
        raise MetricError("groups must have one entry per row")
    scores = [np.log(max(np.mean(np.abs(t[g == k] - p[g == k])), floor)) for k in np.unique(g)]
    return float(np.mean(scores))


def _correlation_defined(t: np.ndarray, p: np.ndarray) -> bool:
    if np.ptp(p) == 0 or np.ptp(t) == 0:
        logger.warning("correlation of a constant series is undefined: score is NaN")
        return False
    return True


def pearson(y_true: Any, y_pred: Any) -> float:
    """Pearson r; NaN when either side is constant (as MLE-bench: valid, but never a medal)."""
    t, p = floats_pair(y_true, y_pred)
    if len(t) < 2 or not _correlation_defined(t, p):
        return float("nan")
    return float(np.corrcoef(t.ravel(), p.ravel())[0, 1])


def spearman_columnwise(y_true: Any, y_pred: Any) -> float:
    """Mean over columns of Spearman's rho. A constant column has no rho (NaN) and, as in the
    scipy-based Kaggle metric, makes the whole mean NaN: valid, but never a medal."""
    from scipy.stats import spearmanr

    t, p = floats_pair(y_true, y_pred)
    t2, p2 = as_2d(t), as_2d(p)
    rhos = []
    for j in range(t2.shape[1]):
        if not _correlation_defined(t2[:, j], p2[:, j]):
            rhos.append(float("nan"))
            continue
        rhos.append(float(spearmanr(t2[:, j], p2[:, j]).statistic))
    return float(np.mean(rhos))


def laplace_log_likelihood(
    y_true: Any, y_pred: Any, sigma: Any = None, sigma_floor: float = 70.0, error_cap: float = 1000.0,
) -> float:
    """OSIC modified Laplace log-likelihood. `y_pred` is FVC, or an (n, 2) array [FVC, Confidence]
    when `sigma` is not given. Higher is better (it is at most about -4.6)."""
    t = to_float(y_true, "answers").ravel()
    p = to_float(y_pred)
    if sigma is None:
        if p.ndim != 2 or p.shape[1] != 2:
            raise InvalidSubmissionError("Laplace log-likelihood needs FVC and Confidence columns")
        p, s = p[:, 0], p[:, 1]
    else:
        s = to_float(sigma, "confidence").ravel()
    check_pair(t, p)
    s = np.maximum(s, sigma_floor)
    delta = np.minimum(np.abs(t - p.ravel()), error_cap)
    return float(np.mean(-np.sqrt(2) * delta / s - np.log(np.sqrt(2) * s)))


def mean_angular_error(y_true: Any, y_pred: Any) -> float:
    """IceCube: mean angle in radians between directions given as (azimuth, zenith) columns."""
    t, p = floats_pair(y_true, y_pred)
    if t.ndim != 2 or t.shape[1] != 2:
        raise InvalidSubmissionError("angular error needs two columns: azimuth, zenith")
    az1, zen1, az2, zen2 = t[:, 0], t[:, 1], p[:, 0], p[:, 1]
    dot = np.sin(zen1) * np.sin(zen2) * np.cos(az1 - az2) + np.cos(zen1) * np.cos(zen2)
    return float(np.mean(np.abs(np.arccos(np.clip(dot, -1, 1)))))


EARTH_RADIUS_M = 6_371_000.0


def haversine_m(lat1: np.ndarray, lng1: np.ndarray, lat2: np.ndarray, lng2: np.ndarray) -> np.ndarray:
    lat1, lng1, lat2, lng2 = map(np.radians, (lat1, lng1, lat2, lng2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def haversine_percentile(
    y_true: Any, y_pred: Any, groups: Any = None, percentiles: tuple[float, ...] = (50.0, 95.0),
) -> float:
    """Smartphone decimeter: per group (phone/trip) the mean of the 50th and 95th percentile of
    haversine errors in metres, averaged over groups. Inputs are (n, 2) arrays [lat, lng]."""
    t, p = floats_pair(y_true, y_pred)
    if t.ndim != 2 or t.shape[1] != 2:
        raise InvalidSubmissionError("haversine metric needs two columns: latitude, longitude")
    err = haversine_m(t[:, 0], t[:, 1], p[:, 0], p[:, 1])
    g = np.zeros(len(t)) if groups is None else np.asarray(groups, dtype=object)
    per_group = [np.mean(np.percentile(err[g == k], percentiles)) for k in np.unique(g)]
    return float(np.mean(per_group))
