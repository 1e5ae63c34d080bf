"""Synthetic raw files of alaska2-image-steganalysis in Kaggle's layout: Cover/<nnnnn>.jpg and the
same names under JMiPOD/, JUNIWARD/, UERD/ (the stego versions), Test/<nnnn>.jpg and
sample_submission.csv (Id, Label).

MLE-bench's preparer holds out exactly 5,000 covers, so the tree needs 5,002 of them (two stay for
training). Each file is a few bytes (JPEG start and end markers around its folder and number),
since the preparer only copies them. To keep the tree small, a stego folder holds only the files
the preparer reads: the versions of the two training covers, and for each held-out cover the one
algorithm its seeded draw picks (drawn here the way MLE-bench draws; a wrong draw would make
MLE-bench's own preparer fail on a missing file). About 7,500 files instead of 20,000.
"""

from __future__ import annotations

import random

import pandas as pd
from sklearn.model_selection import train_test_split

from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes

N_COVERS = 5002
FOLDERS = ("Cover", "JMiPOD", "JUNIWARD", "UERD")


def _image(folder: str, number: int) -> bytes:
    return b"\xff\xd8" + f"{folder}{number}".encode() + b"\xff\xd9"


def needed_stego() -> list[tuple[str, int]]:
    """(algorithm folder, cover number) of every stego file the preparer reads."""
    train, test = train_test_split(list(range(1, N_COVERS + 1)), test_size=5000, random_state=42)
    needed = [(folder, number) for number in train for folder in FOLDERS[1:]]
    draws = random.Random(0)
    draws.shuffle(test)
    for number in test:
        if not draws.choice([True, False]):
            needed.append((draws.choice(list(FOLDERS[1:])), number))
    return sorted(needed)


def build() -> dict[str, bytes]:
    files = {f"Cover/{number:05d}.jpg": _image("Cover", number) for number in range(1, N_COVERS + 1)}
    files.update({f"{folder}/{number:05d}.jpg": _image(folder, number) for folder, number in needed_stego()})
    for number in range(3):
        files[f"Test/{number:04d}.jpg"] = _image("Test", number)
    files["sample_submission.csv"] = csv_bytes(pd.DataFrame({"Id": [f"{n:04d}.jpg" for n in range(3)], "Label": 0}))
    return files


def _labels(change):
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = table(answers)
        frame["Label"] = [change(i, cell) for i, cell in enumerate(frame["Label"])]
        return text_of(frame)
    return case


CASES = {
    "ties_one_decimal": _labels(lambda i, cell: "0.6" if (cell == "1") != (i % 7 == 0) else "0.4"),
    "all_tied": _labels(lambda i, cell: "0.5"),
    "inverted": _labels(lambda i, cell: "0" if cell == "1" else "1"),
    "large_scores": _labels(lambda i, cell: str(1000 * int(cell) + i % 13)),
    "infinite": _labels(lambda i, cell: "inf" if i == 0 else cell),
    "text_label": _labels(lambda i, cell: "yes" if i == 0 else cell),
}
