"""uw-madison-gi-tract-image-segmentation: MLE-bench's 0.4 · Dice + 0.6 · (1 - Hausdorff), exactly.

What MLE-bench's grader does, and so ours (bench/DEVIATIONS.md K-D1): the submission needs the
columns `id`, `class`, `predicted`; its rows are paired with the answers' by POSITION (ids are not
compared, the row count is not checked: extra rows are ignored, missing ones shorten both sides),
each RLE decoded over the answer row's `image_height` x `image_width` (column-major, empty = no
organ). Dice per row, rows where both masks are empty skipped (NaN-mean). The Hausdorff term works
per case-day: the rows are sorted by their own file's id, the classes of a slice ORed together,
the slices of a day stacked into a volume; the symmetric Hausdorff distance of the voxel
coordinates scaled to the unit cube, over its diagonal (0 when equal, 1 when one side is empty or
the prediction holds over ten times the true voxels; days empty on both sides skipped).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.spatial.distance import directed_hausdorff

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns
from bench.metrics.segmentation import mle_rle_decode

DICE_WEIGHT, HAUSDORFF_WEIGHT = 0.4, 0.6


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["id", "class", "predicted"])
    heights = answers["image_height"].astype(int).tolist()
    widths = answers["image_width"].astype(int).tolist()
    predicted = _decode(submission["predicted"], heights, widths)
    truths = _decode(answers["predicted"], heights, widths)
    predicted_days, true_days = _volumes(predicted, submission["id"]), _volumes(truths, answers["id"])
    with warnings.catch_warnings():  # NaN-means of nothing are NaN, as in MLE-bench
        warnings.simplefilter("ignore", RuntimeWarning)
        dice = np.nanmean([_dice(p, t) for p, t in zip(predicted, truths)])
        distance = np.nanmean([_hausdorff(p, t) for p, t in zip(predicted_days, true_days)])
    return float(DICE_WEIGHT * dice + HAUSDORFF_WEIGHT * (1 - distance))


def _decode(rles: pd.Series, heights: list[int], widths: list[int]) -> list[np.ndarray]:
    cells = rles.astype(object).fillna("")
    return [mle_rle_decode(rle, h, w) for rle, h, w in zip(cells, heights, widths)]


def _volumes(masks: list[np.ndarray], ids: pd.Series) -> list[np.ndarray]:
    """One 3-D mask per case-day, in id order: the classes of a slice ORed, the slices stacked."""
    if not all(isinstance(i, str) for i in ids):
        raise InvalidSubmissionError("every id must be text like case123_day20_slice_0001")
    slices: dict[str, list[np.ndarray]] = {}
    for mask, slice_id in sorted(zip(masks, ids), key=lambda pair: pair[1]):
        slices.setdefault(slice_id, []).append(mask)
    days: dict[str, list[np.ndarray]] = {}
    try:
        for slice_id, group in slices.items():
            days.setdefault(slice_id.split("_slice_")[0], []).append(np.logical_or.reduce(group).astype(np.uint8))
        return [np.stack(day, axis=0) for day in days.values()]
    except ValueError as exc:
        raise InvalidSubmissionError(f"the masks of one slice or day differ in size ({exc}); "
                                     "rows are paired with the test set's by position") from None


def _dice(predicted: np.ndarray, truth: np.ndarray) -> float:
    n_pred, n_true = int(predicted.sum()), int(truth.sum())
    if n_pred + n_true == 0:
        return float("nan")
    return 2 * int((predicted & truth).sum()) / (n_pred + n_true)


def _hausdorff(predicted: np.ndarray, truth: np.ndarray) -> float:
    n_pred, n_true = int(predicted.sum()), int(truth.sum())
    if n_pred == 0 and n_true == 0:
        return float("nan")
    if np.array_equal(predicted, truth):
        return 0.0
    if n_pred == 0 or n_true == 0 or n_pred > 10 * n_true:
        return 1.0
    scale = truth.shape
    true_points, predicted_points = np.argwhere(truth) / scale, np.argwhere(predicted) / scale
    distance = max(directed_hausdorff(true_points, predicted_points)[0],
                   directed_hausdorff(predicted_points, true_points)[0])
    return distance / np.sqrt(3)
