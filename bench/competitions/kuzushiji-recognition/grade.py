"""kuzushiji-recognition: F1 of predicted character centres against labelled boxes, as MLE-bench grades.

Checks (MLE-bench's order): the row count, the columns `image_id` and `labels`, the pages (paired
by `image_id` after sorting), and every non-empty prediction: a space-separated list of
`label X Y` triples with numeric X and Y.

Scoring follows the competition's reference implementation: on each page, the true boxes are
taken in order, and each is matched to the first still-unused prediction of the same label whose
centre lies strictly inside the box (TP); a box without one is a FN, every unused prediction a FP.
TP, FP and FN are summed over all pages; F1 = 2PR / (P + R) (0 when there is no TP).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns, require_rows


def _check_prediction(pred: object) -> None:
    try:
        tokens = pred.split(" ")  # type: ignore[attr-defined]
    except AttributeError:
        raise InvalidSubmissionError(f"a prediction must be text 'label X Y ...', not {pred!r}") from None
    if len(tokens) % 3 != 0:
        raise InvalidSubmissionError(f"malformed prediction (not 'label X Y' triples): {pred[:100]}")
    try:
        for value in tokens[1::3] + tokens[2::3]:
            float(value)
    except ValueError:
        raise InvalidSubmissionError(f"X and Y must be numbers: {pred[:100]}") from None


def page_counts(pred: object, truth: object) -> tuple[int, int, int]:
    """(TP, FP, FN) of one page; truth 'label X Y W H ...', prediction 'label X Y ...'."""
    if pd.isna(truth) and pd.isna(pred):
        return 0, 0, 0
    if pd.isna(truth):
        return 0, len(pred.split(" ")) // 3, 0  # type: ignore[attr-defined]
    if pd.isna(pred):
        return 0, 0, len(truth.split(" ")) // 5  # type: ignore[attr-defined]
    boxes, guesses = truth.split(" "), pred.split(" ")  # type: ignore[attr-defined]
    if len(boxes) % 5 != 0:
        raise ValueError("a true label string is not 'label X Y W H' groups")
    labels, left, top = np.array(boxes[0::5]), np.array(boxes[1::5]).astype(float), np.array(boxes[2::5]).astype(float)
    right, bottom = left + np.array(boxes[3::5]).astype(float), top + np.array(boxes[4::5]).astype(float)
    guessed, xs, ys = np.array(guesses[0::3]), np.array(guesses[1::3]).astype(float), np.array(guesses[2::3]).astype(float)
    unused = np.ones(len(guessed), dtype=bool)
    tp = fn = 0
    for k in range(len(labels)):
        hits = (left[k] < xs) & (right[k] > xs) & (top[k] < ys) & (bottom[k] > ys) & (guessed == labels[k]) & unused
        if hits.any():
            tp += 1
            unused[np.argmax(hits)] = False
        else:
            fn += 1
    return tp, int(unused.sum()), fn


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    require_columns(submission, ["image_id", "labels"])
    sub = submission.sort_values("image_id").reset_index(drop=True)
    ans = answers.sort_values("image_id").reset_index(drop=True)
    if not (sub["image_id"] == ans["image_id"]).all():
        raise InvalidSubmissionError("the submission's image_id values do not match the test pages")
    for pred in sub["labels"]:
        if not pd.isna(pred):
            _check_prediction(pred)
    counts = [page_counts(p, t) for p, t in zip(sub["labels"].to_numpy(), ans["labels"].to_numpy())]
    tp, fp, fn = (sum(c[j] for c in counts) for j in range(3))
    if tp + fp == 0 or tp + fn == 0:
        return 0.0
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return (2 * precision * recall) / (precision + recall) if precision > 0 and recall > 0 else 0.0
