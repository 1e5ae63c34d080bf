"""Classification metrics: accuracy, AUC variants, log losses, kappa, F-scores, MCC, KL divergence."""

from __future__ import annotations

import logging
from typing import Any, Sequence

import numpy as np

from bench.errors import InvalidSubmissionError, MetricError
from bench.metrics._common import (
    as_2d, check_pair, floats_pair, in_unit_interval, strings, to_float, two_classes,
)

logger = logging.getLogger(__name__)

KAGGLE_EPS = 1e-15  # Kaggle's log-loss clipping


def _labels_pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Labels compared as text, so 1 and "1" agree (CSV reading can type them differently)."""
    t = np.asarray(strings(y_true), dtype=object)
    p = np.asarray(strings(y_pred), dtype=object)
    check_pair(t, p)
    return np.char.strip(t.astype(str)), np.char.strip(p.astype(str))


def _normalise_numeric_labels(a: np.ndarray) -> np.ndarray:
    """'1.0' -> '1' so integer labels written as floats still match."""
    out = a.copy()
    for i, v in enumerate(a):
        try:
            f = float(v)
        except ValueError:
            continue
        if np.isfinite(f) and f == int(f):
            out[i] = str(int(f))
    return out


def accuracy(y_true: Any, y_pred: Any) -> float:
    """Fraction of exact matches (labels compared as text; 2-D inputs need every column right)."""
    t, p = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    if t.ndim == 2:
        check_pair(t, p)
        cols = [accuracy_rows(t[:, j], p[:, j]) for j in range(t.shape[1])]
        return float(np.mean(np.all(np.stack(cols, axis=1), axis=1)))
    return float(np.mean(accuracy_rows(t, p)))


def accuracy_rows(y_true: Any, y_pred: Any) -> np.ndarray:
    t, p = _labels_pair(y_true, y_pred)
    same = t == p
    if not same.all():  # only mismatches can be '1' vs '1.0'; normalising everything is slow
        wrong = ~same
        same[wrong] = _normalise_numeric_labels(t[wrong]) == _normalise_numeric_labels(p[wrong])
    return same


def top1_error(y_true: Any, y_pred: Any) -> float:
    """1 - accuracy of the first space-separated predicted label (iNaturalist)."""
    first = [s.split()[0] if s.split() else "" for s in strings(y_pred)]
    return 1.0 - accuracy(y_true, first)


def _binary_auc(t: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    two_classes(t)
    return float(roc_auc_score(t, p))


def roc_auc(y_true: Any, y_pred: Any, ignore_label: float | None = None) -> float:
    """Binary ROC AUC; for 2-D inputs the mean over columns (rows whose label is `ignore_label`
    are dropped per column, as in Jigsaw toxic; columns with one class only are skipped)."""
    t, p = floats_pair(y_true, y_pred)
    in_unit_interval(p)
    t2, p2 = as_2d(t), as_2d(p)
    scores = []
    for j in range(t2.shape[1]):
        keep = np.ones(len(t2), bool) if ignore_label is None else t2[:, j] != ignore_label
        tj, pj = t2[keep, j], p2[keep, j]
        if len(np.unique(tj)) < 2:
            if t2.shape[1] == 1:
                two_classes(tj)
            logger.warning("ROC AUC: column %d has a single class in the answers; skipped", j)
            continue
        scores.append(_binary_auc(tj, pj))
    if not scores:
        raise MetricError("ROC AUC is undefined: every column holds a single class")
    return float(np.mean(scores))


def roc_auc_flat(y_true: Any, y_pred: Any) -> float:
    """ROC AUC over all cells flattened together (MLSP birds: rec/species pairs)."""
    t, p = floats_pair(y_true, y_pred)
    in_unit_interval(p)
    return _binary_auc(t.ravel(), p.ravel())


def weighted_roc_auc(
    y_true: Any, y_pred: Any, tpr_thresholds: Sequence[float] = (0.0, 0.4, 1.0),
    weights: Sequence[float] = (2.0, 1.0),
) -> float:
    """ALASKA2's AUC with TPR bands weighted (0-0.4 twice as much as 0.4-1), normalised to 1.

    As MLE-bench computes it: the band edges are inserted into the ROC curve (FPR interpolated
    linearly), then each band's points plus a closing point (1, band top) are integrated with the
    trapezoid rule, the band's bottom taken as zero. Tied scores give the curve's diagonal steps."""
    from sklearn.metrics import auc, roc_curve

    t, p = floats_pair(y_true, y_pred)
    two_classes(t)
    fpr, tpr, _ = roc_curve(t, p, pos_label=1)
    fpr, tpr = _with_tpr_points(fpr, tpr, tpr_thresholds)
    edges, w = np.asarray(tpr_thresholds, dtype=float), np.asarray(weights, dtype=float)
    total = 0.0
    for i, weight in enumerate(w):
        lo, hi = edges[i], edges[i + 1]
        inside = (lo <= tpr) & (tpr <= hi)
        if not inside.any():
            continue
        xs = np.concatenate([fpr[inside], [1.0]])
        ys = np.concatenate([tpr[inside], [hi]]) - lo
        total += weight * auc(xs, ys)
    return float(total / np.dot(edges[1:] - edges[:-1], w))


def _with_tpr_points(fpr: np.ndarray, tpr: np.ndarray, levels: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """The ROC points plus one at each TPR level not already on the curve, its FPR interpolated
    between the neighbours (inserted before the first point above the level)."""
    xs, ys = fpr.tolist(), tpr.tolist()
    for level in levels:
        if level in ys:
            continue
        i = next((k for k, y in enumerate(ys) if y > level), None)
        if i is None:
            continue
        x = xs[i - 1] + (xs[i] - xs[i - 1]) * (level - ys[i - 1]) / (ys[i] - ys[i - 1])
        xs.insert(i, x)
        ys.insert(i, level)
    return np.asarray(xs), np.asarray(ys)


def log_loss(y_true: Any, y_pred: Any) -> float:
    """Binary log loss as scikit-learn computes it (predictions clipped to float64's machine epsilon,
    as MLE-bench's graders get it)."""
    from sklearn.metrics import log_loss as sk_log_loss

    t, p = floats_pair(y_true, y_pred)
    in_unit_interval(p)
    if not np.isin(t, (0.0, 1.0)).all():
        raise MetricError("binary log loss needs 0/1 answers")
    return float(sk_log_loss(t, p))


def multiclass_log_loss(y_true: Any, y_pred: Any) -> float:
    """Multi-class log loss as scikit-learn (and so MLE-bench) computes it: probabilities clipped to
    [eps, 1 - eps] with eps float64's machine epsilon (2.2e-16, so a hard wrong 0 costs 36.04),
    then the mean of -log p(true class).

    `y_true` is one-hot (n, k) or integer class indices (n,); `y_pred` is (n, k)."""
    from sklearn.metrics import log_loss as sk_log_loss

    p = as_2d(to_float(y_pred))
    t = to_float(y_true, "answers")
    check_pair(t, p)
    if t.ndim == 1:
        idx = t.astype(int)
        if idx.min() < 0 or idx.max() >= p.shape[1]:
            raise MetricError("class index out of range for the prediction columns")
        t = np.eye(p.shape[1])[idx]
    if t.shape != p.shape:
        raise InvalidSubmissionError(f"predictions have {p.shape[1]} class columns, answers {t.shape[1]}")
    if p.min() < 0:
        raise InvalidSubmissionError("probabilities must not be negative")
    return float(sk_log_loss(t, p))


def weighted_multilabel_log_loss(
    y_true: Any, y_pred: Any, positive_weights: Sequence[float] | None = None,
    negative_weights: Sequence[float] | None = None, eps: float = KAGGLE_EPS,
) -> float:
    """RSNA 2022 cervical spine: per column a sample-weighted binary log loss (weights depend on the
    label: positives `positive_weights[j]`, negatives `negative_weights[j]`), then the mean over columns."""
    t, p = floats_pair(y_true, y_pred)
    in_unit_interval(p)
    t2, p2 = as_2d(t), np.clip(as_2d(p), eps, 1 - eps)
    k = t2.shape[1]
    pos = np.ones(k) if positive_weights is None else np.asarray(positive_weights, float)
    neg = np.ones(k) if negative_weights is None else np.asarray(negative_weights, float)
    losses = []
    for j in range(k):
        w = np.where(t2[:, j] == 1, pos[j], neg[j])
        ll = -(t2[:, j] * np.log(p2[:, j]) + (1 - t2[:, j]) * np.log(1 - p2[:, j]))
        losses.append(np.sum(w * ll) / np.sum(w))
    return float(np.mean(losses))


def quadratic_weighted_kappa(y_true: Any, y_pred: Any) -> float:
    """Cohen's kappa with quadratic weights; predictions must be whole numbers."""
    from sklearn.metrics import cohen_kappa_score

    t, p = floats_pair(y_true, y_pred)
    if not np.all(p == np.round(p)):
        raise InvalidSubmissionError("quadratic weighted kappa needs integer ratings")
    if len(np.unique(np.concatenate([t, p]))) < 2:
        return 1.0  # a single rating everywhere: perfect agreement (sklearn would give NaN)
    return float(cohen_kappa_score(t.astype(int), p.astype(int), weights="quadratic"))


def f1(y_true: Any, y_pred: Any, average: str = "macro") -> float:
    """F1 over single labels (`average` macro/micro/weighted as in scikit-learn)."""
    from sklearn.metrics import f1_score

    t, p = _labels_pair(y_true, y_pred)
    t, p = _normalise_numeric_labels(t), _normalise_numeric_labels(p)
    return float(f1_score(t, p, average=average, zero_division=0))


def multilabel_micro_f1(y_true: Any, y_pred: Any) -> float:
    """Micro F1 over space-separated label sets per row (tags, iMet, plant pathology 2021)."""
    tp = fp = fn = 0
    trues, preds = strings(y_true), strings(y_pred)
    check_pair(np.asarray(trues), np.asarray(preds))
    for t, p in zip(trues, preds):
        ts, ps = set(t.split()), set(p.split())
        tp += len(ts & ps)
        fp += len(ps - ts)
        fn += len(ts - ps)
    return 0.0 if tp == 0 else float(2 * tp / (2 * tp + fp + fn))


def fbeta(y_true: Any, y_pred: Any, beta: float = 1.0) -> float:
    """F-beta of binary 0/1 predictions (0 when there are no true positives)."""
    t, p = floats_pair(y_true, y_pred)
    t, p = t.ravel() > 0.5, p.ravel() > 0.5
    return fbeta_from_counts(int((t & p).sum()), int((~t & p).sum()), int((t & ~p).sum()), beta)


def fbeta_from_counts(tp: int, fp: int, fn: int, beta: float) -> float:
    b2 = beta * beta
    denom = (1 + b2) * tp + b2 * fn + fp
    return 0.0 if tp == 0 else float((1 + b2) * tp / denom)


def matthews_corrcoef(y_true: Any, y_pred: Any) -> float:
    """MCC of binary predictions; 0 when a confusion-matrix margin is empty (scikit-learn's rule)."""
    from sklearn.metrics import matthews_corrcoef as mcc

    t, p = floats_pair(y_true, y_pred)
    return float(mcc(t.astype(int), p.astype(int)))


def probabilistic_f1(y_true: Any, y_pred: Any, beta: float = 1.0) -> float:
    """pF1 (RSNA breast cancer): F-beta with probabilities counted as fractional TP/FP."""
    t, p = floats_pair(y_true, y_pred)
    p = np.clip(p, 0, 1)
    positives = t > 0
    ctp, cfp = p[positives].sum(), p[~positives].sum()
    n_pos = positives.sum()
    if n_pos == 0 or ctp + cfp == 0:
        return 0.0
    precision, recall = ctp / (ctp + cfp), ctp / n_pos
    if precision <= 0 or recall <= 0:
        return 0.0
    b2 = beta * beta
    return float((1 + b2) * precision * recall / (b2 * precision + recall))


def kl_divergence(y_true: Any, y_pred: Any, eps: float = KAGGLE_EPS, normalise_true: bool = True) -> float:
    """Kaggle's KL divergence as MLE-bench grades HMS: each answer row (expert votes) divided by
    its sum, predictions clipped to [eps, 1 - eps], sum over classes of y*log(y/p) where y > 0,
    averaged over rows."""
    t, p = floats_pair(y_true, y_pred)
    t2, p2 = as_2d(t), np.clip(as_2d(p), eps, 1 - eps)
    if p.min() < 0:
        raise InvalidSubmissionError("probabilities must not be negative")
    if normalise_true:
        t2 = t2 / t2.sum(axis=1, keepdims=True)
    terms = np.where(t2 > 0, t2 * np.log(np.where(t2 > 0, t2, 1) / p2), 0.0)
    return float(np.mean(terms.sum(axis=1)))


def _power_mean(values: np.ndarray, p: float) -> float:
    return float(np.power(np.mean(np.power(values, p)), 1 / p))


def jigsaw_bias_auc(
    y_true: Any, y_pred: Any, subgroups: Any, power: float = -5.0, weight: float = 0.25,
    binarise_predictions: bool = True,
) -> float:
    """Jigsaw unintended bias: w*overall AUC + w*power means of subgroup, BPSN and BNSP AUCs.

    `subgroups` is an (n, g) boolean array of identity membership. MLE-bench binarises predictions at
    0.5 before the AUCs (unlike Kaggle); `binarise_predictions=False` gives Kaggle's behaviour.
    """
    t, p = floats_pair(y_true, y_pred)
    t = t >= 0.5
    if binarise_predictions:
        p = (p >= 0.5).astype(float)
    groups = np.asarray(subgroups, dtype=bool).reshape(len(t), -1)
    per_kind: list[list[float]] = [[], [], []]
    for g in groups.T:
        masks = (g, (g & ~t) | (~g & t), (g & t) | (~g & ~t))  # subgroup, BPSN, BNSP
        for kind, mask in enumerate(masks):
            if len(np.unique(t[mask])) == 2:
                per_kind[kind].append(_binary_auc(t[mask].astype(float), p[mask]))
    bias = sum(_power_mean(np.asarray(v), power) for v in per_kind if v)
    return float(weight * _binary_auc(t.astype(float), p) + weight * bias)
