"""Errors shared by grading, validation and data preparation.

`InvalidSubmissionError` means the agent is at fault (wrong ids, NaN, out-of-range values...): the
submission is reported invalid with score None. Any other exception raised while grading is a bug
in a grader or in the answers, and is logged loudly.
"""

from __future__ import annotations


class InvalidSubmissionError(ValueError):
    """The submission is malformed or inconsistent with the answers; the message says what to fix."""


class MetricError(ValueError):
    """A metric is undefined for these answers (e.g. one class only): a grader/answers problem."""
