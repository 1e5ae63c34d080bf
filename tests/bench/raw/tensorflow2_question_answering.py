"""Synthetic raw files of tensorflow2-question-answering as Kaggle ships them:
simplified-nq-train.jsonl (one record per line: document_text, long_answer_candidates,
question_text, annotations, document_url, example_id), simplified-nq-test.jsonl (without
annotations) and sample_submission.csv (`<id>_long` / `<id>_short` rows).

The records cover every answer shape: a long span with short spans, with YES or NO, with nothing
short, and no answer at all. The answers file (JSON lines) is no submission, so the golden cases
start from the gold submission written from it (the rule of MLE-bench's gold_submission.csv)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from tests.bench.golden.cases import GENERIC, submission, text_of

WORDS = "<P> The Eiffel Tower is a wrought - iron lattice tower in Paris , built in 1889 . </P>".split()


def _record(rng: np.random.Generator, example_id: int, shape: int) -> dict:
    starts = sorted(rng.choice(len(WORDS) - 3, 2, replace=False).tolist())
    long_answer = {"start_token": 0, "candidate_index": 0, "end_token": len(WORDS)}
    short = [{"start_token": starts[0], "end_token": starts[0] + 2}] if shape == 0 else []
    if shape == 0 and rng.random() < 0.5:
        short.append({"start_token": starts[1], "end_token": starts[1] + 1})
    yes_no = {1: "YES", 2: "NO"}.get(shape, "NONE")
    if shape == 4:
        long_answer = {"start_token": -1, "candidate_index": -1, "end_token": -1}
    return {"document_text": " ".join(WORDS), "long_answer_candidates": [
                {"start_token": 0, "top_level": True, "end_token": len(WORDS)}],
            "question_text": f"when was the eiffel tower built {example_id % 97}",
            "annotations": [{"yes_no_answer": yes_no, "long_answer": long_answer, "short_answers": short,
                             "annotation_id": int(rng.integers(10**17, 10**18))}],
            "document_url": "https://en.wikipedia.org//w/index.php?title=Eiffel_Tower&oldid=1",
            "example_id": example_id}


def build(n: int = 60) -> dict[str, bytes]:
    rng = np.random.default_rng(28)
    ids = rng.choice(2**62, n, replace=False) - 2**61
    records = [_record(rng, int(example), i % 5) for i, example in enumerate(ids)]
    train = "".join(json.dumps(r) + "\n" for r in records)
    test_records = [{k: v for k, v in r.items() if k != "annotations"} for r in records[:2]]
    test = "".join(json.dumps(r) + "\n" for r in test_records)
    sample = "example_id,PredictionString\n" + "".join(
        f"{r['example_id']}_{kind},\n" for r in test_records for kind in ("long", "short"))
    return {"simplified-nq-train.jsonl": train.encode(), "simplified-nq-test.jsonl": test.encode(),
            "sample_submission.csv": sample.encode()}


def _gold(answers: str) -> str:
    """The gold submission of the answers' records: YES/NO, else the first short span, else empty;
    the long span, else empty."""
    rows = []
    for line in answers.splitlines():
        record = json.loads(line)
        note = record["annotations"][0]
        shorts = note["short_answers"]
        short = note["yes_no_answer"] if note["yes_no_answer"] != "NONE" else (
            f"{shorts[0]['start_token']}:{shorts[0]['end_token']}" if shorts else "")
        span = note["long_answer"]
        long = f"{span['start_token']}:{span['end_token']}" if span["start_token"] != -1 else ""
        rows += [(f"{record['example_id']}_short", short), (f"{record['example_id']}_long", long)]
    return text_of(pd.DataFrame(rows, columns=["example_id", "PredictionString"]))


def _from_gold(name: str):
    return lambda answers, sample, spec: GENERIC[name](_gold(answers), sample, spec)


def _predictions(transform):
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = submission(_gold(answers), spec)
        frame["PredictionString"] = [transform(i, v) for i, v in enumerate(frame["PredictionString"])]
        return text_of(frame)

    return case


CASES = {name: _from_gold(name) for name in GENERIC if name not in ("answers_file", "sample_file")}
CASES.update({
    "jsonl_answers_as_submission": lambda answers, sample, spec: answers,
    "answers_file": lambda answers, sample, spec: _gold(answers),
    "all_yes": _predictions(lambda i, v: "YES"),
    "spans_shifted": _predictions(lambda i, v: ":".join(str(int(x) + 1) for x in v.split(":")) if ":" in v else v),
    "bad_span": _predictions(lambda i, v: "a:b" if i == 0 else v),
    "free_text": _predictions(lambda i, v: "the tower" if i == 0 else v),
    "spaces_in_span": _predictions(lambda i, v: v.replace(":", " : ") if ":" in v else v),
})
