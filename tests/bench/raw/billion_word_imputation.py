"""Synthetic raw files of billion-word-imputation as Kaggle ships them: train_v2.txt.zip (one
tokenized sentence per line, some with quotes, some of two words only, a CRLF line and no final
newline) and test_v2.txt.zip (a CSV of sentences missing one word).

MLE-bench's preparer ends by asserting that the train and test lines add up to the 30,301,028 of
Kaggle's file, which no small tree satisfies; every file is written before that check, so the
golden data is what it makes (`MLE_BENCH_FULL_SIZE_ASSERT`)."""

from __future__ import annotations

import numpy as np

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import zip_bytes

MLE_BENCH_FULL_SIZE_ASSERT = "test_count + train_count == total_lines (30,301,028)"
WORDS = ["the", "market", "fell", "sharply", "on", "Monday", ",", "analysts", "said", "'s", "\"", "new", "record", "."]


def build(n: int = 700) -> dict[str, bytes]:
    rng = np.random.default_rng(26)
    lines = [" ".join(rng.choice(WORDS, rng.integers(2, 9))) for _ in range(n)]
    lines[3] = "Hello ."
    text = "\n".join(lines[:10]) + "\r\n" + "\n".join(lines[10:])
    test = '"id","sentence"\n0,"The market on Monday ."\n1,"He said "" no "" ."\n'
    return {"train_v2.txt.zip": zip_bytes({"train_v2.txt": text.encode()}),
            "test_v2.txt.zip": zip_bytes({"test_v2.txt": test.encode()})}


def _empty_sentence(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    frame.at[0, "sentence"] = ""
    return text_of(frame)


CASES = {"empty_sentence": _empty_sentence}
