"""Input checks shared by the metrics: they turn agent mistakes into InvalidSubmissionError."""

from __future__ import annotations

from typing import Any

import numpy as np

from bench.errors import InvalidSubmissionError, MetricError


def to_float(values: Any, what: str = "predictions") -> np.ndarray:
    """Numeric array without NaN/inf; non-numeric or missing values are the agent's fault."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidSubmissionError(f"{what} must be numbers ({exc})") from None
    if arr.size and not np.isfinite(arr).all():
        bad = int((~np.isfinite(arr)).sum())
        raise InvalidSubmissionError(f"{what} contain {bad} NaN or infinite value(s)")
    return arr


def check_pair(y_true: np.ndarray, y_pred: np.ndarray) -> None:
    """Same number of rows, at least one row."""
    if len(y_true) != len(y_pred):
        raise InvalidSubmissionError(
            f"predictions have {len(y_pred)} rows but the answers have {len(y_true)}"
        )
    if len(y_true) == 0:
        raise InvalidSubmissionError("no rows to score")


def floats_pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    t = to_float(y_true, "answers")
    p = to_float(y_pred)
    check_pair(t, p)
    if t.shape != p.shape:
        raise InvalidSubmissionError(f"predictions have shape {p.shape}, answers {t.shape}")
    return t, p


def in_unit_interval(p: np.ndarray, what: str = "predictions") -> None:
    if p.size and (p.min() < 0 or p.max() > 1):
        raise InvalidSubmissionError(f"{what} must be probabilities in [0, 1]; got [{p.min()}, {p.max()}]")


def as_2d(a: np.ndarray) -> np.ndarray:
    return a.reshape(-1, 1) if a.ndim == 1 else a


def strings(values: Any) -> list[str]:
    """Text values; missing ones (None/NaN) become the empty string."""
    out = []
    for v in np.asarray(values, dtype=object).ravel():
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append("")
        else:
            out.append(str(v))
    return out


def two_classes(y_true: np.ndarray, what: str = "answers") -> None:
    if len(np.unique(y_true)) < 2:
        raise MetricError(f"ROC AUC is undefined: the {what} hold a single class")
