"""Synthetic raw files of vinbigdata-chest-xray-abnormalities-detection: train.csv (three
radiologists' boxes per image, class 14 "No finding" without coordinates), train/<id>.dicom and
test/<id>.dicom (DICOM-shaped placeholders; the preparer only copies them), sample_submission.csv.
MLE-bench's preparer asserts Kaggle's full counts, so the golden file was made with those two
asserts removed (bench/DEVIATIONS.md P-D1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes

NAMES = {0: "Aortic enlargement", 3: "Cardiomegaly", 8: "Nodule/Mass", 10: "Pleural effusion", 14: "No finding"}
# the cases start from the gold submission: the answers carry every column of train.csv
SUBMISSION_BASE = "private/gold_submission.csv"


def _dicom(rng: np.random.Generator) -> bytes:
    return bytes(128) + b"DICM" + rng.integers(0, 255, 24, dtype=np.uint8).tobytes()


def _rows(rng: np.random.Generator, image_id: str) -> list[dict]:
    if rng.random() < 0.3:
        return [{"image_id": image_id, "class_name": "No finding", "class_id": 14, "rad_id": f"R{r}",
                 "x_min": None, "y_min": None, "x_max": None, "y_max": None} for r in (1, 2, 3)]
    rows = []
    for class_id in rng.choice([0, 3, 8, 10], size=int(rng.integers(1, 3)), replace=False):
        x, y = rng.integers(100, 1500, 2)
        w, h = rng.integers(80, 600, 2)
        for r in (4, 5, 6):
            jitter = rng.integers(-20, 21, 4)
            rows.append({"image_id": image_id, "class_name": NAMES[int(class_id)], "class_id": int(class_id),
                         "rad_id": f"R{r}", "x_min": float(x + jitter[0]), "y_min": float(y + jitter[1]),
                         "x_max": float(x + w + jitter[2]), "y_max": float(y + h + jitter[3])})
    return rows


def build(n_train: int = 20, n_test: int = 2) -> dict[str, bytes]:
    rng = np.random.default_rng(14)
    ids = ["".join(rng.choice(list("0123456789abcdef"), 32)) for _ in range(n_train + n_test)]
    rows = [row for image_id in ids[:n_train] for row in _rows(rng, image_id)]
    order = rng.permutation(len(rows))  # Kaggle's rows are not grouped by image
    files = {f"train/{i}.dicom": _dicom(rng) for i in ids[:n_train]}
    files.update({f"test/{i}.dicom": _dicom(rng) for i in ids[n_train:]})
    files["train.csv"] = csv_bytes(pd.DataFrame(rows).iloc[order])
    files["sample_submission.csv"] = csv_bytes(pd.DataFrame({"image_id": ids[n_train:], "PredictionString": "14 1 0 0 1 1"}))
    return files


def _strings(change) -> callable:
    def make(answers: str, sample: str, spec: dict) -> str:
        frame = table(answers)
        frame["PredictionString"] = [change(text, k) for k, text in enumerate(frame["PredictionString"])]
        return text_of(frame)
    return make


def _shifted(text: str, k: int) -> str:
    values = text.split(" ")
    for i in range(0, len(values), 6):
        values[i + 1] = str(round(0.9 - 0.2 * (i // 6), 2))
        if values[i] != "14":
            for j in range(2, 6):
                values[i + j] = str(float(values[i + j]) + 40 * (k + 1))
    return " ".join(values)


CASES = {
    "shifted_boxes": _strings(_shifted),
    "no_finding_everywhere": _strings(lambda t, k: "14 1 0 0 1 1"),
    "extra_low_confidence_boxes": _strings(lambda t, k: t + " 3 0.05 10 10 500 500 0 0.01 5 5 50 50"),
    "double_spaces": _strings(lambda t, k: t.replace(" ", "  ", 1)),
    "five_fields": _strings(lambda t, k: "14 1 0 0 1"),
    "unknown_class": _strings(lambda t, k: "7 0.9 0 0 100 100"),
    "repeated_image_row": lambda a, s, spec: text_of(pd.concat([table(a), table(a).iloc[:1]])),
    "empty_strings": _strings(lambda t, k: ""),
}
