"""The review of one executed node: a forced `submit_review` function call to the feedback model,
parsed defensively (ints, numeric strings, nulls and prose all end in a usable record)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

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


@dataclass
class Review:
    is_bug: bool
    summary: str
    metric: float | None
    lower_is_better: bool | None
    has_csv_submission: bool | None
    usable: bool = True  # False when the reply could not be read as a review at all


_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def to_float(value: Any) -> float | None:
    """A finite float from a number or a numeric string ('0.83', 'accuracy: 0.83'); else None.
    Unlike AIDE, a JSON integer counts as a metric."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        match = _NUMBER.search(value.replace(",", ""))
        if not match or value.strip().lower() in ("null", "none", "nan", "n/a"):
            return None
        number = float(match.group(0))
        if value.strip().endswith("%"):
            number /= 100.0
    else:
        return None
    return number if math.isfinite(number) else None


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


def parse_review(arguments: dict[str, Any] | None, text: str = "") -> Review:
    """A `Review` from tool-call arguments, or failing that from JSON or prose in `text`."""
    data = arguments if isinstance(arguments, dict) and arguments else _json_in_text(text or "")
    if not data:
        return Review(True, (text or "").strip()[:2000], None, None, None, usable=False)
    is_bug = to_bool(data.get("is_bug"))
    return Review(
        is_bug=True if is_bug is None else is_bug,
        summary=str(data.get("summary") or "").strip(),
        metric=to_float(data.get("metric")),
        lower_is_better=to_bool(data.get("lower_is_better")),
        has_csv_submission=to_bool(data.get("has_csv_submission")),
    )


_METRIC_LINE = re.compile(
    r"(?i)(valid|validation|val|cv|score|accuracy|auc|rmse|mae|logloss|log loss|f1|metric)[^\n]*?[:=]\s*"
    r"([-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)"
)


def metric_from_output(output: str) -> float | None:
    """Fallback when the reviewer gave no usable answer: the last 'validation ...: number' line."""
    found = _METRIC_LINE.findall(output)
    return to_float(found[-1][1]) if found else None
