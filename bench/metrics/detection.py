"""Object-detection metrics at reasonable fidelity (see each docstring for how close to Kaggle).

Boxes arrive as Kaggle PredictionStrings, one row per image. 2-D mAP is PASCAL VOC's all-point
interpolated AP per class, averaged over classes that have ground truth (SIIM COVID at IoU 0.5;
VinBigData used pycocotools' 101-point AP at IoU 0.4, which differs in the third decimal at most
on typical data). The 3-D mAP is Lyft's evaluation as MLE-bench runs it (per-sample mAP over
IoU 0.5:0.95, rotated base overlap times height overlap), see `lyft_map`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Sequence

import numpy as np
from sklearn.metrics import average_precision_score

from bench.errors import InvalidSubmissionError
from bench.metrics._common import check_pair, strings

Box = tuple[float, ...]


def _parse(text: str, width: int, row: int) -> list[list[str]]:
    parts = text.split()
    if len(parts) % width:
        raise InvalidSubmissionError(
            f"row {row}: PredictionString must hold groups of {width} fields, got {len(parts)} fields"
        )
    return [parts[i: i + width] for i in range(0, len(parts), width)]


def _floats(fields: Sequence[str], row: int) -> list[float]:
    try:
        return [float(f) for f in fields]
    except ValueError:
        raise InvalidSubmissionError(f"row {row}: box coordinates must be numbers: {fields}") from None


def iou_2d(a: Box, b: Box) -> float:
    """IoU of two (x1, y1, x2, y2) boxes."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def average_precision(matched: list[tuple[float, bool]], n_truth: int) -> float:
    """All-point interpolated AP from (confidence, is_true_positive) pairs."""
    if n_truth == 0:
        return 0.0
    matched.sort(key=lambda m: -m[0])
    tp = np.cumsum([m[1] for m in matched], dtype=float)
    fp = np.cumsum([not m[1] for m in matched], dtype=float)
    recall = np.concatenate([[0.0], tp / n_truth, [1.0]])
    precision = np.concatenate([[0.0], tp / np.maximum(tp + fp, 1e-12), [0.0]])
    precision = np.maximum.accumulate(precision[::-1])[::-1]
    steps = np.flatnonzero(recall[1:] != recall[:-1]) + 1
    return float(np.sum((recall[steps] - recall[steps - 1]) * precision[steps]))


def detection_map(
    truths: list[list[tuple[str, Box]]], preds: list[list[tuple[str, float, Box]]],
    iou_threshold: float = 0.5, iou_fn: Any = iou_2d,
) -> float:
    """mAP over classes: per image, predictions (by confidence) greedily match the unmatched truth
    box of their class with the highest IoU >= threshold."""
    matched: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    n_truth: dict[str, int] = defaultdict(int)
    for gt, pr in zip(truths, preds):
        for label, _ in gt:
            n_truth[label] += 1
        used = [False] * len(gt)
        for label, conf, box in sorted(pr, key=lambda x: -x[1]):
            best, best_iou = -1, iou_threshold
            for k, (g_label, g_box) in enumerate(gt):
                if used[k] or g_label != label:
                    continue
                iou = iou_fn(box, g_box)
                if iou >= best_iou:
                    best, best_iou = k, iou
            if best >= 0:
                used[best] = True
            matched[label].append((conf, best >= 0))
    classes = [c for c in n_truth if n_truth[c] > 0]
    if not classes:
        return 0.0
    return float(np.mean([average_precision(matched[c], n_truth[c]) for c in classes]))


def box_map(y_true: Any, y_pred: Any, iou_threshold: float = 0.5) -> float:
    """mAP of 'label confidence x1 y1 x2 y2 ...' strings (the truth's confidence is ignored)."""
    t, p = strings(y_true), strings(y_pred)
    check_pair(np.asarray(t), np.asarray(p))
    truths = [[(f[0], tuple(_floats(f[2:], i))) for f in _parse(s, 6, i)] for i, s in enumerate(t)]
    preds = [[(f[0], *_floats(f[1:2], i), tuple(_floats(f[2:], i))) for f in _parse(s, 6, i)]
             for i, s in enumerate(p)]
    return detection_map(truths, preds, iou_threshold)


