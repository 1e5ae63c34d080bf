"""Text and ranking metrics: Levenshtein, word Jaccard, MAP@k, Kendall tau, lwlrap, QA micro F1."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from bench.errors import InvalidSubmissionError
from bench.metrics._common import check_pair, floats_pair, strings


def levenshtein(a: Sequence[Any], b: Sequence[Any]) -> int:
    """Edit distance between two sequences (strings, or lists of tokens)."""
    if isinstance(a, str) and isinstance(b, str):
        try:  # a C implementation when installed; the pure-Python one below gives the same numbers
            from rapidfuzz.distance import Levenshtein as _lev

            return int(_lev.distance(a, b))
        except ImportError:
            pass
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def levenshtein_mean(y_true: Any, y_pred: Any) -> float:
    """Mean character edit distance per row (billion-word imputation, BMS InChI)."""
    t, p = strings(y_true), strings(y_pred)
    check_pair(np.asarray(t), np.asarray(p))
    return float(np.mean([levenshtein(a, b) for a, b in zip(t, p)]))


def levenshtein_token_ratio(y_true: Any, y_pred: Any) -> float:
    """Multi-modal gestures: sum of token edit distances / total number of true tokens."""
    t, p = strings(y_true), strings(y_pred)
    check_pair(np.asarray(t), np.asarray(p))
    total = sum(len(s.split()) for s in t)
    dist = sum(levenshtein(a.split(), b.split()) for a, b in zip(t, p))
    return float(dist / max(total, 1))


def word_jaccard(y_true: Any, y_pred: Any) -> float:
    """Mean over rows of |A∩B|/|A∪B| on lower-cased word sets; two empty strings score 1."""
    t, p = strings(y_true), strings(y_pred)
    check_pair(np.asarray(t), np.asarray(p))
    scores = []
    for a, b in zip(t, p):
        sa, sb = set(a.lower().split()), set(b.lower().split())
        union = sa | sb
        scores.append(1.0 if not union else len(sa & sb) / len(union))
    return float(np.mean(scores))


def _tokens(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value]
    return strings([value])[0].split()


def ap_at_k(actual: Any, predicted: Any, k: int = 10) -> float:
    """Average precision at k of one ranked prediction list (Kaggle's apk; repeats don't count)."""
    truth, ranked = set(_tokens(actual)), _tokens(predicted)[:k]
    if not truth:
        return 0.0
    hits, score, seen = 0, 0.0, set()
    for i, item in enumerate(ranked):
        if item in truth and item not in seen:
            hits += 1
            score += hits / (i + 1)
        seen.add(item)
    return score / min(len(truth), k)


def map_at_k(y_true: Any, y_pred: Any, k: int = 10) -> float:
    """Mean of AP@k over rows; each cell is a space-separated list (or a Python list)."""
    t, p = list(np.asarray(y_true, dtype=object).ravel()), list(np.asarray(y_pred, dtype=object).ravel())
    check_pair(np.asarray(t, dtype=object), np.asarray(p, dtype=object))
    return float(np.mean([ap_at_k(a, b, k) for a, b in zip(t, p)]))


def _inversions(ranks: list[int]) -> int:
    """Number of inversions by merge sort, O(n log n)."""
    if len(ranks) < 2:
        return 0
    mid = len(ranks) // 2
    left, right = sorted(ranks[:mid]), sorted(ranks[mid:])
    count = _inversions(ranks[:mid]) + _inversions(ranks[mid:])
    j = 0
    for value in left:  # for each left value, how many right values are smaller
        while j < len(right) and right[j] < value:
            j += 1
        count += j
    return count


def kendall_tau_inversions(y_true: Any, y_pred: Any) -> float:
    """AI4Code: 1 - 4 * total inversions / sum n(n-1) over rows of space-separated orderings.
    Each predicted order must be a permutation of the true one."""
    t, p = strings(y_true), strings(y_pred)
    check_pair(np.asarray(t), np.asarray(p))
    inversions = total = 0
    for row, (truth, pred) in enumerate(zip(t, p)):
        gt, order = truth.split(), pred.split()
        position = {item: i for i, item in enumerate(gt)}
        if sorted(order) != sorted(gt):
            raise InvalidSubmissionError(f"row {row}: the predicted order is not a permutation of the items")
        inversions += _inversions([position[x] for x in order])
        total += len(gt) * (len(gt) - 1)
    if total == 0:
        return 1.0
    return float(1 - 4 * inversions / total)


def lwlrap(y_true: Any, y_pred: Any) -> float:
    """Label-weighted label-ranking average precision (Freesound): each (row, positive label) pair
    weighs the same; equals scikit-learn's LRAP weighted by the number of positives per row."""
    t, p = floats_pair(y_true, y_pred)
    if t.ndim != 2:
        raise InvalidSubmissionError("lwlrap needs one column per label")
    precisions, weights = [], []
    for truth, scores in zip(t > 0, p):
        positives = np.flatnonzero(truth)
        for label in positives:
            # rank = number of labels scoring >= this label (ties count against, as scikit-learn)
            at_or_above = scores >= scores[label]
            precisions.append(truth[at_or_above].sum() / at_or_above.sum())
            weights.append(1.0)
    if not precisions:
        return 0.0
    return float(np.average(precisions, weights=weights))


def qa_micro_f1(y_true: Any, y_pred: Any) -> float:
    """TF2 question answering: micro F1 where a blank is "no answer". A non-blank prediction is a TP
    when it is among the `|`-separated true answers, else an FP (plus an FN if an answer existed)."""
    t, p = strings(y_true), strings(y_pred)
    check_pair(np.asarray(t), np.asarray(p))
    tp = fp = fn = 0
    for truth, pred in zip(t, p):
        answers = {a.strip() for a in truth.split("|") if a.strip()}
        pred = pred.strip()
        if pred and pred in answers:
            tp += 1
        elif pred:
            fp += 1
            fn += bool(answers)
        elif answers:
            fn += 1
    return 0.0 if tp == 0 else float(2 * tp / (2 * tp + fp + fn))
