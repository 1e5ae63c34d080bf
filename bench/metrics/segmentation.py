"""Mask metrics over Kaggle run-length encodings: Dice (global, per image), F-beta, mean precision
over IoU thresholds (TGS), and a Dice + Hausdorff combination (UW-Madison, 3-D volumes).

RLE is Kaggle's: space-separated `start length` pairs, starts 1-based, pixels numbered in
column-major order unless `order="C"`. Overlaps are computed on runs, never on decoded images, so a
gigapixel kidney slide costs only as much as its number of runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bench.errors import InvalidSubmissionError
from bench.metrics._common import check_pair, strings
from bench.metrics.classification import fbeta_from_counts


def rle_decode(rle: str, shape: tuple[int, ...], order: str = "F") -> np.ndarray:
    """RLE string -> boolean mask of `shape`."""
    mask = np.zeros(int(np.prod(shape)), dtype=bool)
    for start, end in rle_intervals(rle):
        if end > mask.size:
            raise InvalidSubmissionError(f"RLE run ends at pixel {end}, beyond the image ({mask.size} pixels)")
        mask[start:end] = True
    return mask.reshape(shape, order=order)


def rle_encode(mask: np.ndarray, order: str = "F") -> str:
    """Boolean mask -> RLE string ('' for an empty mask)."""
    flat = np.concatenate([[0], np.asarray(mask, dtype=bool).ravel(order=order).astype(np.int8), [0]])
    changes = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    starts, ends = changes[::2], changes[1::2]
    return " ".join(f"{s} {e - s}" for s, e in zip(starts, ends))


def rle_intervals(rle: Any) -> np.ndarray:
    """RLE -> sorted, merged half-open 0-based intervals, shape (m, 2)."""
    text = strings([rle])[0].strip()
    if not text:
        return np.zeros((0, 2), dtype=np.int64)
    try:
        numbers = np.asarray(text.split(), dtype=np.int64)
    except ValueError:
        raise InvalidSubmissionError(f"RLE must be integers 'start length ...': {text[:60]!r}") from None
    if len(numbers) % 2:
        raise InvalidSubmissionError("RLE must hold an even count of numbers (start/length pairs)")
    starts, lengths = numbers[0::2] - 1, numbers[1::2]
    if (starts < 0).any() or (lengths < 0).any():
        raise InvalidSubmissionError("RLE starts must be >= 1 and lengths >= 0")
    order = np.argsort(starts, kind="stable")
    return _merge(np.stack([starts[order], starts[order] + lengths[order]], axis=1))


def _merge(iv: np.ndarray) -> np.ndarray:
    """Merge overlapping/adjacent sorted intervals (agents may emit overlapping runs)."""
    if len(iv) < 2:
        return iv
    running_end = np.maximum.accumulate(iv[:, 1])
    new_group = np.concatenate([[True], iv[1:, 0] > running_end[:-1]])
    group = np.cumsum(new_group) - 1
    starts = iv[new_group, 0]
    ends = np.zeros(len(starts), dtype=np.int64)
    np.maximum.at(ends, group, iv[:, 1])
    return np.stack([starts, ends], axis=1)


def _size(iv: np.ndarray) -> int:
    return int((iv[:, 1] - iv[:, 0]).sum())


def _overlap(a: np.ndarray, b: np.ndarray) -> int:
    """Total length of the intersection of two merged interval lists."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i, 0], b[j, 0]), min(a[i, 1], b[j, 1])
        total += max(0, hi - lo)
        if a[i, 1] < b[j, 1]:
            i += 1
        else:
            j += 1
    return int(total)


def _counts(y_true: Any, y_pred: Any) -> list[tuple[int, int, int]]:
    """Per row: (|true|, |pred|, |true ∩ pred|) of RLE masks."""
    t, p = strings(y_true), strings(y_pred)
    check_pair(np.asarray(t), np.asarray(p))
    out = []
    for a, b in zip(t, p):
        ia, ib = rle_intervals(a), rle_intervals(b)
        out.append((_size(ia), _size(ib), _overlap(ia, ib)))
    return out


def dice_global(y_true: Any, y_pred: Any) -> float:
    """Dice over all pixels of all images together (contrails); 1 when everything is empty."""
    counts = np.asarray(_counts(y_true, y_pred), dtype=float)
    denom = counts[:, 0].sum() + counts[:, 1].sum()
    return 1.0 if denom == 0 else float(2 * counts[:, 2].sum() / denom)


def dice_mean(y_true: Any, y_pred: Any) -> float:
    """Mean per-image Dice (HuBMAP); an image where both masks are empty scores 1."""
    scores = [1.0 if a + b == 0 else 2 * c / (a + b) for a, b, c in _counts(y_true, y_pred)]
    return float(np.mean(scores))


def fbeta_rle_mean(y_true: Any, y_pred: Any, beta: float = 0.5) -> float:
    """Pixel-wise F-beta per image (fragment), averaged (Vesuvius ink: beta 0.5)."""
    scores = []
    for a, b, c in _counts(y_true, y_pred):
        scores.append(1.0 if a + b == 0 else fbeta_from_counts(c, b - c, a - c, beta))
    return float(np.mean(scores))


