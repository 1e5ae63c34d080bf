"""The review of one executed node: a forced `submit_review` function call to the feedback model,
parsed defensively, and the verdict on the node (`bug_reasons`). What cannot be read is never guessed:
an unreadable review makes the node buggy, and ambiguous numbers are no metric."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from scaffolds.aide.journal import Node

REVIEW_TOOL_NAME = "submit_review"

REVIEW_PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "is_bug": {
            "type": "boolean",
            "description": "true when the run failed, crashed, or its output shows a bug; false otherwise.",
        },
        "summary": {
            "type": "string",
            "description": "If buggy: what went wrong and how to fix it. Otherwise 2-3 sentences on the results.",
        },
        "metric": {
            "type": ["number", "null"],
            "description": "The validation score the script printed, as a number; null if it printed none.",
        },
        "lower_is_better": {
            "type": "boolean",
            "description": "true if smaller values of this metric are better (e.g. an error or a loss).",
        },
        "has_csv_submission": {
            "type": "boolean",
            "description": "true if the script saved its test predictions to the submission CSV path.",
        },
    },
    "required": ["is_bug", "summary", "metric", "lower_is_better", "has_csv_submission"],
}


METRIC_CHECK_PARAMETER: dict[str, Any] = {
    "type": "boolean",
    "description": "true if the validation figure the script printed is the competition's metric (named above), "
                   "computed the way the competition computes it; false if it is another measure.",
}


def review_parameters(check_metric: bool) -> dict[str, Any]:
    """The submit_review schema; with `check_metric`, also the question whether the figure is the
    competition's metric (optional, so a reviewer that cannot tell may leave it out)."""
    if not check_metric:
        return REVIEW_PARAMETERS
    properties = {**REVIEW_PARAMETERS["properties"], "is_competition_metric": METRIC_CHECK_PARAMETER}
    return {**REVIEW_PARAMETERS, "properties": properties}


@dataclass
class Review:
    is_bug: bool
    summary: str
    metric: float | None
    lower_is_better: bool | None
    has_csv_submission: bool | None
    usable: bool = True  # False when the reply could not be read as a review at all
    is_competition_metric: bool | None = None


_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_NO_VALUE = ("", "null", "none", "nan", "n/a", "na")


def to_float(value: Any, lenient: bool = True) -> float | None:
    """A finite float from the reviewer's metric, or None when there is no trustworthy number.

    AIDE (`lenient=False`) accepts only a JSON float. Leniently, a JSON integer and a string holding
    exactly one plain number ('0.83', 'accuracy: 0.83') count too; text that could be read two ways is
    no metric: '0,85' (decimal comma or thousands?), '85%' (0.85 or 85?), 'top-5 accuracy 0.8' (two
    numbers)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) or (lenient and isinstance(value, int)):
        number = float(value)
    elif lenient and isinstance(value, str):
        number = _number_in_text(value)
        if number is None:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _number_in_text(text: str) -> float | None:
    text = text.strip()
    if text.lower() in _NO_VALUE or "%" in text or re.search(r"\d,\d", text):
        return None
    found = _NUMBER.findall(text)
    if len(found) != 1 or re.search(r"\d", _NUMBER.sub("", text)):
        return None
    return float(found[0])


def to_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("true", "yes", "1", "y"):
            return True
        if low in ("false", "no", "0", "n"):
            return False
    return None


def _json_in_text(text: str) -> dict[str, Any] | None:
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def parse_review(arguments: dict[str, Any] | None, text: str = "", *, lenient_metric: bool = True) -> Review:
    """A `Review` from tool-call arguments, or failing that from JSON in `text`. Prose, or JSON without
    the verdict, is an unusable review: nothing in it is trusted."""
    data = arguments if isinstance(arguments, dict) and arguments else _json_in_text(text or "")
    is_bug = to_bool(data.get("is_bug")) if data else None
    if not data or is_bug is None:
        return Review(True, (text or "").strip()[:2000], None, None, None, usable=False)
    return Review(
        is_bug=is_bug,
        summary=str(data.get("summary") or "").strip(),
        metric=to_float(data.get("metric"), lenient_metric),
        lower_is_better=to_bool(data.get("lower_is_better")),
        has_csv_submission=to_bool(data.get("has_csv_submission")),
        is_competition_metric=to_bool(data.get("is_competition_metric")),
    )


REVIEW_UNUSABLE = "review unusable"
NOT_THE_METRIC = "the printed metric is not the competition's metric"


def bug_reasons(node: Node, review: Review, *, validate_submission: bool, run_maximize: bool | None,
                check_metric: bool) -> list[str]:
    """Why `node` counts as buggy (empty: it works). `run_maximize` is the competition's direction when
    the metric check applies, else None."""
    reasons = []
    if not review.usable:
        reasons.append(REVIEW_UNUSABLE)
    elif review.is_bug:
        reasons.append("the reviewer found a bug")
    if node.exc_type:
        reasons.append(f"the script failed ({node.exc_type})")
    if review.usable and review.metric is None:
        reasons.append("no validation metric was reported")
    contradicts = run_maximize is not None and review.lower_is_better is run_maximize
    if check_metric and review.usable and (review.is_competition_metric is False or contradicts):
        reasons.append(NOT_THE_METRIC)
    if not node.has_submission:
        reasons.append("no submission.csv was written")
    elif validate_submission and node.submission_valid is False:
        reasons.append(f"invalid submission: {node.validation_message}")
    elif not validate_submission and review.has_csv_submission is False:
        reasons.append("the reviewer found no submission.csv")
    return reasons
