"""tensorflow2-question-answering: micro F1 of the long and short answers, as MLE-bench scores it.

`answers` holds the test records (`example_id`, `annotations`, ...). Checks as MLE-bench: two rows
per record; empty cells become empty text and every cell is read as text; the `example_id` and
`PredictionString` columns; the ids exactly `<id>_long` and `<id>_short` of every record, each once.
Each prediction is `start:end` (two integers), `YES`, `NO` or empty; anything else is invalid.

Per row (MLE-bench's reading of Kaggle's rule): the prediction counts 1 when given, else 0; the
truth counts 1 when a given prediction is one of the row's valid answers (the long span; the short
spans and the YES/NO answer) or when no prediction is given but a valid answer exists, else 0.
Score: scikit-learn's micro F1 of those two 0/1 lists.
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import f1_score

from bench.errors import InvalidSubmissionError
from bench.graders import as_strings, computed


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    if len(submission) != 2 * len(answers):
        raise InvalidSubmissionError(f"the submission has {len(submission)} rows; it needs two per test "
                                     f"example ({2 * len(answers)})")
    if "example_id" not in submission.columns or "PredictionString" not in submission.columns:
        raise InvalidSubmissionError("the submission needs the columns 'example_id' and 'PredictionString'")
    ids, predictions = (as_strings(submission[c].astype(object).fillna("").to_numpy())
                        for c in ("example_id", "PredictionString"))
    annotations = {str(example): notes[0] for example, notes in zip(answers["example_id"], answers["annotations"])}
    expected = {f"{example}{suffix}" for example in annotations for suffix in ("_long", "_short")}
    if set(ids) != expected:
        raise InvalidSubmissionError("the example_ids must be <id>_long and <id>_short of every test example")
    if len(set(ids)) != len(ids):
        raise InvalidSubmissionError("each example_id must appear once")
    y_pred = [1 if p.strip() else 0 for p in predictions]
    y_true = []
    for row_id, text in zip(ids, predictions):
        prediction = _parsed(text.strip())
        valid = _valid_answers(row_id, annotations)
        y_true.append(int(prediction in valid) if prediction else int(bool(valid)))
    return computed(f1_score, y_true, y_pred, average="micro")


def _parsed(text: str) -> tuple[int, int] | str:
    if ":" in text and len(text.split(":")) == 2:
        start, end = text.split(":")
        try:
            return int(start), int(end)
        except ValueError:
            raise InvalidSubmissionError(f"a span must be two integers, start:end; got {text!r}") from None
    if text in ("YES", "NO", ""):
        return text
    raise InvalidSubmissionError(f"a prediction must be start:end, YES, NO or empty; got {text!r}")


def _valid_answers(row_id: str, annotations: dict[str, dict]) -> list:
    if row_id.endswith("_long"):
        span = annotations[row_id.split("_long")[0]]["long_answer"]
        return [(int(span["start_token"]), int(span["end_token"]))] if span["start_token"] != -1 else []
    annotation = annotations[row_id.split("_short")[0]]
    valid: list = [(int(s["start_token"]), int(s["end_token"])) for s in annotation["short_answers"]]
    if annotation["yes_no_answer"] != "NONE":
        valid.append(annotation["yes_no_answer"])
    return valid
