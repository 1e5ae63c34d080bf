"""tensorflow2-question-answering: MLE-bench's chunked split of simplified-nq-train.jsonl.

The file (about 17 GB, one Wikipedia page and question per line) is read 1,000 records at a time,
as MLE-bench reads it with pandas; every chunk is split 90/10 (random_state 0) and written out at
once, so memory holds one chunk. `example_id` becomes text. Public: `simplified-nq-train.jsonl`,
`simplified-nq-test.jsonl` (the test records' `example_id`, `question_text`, `document_text`,
`long_answer_candidates`) and a sample submission with an empty answer for every
`<id>_long` / `<id>_short` row. Private: `test.jsonl` (the test records whole) and
`gold_submission.csv`: the short answer is the annotation's YES/NO, else its first short span
`start:end`, else empty; the long answer is its span, else empty.
"""

from __future__ import annotations

import io
import logging
import zipfile
from contextlib import ExitStack
from pathlib import Path
from typing import Iterator

import pandas as pd

from bench.preparers import locate, split

TRAIN = "simplified-nq-train.jsonl"
PUBLIC_TEST_KEYS = ["example_id", "question_text", "document_text", "long_answer_candidates"]
log = logging.getLogger(__name__)


def prepare(raw: Path, public: Path, private: Path) -> None:
    gold: list[dict[str, str]] = []
    with ExitStack() as stack:
        train_out = stack.enter_context(open(public / TRAIN, "w", encoding="utf-8"))
        test_out = stack.enter_context(open(private / "test.jsonl", "w", encoding="utf-8"))
        public_test_out = stack.enter_context(open(public / "simplified-nq-test.jsonl", "w", encoding="utf-8"))
        for number, chunk in enumerate(_chunks(raw), 1):
            chunk["example_id"] = chunk["example_id"].astype(str)
            train, test = split(chunk, 0.1, 0)
            train_out.write(train.to_json(orient="records", lines=True))
            test_out.write(test.to_json(orient="records", lines=True))
            public_test_out.write(test[PUBLIC_TEST_KEYS].to_json(orient="records", lines=True))
            gold.extend(row for example, annotations in zip(test["example_id"], test["annotations"])
                        for row in gold_rows(example, annotations))
            if number % 10 == 0:
                log.info("tensorflow2-question-answering: %d records split", number * 1000)
    gold_frame = pd.DataFrame(gold, columns=["example_id", "PredictionString"])
    gold_frame.to_csv(private / "gold_submission.csv", index=False)
    gold_frame.assign(PredictionString="").to_csv(public / "sample_submission.csv", index=False)


def gold_rows(example: str, annotations: list[dict]) -> list[dict[str, str]]:
    """The `<id>_short` and `<id>_long` rows of one record's (single) annotation."""
    if len(annotations) != 1:
        raise ValueError(f"record {example} has {len(annotations)} annotations; the train file has one each")
    annotation = annotations[0]
    shorts = annotation["short_answers"]
    if annotation["yes_no_answer"] != "NONE":
        short = annotation["yes_no_answer"]
    else:
        short = f"{shorts[0]['start_token']}:{shorts[0]['end_token']}" if shorts else ""
    span = annotation["long_answer"]
    long = f"{span['start_token']}:{span['end_token']}" if span["start_token"] != -1 else ""
    return [{"example_id": f"{example}_short", "PredictionString": short},
            {"example_id": f"{example}_long", "PredictionString": long}]


def _chunks(raw: Path) -> Iterator[pd.DataFrame]:
    path = locate(raw, TRAIN)
    with ExitStack() as stack:
        if path.name == TRAIN:
            source = stack.enter_context(open(path, encoding="utf-8"))
        else:
            member = stack.enter_context(zipfile.ZipFile(path)).open(TRAIN)
            source = stack.enter_context(io.TextIOWrapper(member, encoding="utf-8"))
        with pd.read_json(source, orient="records", lines=True, chunksize=1_000) as reader:
            yield from reader
