"""Mask (RLE) and detection metrics, checked against dense numpy computations and hand cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bench.errors import InvalidSubmissionError
from bench.metrics import get_metric, rle_decode, rle_encode
from bench.metrics.detection import average_precision, iou_3d
from bench.metrics.segmentation import mle_rle_decode, mle_rle_runs

RNG = np.random.default_rng(2)


def m(name: str, *args, **kwargs) -> float:
    return get_metric(name)(*args, **kwargs)


def _masks(n: int, shape=(17, 13), p=0.3) -> list[np.ndarray]:
    return [RNG.random(shape) < p for _ in range(n)]


def test_rle_roundtrip_and_kaggle_convention():
    mask = np.array([[0, 1], [1, 1]], dtype=bool)  # column-major: pixels 1..4 = 0,1,1,1
    assert rle_encode(mask) == "2 3"
    assert rle_encode(mask, order="C") == "2 3"
    assert rle_encode(np.zeros((3, 3), bool)) == ""
    for mk in _masks(20):
        assert (rle_decode(rle_encode(mk), mk.shape) == mk).all()
        assert (rle_decode(rle_encode(mk, order="C"), mk.shape, order="C") == mk).all()
    with pytest.raises(InvalidSubmissionError, match="beyond"):
        rle_decode("5 10", (3, 3))
    with pytest.raises(InvalidSubmissionError, match="even"):
        rle_decode("1 2 3", (3, 3))


def test_dice_global_and_mean_match_dense_computation():
    truth, pred = _masks(12), _masks(12)
    truth[0][:] = False
    pred[0][:] = False  # both empty: 1 in the per-image mean
    pred[1][:] = False  # prediction empty, truth not: 0
    per_image = [1.0 if t.sum() + p.sum() == 0 else 2 * (t & p).sum() / (t.sum() + p.sum()) for t, p in zip(truth, pred)]
    total = 2 * sum((t & p).sum() for t, p in zip(truth, pred)) / sum(t.sum() + p.sum() for t, p in zip(truth, pred))
    tr, pr = np.array([rle_encode(x) for x in truth]), np.array([rle_encode(x) for x in pred])
    assert m("dice_mean", tr, pr) == pytest.approx(np.mean(per_image))
    assert per_image[0] == 1.0 and per_image[1] == 0.0
    assert m("dice_global", tr, pr) == pytest.approx(total)
    assert m("dice_global", np.array(["", ""]), np.array(["", np.nan], dtype=object)) == 1.0


def test_overlapping_unsorted_runs_are_merged():
    # runs 5-9 and 7-11 overlap: pixels 5..11 (7 pixels)
    assert m("dice_mean", np.array(["5 7"]), np.array(["7 5 5 5"])) == 1.0


def test_fbeta_rle_mean_matches_dense():
    from sklearn.metrics import fbeta_score

    truth, pred = _masks(5), _masks(5)
    expected = np.mean([fbeta_score(t.ravel(), p.ravel(), beta=0.5) for t, p in zip(truth, pred)])
    got = m("fbeta_rle_mean", np.array([rle_encode(x) for x in truth]), np.array([rle_encode(x) for x in pred]))
    assert got == pytest.approx(expected)


def test_iou_precision_mean_tgs_cases():
    a = np.zeros((10, 10), bool)
    a[:5, :] = True  # 50 pixels
    b = np.zeros((10, 10), bool)
    b[:4, :] = True  # IoU 0.8: clears 0.5..0.75 (6 of 10 thresholds)
    enc = rle_encode
    assert m("iou_precision_mean", np.array([enc(a)]), np.array([enc(b)])) == pytest.approx(0.6)
    assert m("iou_precision_mean", np.array([""]), np.array([""])) == 1.0
    assert m("iou_precision_mean", np.array([""]), np.array([enc(b)])) == 0.0
    assert m("iou_precision_mean", np.array([enc(a)]), np.array([""])) == 0.0


def test_dice_hausdorff_perfect_empty_and_shifted():
    vol = np.zeros((4, 8, 8), bool)
    vol[1:3, 2:5, 2:5] = True
    shifted = np.roll(vol, 2, axis=2)
    enc = [rle_encode(vol), rle_encode(shifted)]
    shapes = [vol.shape]
    assert m("dice_hausdorff", np.array([enc[0]]), np.array([enc[0]]), shapes=shapes) == 1.0
    assert m("dice_hausdorff", np.array([""]), np.array([""]), shapes=shapes) == 1.0
    assert m("dice_hausdorff", np.array([enc[0]]), np.array([""]), shapes=shapes) == 0.0
    dice = 2 * (vol & shifted).sum() / (2 * vol.sum())
    expected = 0.4 * dice + 0.6 * (1 - 2 / math.sqrt(4 ** 2 + 8 ** 2 + 8 ** 2))
    assert m("dice_hausdorff", np.array([enc[0]]), np.array([enc[1]]), shapes=shapes) == pytest.approx(expected)


def test_average_precision_all_point_hand_computed():
    # 3 truths; ranked TP, FP, TP: precision 1, 1/2, 2/3 at recall 1/3, 1/3, 2/3
    assert average_precision([(0.9, True), (0.8, False), (0.7, True)], 3) == pytest.approx(1 / 3 + (2 / 3) * (1 / 3))
    assert average_precision([], 2) == 0.0


def test_box_map_hand_computed_and_malformed():
    truth = np.array(["opacity 1 0 0 10 10 opacity 1 20 20 30 30", "none 1 0 0 1 1"])
    perfect = np.array(["opacity 0.9 0 0 10 10 opacity 0.8 20 20 30 30", "none 1 0 0 1 1"])
    assert m("box_map", truth, perfect) == 1.0
    # one good box (IoU 0.81), one miss (IoU 0), class 'none' right: opacity AP = 0.5, none AP = 1
    partial = np.array(["opacity 0.9 0 0 9 9 opacity 0.8 50 50 60 60", "none 1 0 0 1 1"])
    assert m("box_map", truth, partial) == pytest.approx(0.75)
    # at IoU 0.9 the 0.81 box no longer counts
    assert m("box_map", truth, partial, iou_threshold=0.9) == pytest.approx(0.5)
    with pytest.raises(InvalidSubmissionError, match="groups of 6"):
        m("box_map", truth, np.array(["opacity 0.9 0 0 10", ""]))


def test_point_in_box_f1():
    truth = np.array(["U+1 0 0 10 10 U+2 20 20 5 5"])
    pred = np.array(["U+1 5 5 U+2 5 5 U+1 6 6"])  # TP, FP (wrong label), FP (box already used)
    tp, fp, fn = 1, 2, 1
    assert m("point_in_box_f1", truth, pred) == pytest.approx(2 * tp / (2 * tp + fp + fn))


def test_iou_3d_rotated_and_map_3d():
    box = (0, 0, 0, 2, 4, 2, 0.0)
    assert iou_3d(box, box) == pytest.approx(1.0)
    assert iou_3d(box, (0, 0, 0, 2, 4, 2, math.pi)) == pytest.approx(1.0)
    # rotated by 90 degrees: a 2x4 and a 4x2 rectangle share a 2x2 square
    assert iou_3d(box, (0, 0, 0, 2, 4, 2, math.pi / 2)) == pytest.approx(4 / 12)
    assert iou_3d(box, (0, 0, 1, 2, 4, 2, 0.0)) == pytest.approx(1 / 3)  # half the height overlaps
    assert iou_3d(box, (10, 0, 0, 2, 4, 2, 0.0)) == 0.0
    truth = np.array(["0 0 0 2 4 2 0 car"])
    assert m("map_3d", truth, np.array(["0.9 0 0 0 2 4 2 0 car"])) == 1.0
    assert m("map_3d", truth, np.array(["0.9 0 0 0 2 4 2 0 truck"])) == 0.0


def test_mle_rle_runs_reads_rle_as_mle_bench_does():
    assert mle_rle_runs("", 10).tolist() == [] and mle_rle_runs("5", 10).tolist() == []  # lone number: nothing
    assert mle_rle_runs("1 3 5", 10).tolist() == [[0, 3], [4, 7]]  # three numbers: numpy broadcasting
    assert mle_rle_runs("8 5", 10).tolist() == [[7, 10]] and mle_rle_runs("20 2", 10).tolist() == []  # cut
    assert mle_rle_runs("1 2 3 2", 10).tolist() == [[0, 4]]  # adjacent runs are fine
    for bad in ("1 3 2 2", "5 1 1 1", "0 2", "1 0", "1 2 3 4 5", "1.5 2", 7):
        with pytest.raises(InvalidSubmissionError):
            mle_rle_runs(bad, 10)
    assert mle_rle_decode("2 2", 2, 3).tolist() == [[False, True, False], [True, False, False]]  # down columns
