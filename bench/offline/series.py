"""Time-series helpers for the offline split: sktime's `.ts` files and dynamic time warping."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def read_ts(path: Path) -> tuple[list[np.ndarray], np.ndarray]:
    """A `.ts` file -> (one array per series, shape (length, dimensions)), labels as strings).
    Dimensions are separated by ':' and the label is the last field; lengths may differ."""
    series, labels, in_data = [], [], False
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            in_data = line.lower() == "@data"
            continue
        *dims, label = line.split(":")
        series.append(np.array([[float(v) for v in dim.split(",")] for dim in dims]).T)
        labels.append(label.strip())
    return series, np.asarray(labels)


def dtw_distances(a: np.ndarray, b: np.ndarray, window: int) -> np.ndarray:
    """Dynamic-time-warping distance between every series of `a` and every series of `b`, all of one
    length: arrays (n, length) or (n, length, dimensions), squared differences summed over
    dimensions. A Sakoe-Chiba band of `window` steps; vectorised over all pairs, looping over the grid."""
    if a.ndim == 2:
        a, b = a[:, :, None], b[:, :, None]
    n, m, length = len(a), len(b), a.shape[1]
    prev = np.full((n, m, length + 1), np.inf)
    prev[:, :, 0] = 0.0
    for i in range(1, length + 1):
        cur = np.full((n, m, length + 1), np.inf)
        for j in range(max(1, i - window), min(length, i + window) + 1):
            cost = ((a[:, None, i - 1, :] - b[None, :, j - 1, :]) ** 2).sum(axis=2)
            cur[:, :, j] = cost + np.minimum(np.minimum(prev[:, :, j], cur[:, :, j - 1]), prev[:, :, j - 1])
        prev = cur
    return np.sqrt(prev[:, :, length])


def resample(series: np.ndarray, length: int) -> np.ndarray:
    """A (frames, dimensions) series linearly interpolated to `length` frames."""
    old = np.linspace(0.0, 1.0, len(series))
    new = np.linspace(0.0, 1.0, length)
    return np.column_stack([np.interp(new, old, series[:, d]) for d in range(series.shape[1])])
