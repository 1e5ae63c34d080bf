"""Synthetic raw files of alaska2-image-steganalysis in Kaggle's layout: Cover/<nnnnn>.jpg and the
same names under JMiPOD/, JUNIWARD/, UERD/ (the stego versions), Test/<nnnn>.jpg and
sample_submission.csv (Id, Label).

MLE-bench's preparer holds out exactly 5,000 covers, so the tree needs 5,002 of them (two stay for
training): 20,008 files. Each is a few bytes (JPEG start and end markers around its folder and
number), since the preparer only copies them; the test takes a few seconds more than most.
"""

from __future__ import annotations

import pandas as pd

from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes

N_COVERS = 5002
FOLDERS = ("Cover", "JMiPOD", "JUNIWARD", "UERD")


def _image(folder: str, number: int) -> bytes:
    return b"\xff\xd8" + f"{folder}{number}".encode() + b"\xff\xd9"


def build() -> dict[str, bytes]:
    files = {f"{folder}/{number:05d}.jpg": _image(folder, number)
             for folder in FOLDERS for number in range(1, N_COVERS + 1)}
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
