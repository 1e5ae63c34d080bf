"""jigsaw-toxic-comment-classification-challenge: mean column-wise ROC AUC, with MLE-bench's checks.

As MLE-bench: both frames indexed by `id` and sorted; answer rows labelled -1 (not scored) dropped
from both by label; then scikit-learn's macro ROC AUC of every remaining column of the answers
against every column of the submission, in the files' column orders (so the submission must hold
exactly the six label columns besides `id`).
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import roc_auc_score

from bench.errors import InvalidSubmissionError
from bench.graders import computed, require_columns

LABELS = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["id", *LABELS])
    if len(submission) != len(answers):
        raise InvalidSubmissionError(f"the submission has {len(submission)} rows, the test set {len(answers)}")
    try:
        sub = submission.set_index("id").sort_index()
        ans = answers.set_index("id").sort_index()
        scored = ans[LABELS].sum(axis=1) >= 0
        ans, sub = ans[scored], sub[scored]
    except (TypeError, ValueError, KeyError, pd.errors.IndexingError) as exc:
        raise InvalidSubmissionError(f"the submission's ids do not match the test set's ({exc})") from None
    return computed(roc_auc_score, ans.to_numpy(), sub.to_numpy(), average="macro")