def point_in_box_f1(y_true: Any, y_pred: Any) -> float:
    """Kuzushiji: truth 'label x y w h ...', predictions 'label cx cy ...'. A predicted centre is a
    TP when it falls inside a not-yet-matched truth box of the same label; micro F1 over all pages."""
    t, p = strings(y_true), strings(y_pred)
    check_pair(np.asarray(t), np.asarray(p))
    tp = fp = fn = 0
    for i, (truth, pred) in enumerate(zip(t, p)):
        boxes = [(f[0], _floats(f[1:], i)) for f in _parse(truth, 5, i)]
        used = [False] * len(boxes)
        for label, *xy in _parse(pred, 3, i):
            cx, cy = _floats(xy, i)
            hit = next((k for k, (lab, (x, y, w, h)) in enumerate(boxes)
                        if not used[k] and lab == label and x < cx < x + w and y < cy < y + h), -1)
            if hit >= 0:
                used[hit] = True
                tp += 1
            else:
                fp += 1
        fn += used.count(False)
    return 0.0 if tp == 0 else float(2 * tp / (2 * tp + fp + fn))


def _corners(cx: float, cy: float, w: float, length: float, yaw: float) -> np.ndarray:
    c, s = np.cos(yaw), np.sin(yaw)
    local = np.array([[length, w], [-length, w], [-length, -w], [length, -w]]) / 2  # counter-clockwise
    return local @ np.array([[c, s], [-s, c]]) + [cx, cy]