def iou_precision_mean(y_true: Any, y_pred: Any, thresholds: Any = None, image_pixels: int | None = None) -> float:
    """TGS salt: per image, the fraction of IoU thresholds (0.5, 0.55, ..., 0.95) the single predicted
    object clears (IoU > t); both empty scores 1, exactly one empty scores 0; mean over images.

    With `image_pixels` (MLE-bench's grader): an empty prediction for a non-empty mask is binned by
    MLE-bench's histogram as if every pixel were predicted, so its IoU is |mask| / image_pixels
    (a mask covering 62% of the image then scores 0.3, not 0; see bench/DEVIATIONS.md)."""
    ts = np.arange(0.5, 1.0, 0.05) if thresholds is None else np.asarray(thresholds, float)
    scores = []
    for a, b, c in _counts(y_true, y_pred):
        if a + b == 0:
            scores.append(1.0)
        elif a > 0 and b == 0 and image_pixels is not None:
            scores.append(float(np.mean(a / image_pixels > ts)))
        elif a == 0 or b == 0:
            scores.append(0.0)
        else:
            scores.append(float(np.mean(c / (a + b - c) > ts)))
    return float(np.mean(scores))


def _hausdorff(a: np.ndarray, b: np.ndarray) -> float:
    """Symmetric Hausdorff distance between two non-empty boolean volumes (voxel units)."""
    from scipy.ndimage import distance_transform_edt

    to_b = distance_transform_edt(~b)
    to_a = distance_transform_edt(~a)
    return float(max(to_b[a].max(), to_a[b].max()))


def dice_hausdorff(
    y_true: Any, y_pred: Any, shapes: Any, dice_weight: float = 0.4, hausdorff_weight: float = 0.6,
) -> float:
    """UW-Madison GI tract (reasonable fidelity): per volume (one row = one case/class RLE over a
    3-D volume of `shapes[i]`), dice_weight*Dice + hausdorff_weight*(1 - Hausdorff/diagonal);
    both empty: Dice 1, distance 0; one empty: Dice 0, distance 1. Mean over rows."""
    t, p = strings(y_true), strings(y_pred)
    check_pair(np.asarray(t), np.asarray(p))
    scores = []
    for truth, pred, shape in zip(t, p, shapes):
        shape = tuple(int(s) for s in shape)
        a, b = rle_decode(truth, shape), rle_decode(pred, shape)
        if not a.any() and not b.any():
            dice, dist = 1.0, 0.0
        elif not a.any() or not b.any():
            dice, dist = 0.0, 1.0
        else:
            dice = 2 * (a & b).sum() / (a.sum() + b.sum())
            dist = min(1.0, _hausdorff(a, b) / float(np.sqrt(np.sum(np.square(shape)))))
        scores.append(dice_weight * dice + hausdorff_weight * (1 - dist))
    return float(np.mean(scores))


# --- MLE-bench's own RLE reading, exactly -------------------------------------------------------
# MLE-bench's graders decode with `mlebench.competitions.utils.rle_decode`, which refuses unsorted
# starts, starts or lengths below 1 and runs overlapping an earlier run, but silently cuts runs at
# the image's end. The functions below give the same verdicts and the same pixels, computed on runs
# (a kidney slide of a billion pixels costs its number of runs, not a gigabyte of mask).

def mle_rle_runs(rle: Any, size: int) -> np.ndarray:
    """MLE-bench's reading of one RLE over `size` pixels: merged half-open 0-based runs (m, 2),
    cut at `size`. Raises InvalidSubmissionError wherever MLE-bench's `rle_decode` raises."""
    if not isinstance(rle, str):
        raise InvalidSubmissionError(f"an RLE mask must be text, got {type(rle).__name__}: {rle!r}"[:200])
    if not rle.strip():
        return np.zeros((0, 2), dtype=np.int64)
    try:
        numbers = [int(token) for token in rle.split()]
    except ValueError:
        raise InvalidSubmissionError(f"RLE must be integers 'start length ...': {rle[:60]!r}") from None
    starts, lengths = numbers[0::2], numbers[1::2]
    if starts != sorted(starts):
        raise InvalidSubmissionError("the runs of an RLE must be sorted by start")
    if any(x <= 0 for x in starts) or any(x <= 0 for x in lengths):
        raise InvalidSubmissionError("RLE starts and lengths must be positive integers")
    lo = np.asarray(starts, dtype=np.int64) - 1
    try:  # an odd count: numpy broadcasting decides, as in MLE-bench ("5" is empty, "1 2 3" two runs)
        hi = lo + np.asarray(lengths, dtype=np.int64)
    except ValueError:
        raise InvalidSubmissionError("RLE must hold start/length pairs (an odd count of numbers)") from None
    if len(hi) < len(lo):
        lo = lo[: len(hi)]
    return _cut_runs(lo, hi, size)


def _cut_runs(lo: np.ndarray, hi: np.ndarray, size: int) -> np.ndarray:
    """Runs (sorted by start) cut at `size`; a run reaching into an earlier one is refused."""
    lo, hi = np.minimum(lo, size), np.minimum(hi, size)
    keep = hi > lo
    lo, hi = lo[keep], hi[keep]
    if len(lo) > 1 and (lo[1:] < np.maximum.accumulate(hi)[:-1]).any():
        raise InvalidSubmissionError("the runs of an RLE must not overlap")
    return _merge(np.stack([lo, hi], axis=1)) if len(lo) else np.zeros((0, 2), dtype=np.int64)


def mle_rle_decode(rle: Any, height: int, width: int) -> np.ndarray:
    """MLE-bench's `rle_decode`: a (height, width) boolean mask, pixels numbered down the columns."""
    mask = np.zeros(height * width, dtype=bool)
    for lo, hi in mle_rle_runs(rle, height * width):
        mask[lo:hi] = True
    return mask.reshape((width, height)).T


def run_counts(truth: np.ndarray, pred: np.ndarray) -> tuple[int, int, int]:
    """(|truth|, |pred|, |truth ∩ pred|) of two merged run lists."""
    return _size(truth), _size(pred), _overlap(truth, pred)
