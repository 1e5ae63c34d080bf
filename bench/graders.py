"""Shared graders: `grade(submission, answers, **params) -> float`, each giving MLE-bench's verdict.

A competition folder names one of these in its `competition.yaml` (`grader: {kind: ..., ...}`) or
brings its own `grade.py`. The policy (see `bench/DEVIATIONS.md`) is that a submission is valid
exactly when MLE-bench's grader for the competition scores it, with the same score. So these
functions follow the checks MLE-bench's shared helpers make, in the same order, and call the same
scikit-learn metric; they take frames read as MLE-bench reads them (`read_frame`).

Ids are compared as Python objects, as MLE-bench's pandas comparisons do: an id written `102.0`
matches the answer `102`. Mistakes of the agent raise `InvalidSubmissionError`; a metric that cannot
be computed on the submission's values (labels of mixed types, NaN scores) too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
from sklearn import metrics as skm

from bench.errors import InvalidSubmissionError

# pandas 3 reads floats round-trip by default and deprecates the option MLE-bench passes
_ROUND_TRIP = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}


def read_frame(path: Path) -> pd.DataFrame:
    """A CSV read as MLE-bench reads submissions and answers: pandas' type inference, floats
    parsed round-trip; an empty file gives an empty frame."""
    try:
        return pd.read_csv(path, **_ROUND_TRIP)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InvalidSubmissionError(f"the file could not be read as CSV: {str(exc).strip()[:200]}") from None


def ids(frame: pd.DataFrame, column: str) -> np.ndarray:
    """The id column as Python objects (so 102.0 == 102, "a" != 1, as pandas object arrays compare)."""
    return np.asarray(frame[column].to_numpy(), dtype=object)


def require_columns(submission: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in submission.columns]
    if missing:
        raise InvalidSubmissionError(f"the submission lacks column(s) {missing}; it has {list(submission.columns)}")


def require_rows(submission: pd.DataFrame, answers: pd.DataFrame) -> None:
    if len(submission) != len(answers):
        raise InvalidSubmissionError(f"the submission has {len(submission)} rows, the test set {len(answers)}")


def sort_by(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """`frame.sort_values(column)`, as MLE-bench sorts. Unique text ids take a faster road to the
    same order (numpy sorts fixed-width text ten times faster than Python objects; with no ties,
    every correct sort gives one order); anything else goes through pandas itself."""
    values = frame[column].to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) == "string" and frame[column].is_unique:
        return frame.iloc[np.argsort(values.astype(str), kind="stable")]
    try:
        return frame.sort_values(column)
    except TypeError as exc:
        raise InvalidSubmissionError(f"the ids in column '{column}' cannot be sorted ({exc})") from None


def sorted_pair(submission: pd.DataFrame, answers: pd.DataFrame, id_column: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both frames sorted by id, which must then agree row by row (MLE-bench's alignment)."""
    sub = sort_by(submission, id_column).reset_index(drop=True)
    ans = sort_by(answers, id_column).reset_index(drop=True)
    if (ids(sub, id_column) != ids(ans, id_column)).any():
        raise InvalidSubmissionError(f"the submission's '{id_column}' values do not match the test set's")
    return sub, ans


def computed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> float:
    """Run a scikit-learn metric; its refusals of the submission's values are the agent's fault."""
    try:
        return float(fn(*args, **kwargs))
    except (ValueError, TypeError) as exc:
        raise InvalidSubmissionError(f"the score cannot be computed from these predictions: {exc}") from None


def numeric(submission: pd.DataFrame, column: str) -> None:
    try:
        pd.to_numeric(submission[column])
    except (ValueError, TypeError):
        raise InvalidSubmissionError(f"column '{column}' must hold numbers") from None


