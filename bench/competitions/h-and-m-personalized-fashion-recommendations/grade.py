"""h-and-m-personalized-fashion-recommendations: MAP@12, as MLE-bench grades.

MLE-bench requires exactly the columns `customer_id` and `prediction`, and every answer customer
in the submission; it keeps the submission's rows of answer customers, sorts both by customer,
and pairs them row by row (a repeated customer shifts the pairing; extra rows are dropped). Each
cell is text split on single spaces; AP@12 counts a repeated article once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import as_strings, sort_by
from bench.metrics.text import ap_at_k


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    if set(submission.columns) != {"customer_id", "prediction"}:
        raise InvalidSubmissionError("the submission must have exactly the columns customer_id and prediction")
    if not set(submission["customer_id"]) >= set(answers["customer_id"]):
        raise InvalidSubmissionError("the submission lacks some customers of the test week")
    submission = submission[submission["customer_id"].isin(answers["customer_id"])]
    sub, ans = sort_by(submission, "customer_id"), sort_by(answers, "customer_id")
    actual = [text.split(" ") for text in as_strings(ans["prediction"].to_numpy())]
    predicted = [text.split(" ") for text in as_strings(sub["prediction"].to_numpy())]
    return float(np.mean([ap_at_k(a, p, 12) for a, p in zip(actual, predicted)]))
