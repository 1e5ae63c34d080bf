"""billion-word-imputation: MLE-bench's draw of test sentences from Kaggle's train_v2.txt.

One sentence per line, streamed (the file holds 30 million lines; nothing is held in memory or
extracted beside the user's files). For each line, as MLE-bench does with one `RandomState(0)`:
draw a uniform number; when it is at most 0.01 and the sentence has more than two words, the line
becomes a test sentence (stripped, quotes doubled for CSV) and one word other than the first and
the last is removed at a drawn position; otherwise the line goes to the train file as it is. At most
the 30,301,028 lines of Kaggle's file are read.

Public: `train_v2.txt.zip` and `test_v2.txt.zip` (`"id","sentence"` rows, the sentences with a
word removed). Private: `test.csv` (the full sentences) and `sample_submission.csv` (a copy of the
public test file, which is a valid submission).
"""

from __future__ import annotations

import io
import logging
import zipfile
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Iterator

import numpy as np

from bench.preparers import locate

TOTAL_LINES = 30_301_028
HEADER = '"id","sentence"\n'
log = logging.getLogger(__name__)


def prepare(raw: Path, public: Path, private: Path) -> None:
    rng = np.random.RandomState(0)
    with ExitStack() as stack:
        train_zip = stack.enter_context(zipfile.ZipFile(public / "train_v2.txt.zip", "w", zipfile.ZIP_DEFLATED))
        test_zip = stack.enter_context(zipfile.ZipFile(public / "test_v2.txt.zip", "w", zipfile.ZIP_DEFLATED))
        train = stack.enter_context(_text(train_zip.open("train_v2.txt", "w", force_zip64=True)))
        test = stack.enter_context(_text(test_zip.open("test_v2.txt", "w", force_zip64=True)))
        answers = stack.enter_context(open(private / "test.csv", "w", encoding="utf-8"))
        sample = stack.enter_context(open(private / "sample_submission.csv", "w", encoding="utf-8"))
        for out in (test, answers, sample):
            out.write(HEADER)
        test_count = 0
        for number, line in enumerate(_lines(raw), 1):
            if rng.uniform() <= 0.01 and len(line.strip().split()) > 2:
                sentence = line.strip().replace('"', '""')
                answers.write(f'{test_count},"{sentence}"\n')
                shortened = f'{test_count},"{_without_a_word(sentence, rng)}"\n'
                test.write(shortened)
                sample.write(shortened)
                test_count += 1
            else:
                train.write(line)
            if number % 1_000_000 == 0:
                log.info("billion-word-imputation: %d of %d lines split", number, TOTAL_LINES)
            if number >= TOTAL_LINES:
                break


def _without_a_word(sentence: str, rng: np.random.RandomState) -> str:
    words = sentence.split()
    index = rng.randint(1, len(words) - 1)
    return " ".join(words[:index] + words[index + 1:])


def _text(binary: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(binary, encoding="utf-8", newline="\n")


def _lines(raw: Path) -> Iterator[str]:
    """The lines of train_v2.txt, plain or inside its zip, read as Python's text mode reads them."""
    path = locate(raw, "train_v2.txt")
    if path.name == "train_v2.txt":
        with open(path, encoding="utf-8") as source:
            yield from source
        return
    with zipfile.ZipFile(path) as zf, zf.open("train_v2.txt") as member:
        yield from io.TextIOWrapper(member, encoding="utf-8")