def _clip(subject: list[np.ndarray], a: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
    """One Sutherland-Hodgman step: keep the part of `subject` left of edge a->b."""
    def side(q: np.ndarray) -> float:
        return (b[0] - a[0]) * (q[1] - a[1]) - (b[1] - a[1]) * (q[0] - a[0])

    out = []
    for k, cur in enumerate(subject):
        prev = subject[k - 1]
        sc, sp = side(cur), side(prev)
        if sc >= 0:
            if sp < 0:
                out.append(prev + (cur - prev) * sp / (sp - sc))
            out.append(cur)
        elif sp >= 0:
            out.append(prev + (cur - prev) * sp / (sp - sc))
    return out


def _area(poly: list[np.ndarray]) -> float:
    if len(poly) < 3:
        return 0.0
    x, y = np.array(poly).T
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def iou_3d(a: Box, b: Box) -> float:
    """IoU of (cx, cy, cz, w, l, h, yaw) boxes: rotated BEV overlap times height overlap."""
    pa, pb = _corners(a[0], a[1], a[3], a[4], a[6]), _corners(b[0], b[1], b[3], b[4], b[6])
    poly = list(pa)
    for k in range(4):
        poly = _clip(poly, pb[k], pb[(k + 1) % 4])
        if not poly:
            return 0.0
    inter_bev = _area(poly)
    z = min(a[2] + a[5] / 2, b[2] + b[5] / 2) - max(a[2] - a[5] / 2, b[2] - b[5] / 2)
    inter = inter_bev * max(z, 0.0)
    union = a[3] * a[4] * a[5] + b[3] * b[4] * b[5] - inter
    return inter / union if union > 0 else 0.0


def map_3d(y_true: Any, y_pred: Any) -> float:
    """Lyft 3-D detection, exactly as MLE-bench grades it (see `lyft_map`): truth
    'cx cy cz w l h yaw class ...', predictions 'conf cx cy cz w l h yaw class ...', one row per
    sample; the mean over samples and IoU thresholds 0.5:0.95 of each sample's mAP."""
    t, p = strings(y_true), strings(y_pred)
    check_pair(np.asarray(t), np.asarray(p))
    truths = [[(f[7], 1.0, tuple(_floats(f[:7], i))) for f in _parse(s, 8, i)] for i, s in enumerate(t)]
    preds = [lyft_boxes(s, i) for i, s in enumerate(p)]
    return lyft_map(truths, preds)


# --- Lyft 3-D mAP exactly as MLE-bench grades it (Lyft's mAP_evaluation, per sample) ----------

LYFT_THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def lyft_tokens(text: str, row: int) -> list[list[str]]:
    """A PredictionString cut into groups of 9 tokens (`confidence cx cy cz w l h yaw class`).

    Split on single spaces as MLE-bench does (a double space makes an empty token, which is not a
    number); a blank string has no boxes."""
    if text.strip() == "":
        return []
    tokens = text.split(" ")
    if len(tokens) % 9:
        raise InvalidSubmissionError(f"row {row}: PredictionString must hold 9 tokens per box "
                                     f"(confidence cx cy cz width length height yaw class), got {len(tokens)}")
    return [tokens[i: i + 9] for i in range(0, len(tokens), 9)]


def lyft_boxes(text: str, row: int) -> list[tuple[str, float, Box]]:
    """(class, confidence, (cx, cy, cz, width, length, height, yaw)) of each box of a string."""
    out = []
    for group in lyft_tokens(text, row):
        numbers = _floats(group[:8], row)
        out.append((group[8], numbers[0], tuple(numbers[1:8])))
    return out


def _lyft_footprint(box: Box) -> list[np.ndarray]:
    """The box's base as Lyft's evaluation builds it: heading (cos, sin) taken from the yaw
    quaternion (w = cos(yaw/2), z = sin(yaw/2)), corners front-right, front-left, back-left,
    back-right (counter-clockwise)."""
    cx, cy, _, width, length, _, yaw = box
    w, z = np.cos(yaw / 2), np.sin(yaw / 2)
    c, s = w * w - z * z, z * w + w * z
    hl, hw = length / 2, width / 2
    return [np.array(p) for p in ((cx + hl * c + hw * s, cy + hl * s - hw * c), (cx + hl * c - hw * s, cy + hl * s + hw * c),
                                  (cx - hl * c - hw * s, cy - hl * s + hw * c), (cx - hl * c + hw * s, cy - hl * s - hw * c))]


def _lyft_check(box: Box, row: int) -> None:
    """Lyft's Box3D checks, which MLE-bench meets only for boxes it compares."""
    yaw = box[6]
    if any(np.isnan(box[:6])) or not np.isfinite(yaw):
        raise InvalidSubmissionError(f"row {row}: a box has a NaN (or infinite yaw)")
    if not all(v > 0 for v in box[3:6]):
        raise InvalidSubmissionError(f"row {row}: box sizes must be positive: {box[3:6]}")


def lyft_iou(a: Box, b: Box) -> float:
    """3-D IoU of two boxes: base overlap times height overlap over the union, clipped to [0, 1]."""
    pa, pb = _lyft_footprint(a), _lyft_footprint(b)
    poly = list(pa)
    for k in range(4):
        poly = _clip(poly, pb[k], pb[(k + 1) % 4])
        if not poly:
            break
    area = _area(poly) if poly else 0.0
    top = min(a[2] + a[5] / 2, b[2] + b[5] / 2)
    bottom = max(a[2] - a[5] / 2, b[2] - b[5] / 2)
    inter = max(0, top - bottom) * area
    union = a[3] * a[4] * a[5] + b[3] * b[4] * b[5] - inter
    return float(np.clip(inter / union, 0, 1))


def _lyft_ious(truth: list[Box], preds: list[Box]) -> np.ndarray:
    """IoU matrix (predictions x truths); pairs whose bases cannot touch are 0 without geometry."""
    out = np.zeros((len(preds), len(truth)))
    if not preds or not truth:
        return out
    t, p = np.array(truth, float), np.array(preds, float)
    reach = np.hypot(t[:, 3], t[:, 4])[None, :] / 2 + np.hypot(p[:, 3], p[:, 4])[:, None] / 2
    gap = np.hypot(p[:, None, 0] - t[None, :, 0], p[:, None, 1] - t[None, :, 1])
    for i, j in zip(*np.nonzero(~(gap > reach))):
        out[i, j] = lyft_iou(preds[i], truth[j])
    return out


def _lyft_ap(ious: np.ndarray, n_truth: int, threshold: float) -> float:
    """Lyft's AP of one class in one sample: predictions in confidence order each take the truth
    box of highest IoU (first on ties); above the threshold and not yet taken it is a TP."""
    taken = np.zeros(n_truth, bool)
    hits = []
    for row in ious:
        best = int(np.argmax(row)) if n_truth else -1
        hit = n_truth > 0 and bool(np.max(row) > threshold) and not taken[best]
        if hit:
            taken[best] = True
        hits.append(hit)
    tp = np.cumsum(np.array(hits, float))
    fp = np.cumsum(1.0 - np.array(hits, float))
    recall = np.concatenate(([0.0], tp / float(n_truth), [1.0]))
    precision = np.concatenate(([0.0], tp / np.maximum(tp + fp, np.finfo(np.float64).eps), [0.0]))
    for i in range(precision.size - 1, 0, -1):
        precision[i - 1] = np.maximum(precision[i - 1], precision[i])
    steps = np.where(recall[1:] != recall[:-1])[0]
    return float(np.sum((recall[steps + 1] - recall[steps]) * precision[steps + 1]))


def lyft_sample_maps(truth: list[tuple[str, float, Box]], preds: list[tuple[str, float, Box]], row: int = 0,
                     thresholds: Sequence[float] = LYFT_THRESHOLDS) -> list[float]:
    """One sample's mAP at each threshold: the mean AP over the classes of its truth (a class with
    no prediction scores 0; predicted classes absent from the truth are ignored; a sample without
    truth boxes gives NaN, as NumPy's mean of nothing)."""
    classes = sorted({name for name, _, _ in truth})
    if not classes:
        return [float("nan")] * len(thresholds)
    per_class = {}
    for name in classes:
        mine = [box for label, _, box in truth if label == name]
        theirs = sorted([(conf, box) for label, conf, box in preds if label == name], key=lambda x: x[0], reverse=True)
        if not theirs:
            continue
        for box in mine:
            _lyft_check(box, row)
        for _, box in theirs:
            _lyft_check(box, row)
        per_class[name] = (_lyft_ious(mine, [box for _, box in theirs]), len(mine))
    return [float(np.mean([_lyft_ap(*per_class[c], t) if c in per_class else 0.0 for c in classes]))
            for t in thresholds]


def lyft_map(truths: list[list[tuple[str, float, Box]]], preds: list[list[tuple[str, float, Box]]]) -> float:
    """Mean over samples and the IoU thresholds 0.5:0.95 of each sample's mAP (MLE-bench's
    Lyft score); NaN when a sample has no truth box."""
    maps = [m for row, (t, p) in enumerate(zip(truths, preds)) for m in lyft_sample_maps(t, p, row)]
    return float(np.mean(maps))


# --- MLE-bench's SIIM-COVID mAP, exactly ------------------------------------------------------
# MLE-bench grades siim-covid19-detection with its own mAP: every label is a class (also "none" and
# "negative"), a prediction matches the unmatched truth box of its class with the highest IoU above
# 0.5 (strictly), and each class's AP is scikit-learn's `average_precision_score` over pairs
# (is-true, confidence): a match (1, c), a false positive (0, c), a missed box (1, 0), and an image
# with nothing of the class on either side (0, 0). The float operations follow its order exactly,
# so thresholds fall the same way.

Labelled = tuple[str, float, float, float, float, float]


def mle_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """IoU of (xmin, ymin, xmax, ymax) boxes, `a` the prediction, operations in MLE-bench's order."""
    inter = max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def parse_labelled_boxes(text: Any) -> list[Labelled]:
    """'label confidence xmin ymin xmax ymax ...' -> tuples; refused where MLE-bench's parser fails."""
    if not isinstance(text, str):
        raise InvalidSubmissionError(f"PredictionString must be text, got {text!r}")
    tokens = text.strip().split()
    if len(tokens) % 6:
        raise InvalidSubmissionError(f"PredictionString must hold groups of 6 fields "
                                     f"(label confidence xmin ymin xmax ymax), got {len(tokens)} fields")
    try:
        return [(tokens[i], *(float(t) for t in tokens[i + 1: i + 6])) for i in range(0, len(tokens), 6)]
    except ValueError as exc:
        raise InvalidSubmissionError(f"PredictionString could not be parsed: {exc}") from None


def class_pairs_map(truths: list[list[Labelled]], preds: list[list[Labelled]], iou_above: float = 0.5) -> float:
    """MLE-bench's SIIM-COVID mAP over the classes present in `truths` (images paired by position).
    Each image's predictions are re-sorted by confidence in place for every class, as there (which
    matters only for NaN confidences)."""
    preds = [list(image) for image in preds]
    aps = []
    for cls in sorted({box[0] for image in truths for box in image}):
        y_true: list[int] = []
        y_score: list[float] = []
        for image_preds, image_truths in zip(preds, truths):
            image_preds.sort(key=lambda p: p[1], reverse=True)
            pairs = _class_pairs(cls, image_preds,
                                 [t[2:] for t in image_truths if t[0] == cls], iou_above)
            y_true += [p[0] for p in pairs]
            y_score += [p[1] for p in pairs]
        if all(y == 1 for y in y_true):
            raise InvalidSubmissionError(f"class {cls}: every pair is a true box, the AP is undefined")
        try:
            aps.append(average_precision_score(y_true, y_score))
        except ValueError as exc:
            raise InvalidSubmissionError(f"class {cls}: the AP cannot be computed: {exc}") from None
    return float(np.mean(aps)) if aps else 0.0


def _class_pairs(cls: str, preds: list[Labelled], truths: list[tuple], iou_above: float) -> list[tuple]:
    matched = [False] * len(truths)
    pairs: list[tuple] = []
    for pred in (p for p in preds if p[0] == cls):
        best, best_iou = -1, 0
        for k, truth in enumerate(truths):
            if not matched[k]:
                iou = mle_iou(pred[2:], truth)
                if iou > best_iou and iou > iou_above:
                    best, best_iou = k, iou
        pairs.append((1 if best >= 0 else 0, pred[1]))
        if best >= 0:
            matched[best] = True
    pairs += [(1, 0)] * matched.count(False)
    return pairs or [(0, 0)]