def in_unit_interval(submission: pd.DataFrame, columns: Sequence[str]) -> None:
    values = submission[list(columns)]
    try:
        inside = ((values >= 0) & (values <= 1)).all().all()
    except TypeError:
        raise InvalidSubmissionError(f"column(s) {list(columns)} must hold numbers") from None
    if not inside:
        raise InvalidSubmissionError(f"column(s) {list(columns)} must hold probabilities in [0, 1]")


def accuracy(submission: pd.DataFrame, answers: pd.DataFrame, *, id_column: str, target_column: str,
             as_text: bool = False) -> float:
    """Share of rows whose label equals the answer (labels compared as read: True == 1 == 1.0;
    with `as_text`, both sides first written as text, see `as_strings`)."""
    require_rows(submission, answers)
    require_columns(submission, [target_column, id_column])
    sub, ans = sorted_pair(submission, answers, id_column)
    expected, predicted = ans[target_column].to_numpy(), sub[target_column].to_numpy()
    if as_text:
        expected, predicted = as_strings(expected), as_strings(predicted)
    return computed(skm.accuracy_score, expected, predicted)


def as_strings(values: np.ndarray) -> np.ndarray:
    """Each value as Python's `str` writes it (1 -> "1", 1.0 -> "1.0", an empty cell -> "nan"), as
    pandas 2's `astype(str)` does in MLE-bench's graders (pandas 3 would keep empty cells empty)."""
    return np.array([str(v) for v in values], dtype=object)


def roc_auc(submission: pd.DataFrame, answers: pd.DataFrame, *, id_column: str, target_column: str) -> float:
    """Binary ROC AUC of one probability column; values must lie in [0, 1]."""
    auc_inputs = auc_pair(submission, answers, id_column, target_column)
    return computed(skm.roc_auc_score, *auc_inputs)


def auc_pair(submission: pd.DataFrame, answers: pd.DataFrame, id_column: str,
             target_column: str) -> tuple[np.ndarray, np.ndarray]:
    """(answers, scores) of one column, with MLE-bench's checks for AUC inputs."""
    require_columns(submission, [id_column, target_column])
    require_rows(submission, answers)
    numeric(submission, target_column)
    in_unit_interval(submission, [target_column])
    sub, ans = sorted_pair(submission, answers, id_column)
    return ans[target_column].to_numpy(), sub[target_column].to_numpy()


def one_hot_log_loss(submission: pd.DataFrame, answers: pd.DataFrame, *, id_column: str, classes: Sequence[str],
                     exact_columns: bool = False, exact_shape: bool = False, tolerance: float = 1e-6) -> float:
    """Multi-class log loss of probability columns against one-hot answers (scikit-learn's
    `log_loss`, which clips at float64's machine epsilon). Rows must sum to 1 within `tolerance`
    and values lie in [0, 1]. `exact_columns`: no other column allowed; `exact_shape`: exactly
    the id plus one column per class (checked by shape alone, as MLE-bench does)."""
    classes = list(classes)
    if exact_shape and submission.shape != (len(answers), len(classes) + 1):
        raise InvalidSubmissionError(f"the submission's shape {submission.shape} should be "
                                     f"({len(answers)}, {len(classes) + 1}): the id and one column per class")
    if exact_columns and set(submission.columns) != {id_column, *classes}:
        raise InvalidSubmissionError(f"the submission must have exactly the columns {[id_column, *classes]}")
    if not exact_shape:
        require_columns(submission, classes + [id_column])
        require_rows(submission, answers)
    probs = submission[classes] if not exact_shape else submission.iloc[:, 1:]
    sums = _row_sums(probs)
    if not np.all(np.isclose(sums, 1, atol=tolerance)):
        raise InvalidSubmissionError("each row's probabilities must sum to 1")
    in_unit_interval(probs, list(probs.columns))
    require_columns(submission, [*answers.columns])
    sub, ans = sorted_pair(submission[[c for c in answers.columns]], answers, id_column)
    y_true = ans.drop(columns=[id_column]).to_numpy()
    y_pred = sub.drop(columns=[id_column]).to_numpy()
    return computed(skm.log_loss, y_true, y_pred)


def binary_log_loss(submission: pd.DataFrame, answers: pd.DataFrame, *, id_column: str, target_column: str) -> float:
    """Binary log loss (scikit-learn's: float64-epsilon clipping) of one probability column; the
    sets of ids must agree, the row counts too, values lie in [0, 1]."""
    require_columns(submission, [id_column, target_column])
    if set(submission[id_column]) != set(answers[id_column]):
        raise InvalidSubmissionError(f"the submission's '{id_column}' values must be the test set's")
    require_rows(submission, answers)
    in_unit_interval(submission, [target_column])
    sub, ans = sort_by(submission, id_column), sort_by(answers, id_column)
    return computed(skm.log_loss, ans[target_column], sub[target_column])


def rmse(submission: pd.DataFrame, answers: pd.DataFrame, *, id_column: str, target_column: str) -> float:
    """Root mean squared error, rows paired by id."""
    require_columns(submission, [id_column, target_column])
    try:
        submission[target_column].astype(float)
    except (ValueError, TypeError):
        raise InvalidSubmissionError(f"column '{target_column}' must hold numbers") from None
    require_rows(submission, answers)
    sub, ans = sorted_pair(submission, answers, id_column)
    return computed(skm.root_mean_squared_error, ans[target_column], sub[target_column])


def rmse_unaligned(submission: pd.DataFrame, answers: pd.DataFrame, *, id_column: str, target_column: str) -> float:
    """RMSE of the rows paired by position after sorting both by id, without checking that the
    ids agree (MLE-bench's taxi-fare grader; a row-count mismatch still fails)."""
    require_columns(submission, [target_column, id_column])
    sub, ans = sort_by(submission, id_column), sort_by(answers, id_column)
    return computed(skm.root_mean_squared_error, ans[target_column], sub[target_column])


def _row_sums(probs: pd.DataFrame) -> np.ndarray:
    try:
        return probs.sum(axis=1).to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise InvalidSubmissionError("probability columns must hold numbers") from None


GRADERS: dict[str, Callable[..., float]] = {
    "accuracy": accuracy,
    "roc_auc": roc_auc,
    "one_hot_log_loss": one_hot_log_loss,
    "binary_log_loss": binary_log_loss,
    "rmse": rmse,
    "rmse_unaligned": rmse_unaligned,
}


def shared_grader(kind: str) -> Callable[..., float]:
    try:
        return GRADERS[kind]
    except KeyError:
        raise KeyError(f"no shared grader {kind!r}; known: {', '.join(sorted(GRADERS))}. "
                       "Write a grade.py in the competition's folder instead.") from None


# --- kinds added for the FGVC image competitions (issue 16, batch B) --------------------------

def whole_numbers(values: pd.Series, column: str) -> list[int]:
    """Each cell through Python's `int()`, as MLE-bench's graders convert labels: `3.0` and `3.7`
    become 3, `"3"` too; an empty cell or other text cannot be converted."""
    try:
        return [int(v) for v in values]
    except (ValueError, TypeError, OverflowError):
        raise InvalidSubmissionError(f"column '{column}' must hold whole numbers (class ids)") from None


def macro_f1_int(submission: pd.DataFrame, answers: pd.DataFrame, *, id_column: str, target_column: str) -> float:
    """Macro-averaged F1 of class ids converted with `int()` (the herbarium graders): row counts,
    then both columns, then ids paired after sorting."""
    require_rows(submission, answers)
    require_columns(submission, [id_column, target_column])
    sub, ans = sorted_pair(submission, answers, id_column)
    y_true, y_pred = whole_numbers(ans[target_column], target_column), whole_numbers(sub[target_column], target_column)
    return computed(skm.f1_score, y_true, y_pred, average="macro")


GRADERS["macro_f1_int"] = macro_f1_int
