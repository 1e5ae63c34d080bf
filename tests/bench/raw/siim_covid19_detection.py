"""Synthetic raw files of siim-covid19-detection: train_study_level.csv, train_image_level.csv,
train/<study>/<series>/<image>.dcm and test/... (DICOM-shaped placeholders: preamble and magic; the
preparer only copies them) and sample_submission.csv; 20 studies of one or two images."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes

COLUMNS = ["Negative for Pneumonia", "Typical Appearance", "Indeterminate Appearance", "Atypical Appearance"]


def _dicom(rng: np.random.Generator) -> bytes:
    return bytes(128) + b"DICM" + rng.integers(0, 255, 24, dtype=np.uint8).tobytes()


def _hex(rng: np.random.Generator) -> str:
    return "".join(rng.choice(list("0123456789abcdef"), 12))


def _boxes(rng: np.random.Generator) -> tuple[str | None, str]:
    n = int(rng.integers(0, 3))
    if n == 0:
        return None, "none 1 0 0 1 1"
    boxes = [{"x": round(float(rng.uniform(0, 500)), 5), "y": round(float(rng.uniform(0, 500)), 5),
              "width": round(float(rng.uniform(50, 400)), 5), "height": round(float(rng.uniform(50, 400)), 5)}
             for _ in range(n)]
    label = " ".join(f"opacity 1 {b['x']} {b['y']} {round(b['x'] + b['width'], 5)} {round(b['y'] + b['height'], 5)}"
                     for b in boxes)
    return str(boxes), label


def build(n_studies: int = 20, n_test: int = 2) -> dict[str, bytes]:
    rng = np.random.default_rng(19)
    files: dict[str, bytes] = {}
    study_rows, image_rows = [], []
    for k in range(n_studies + n_test):
        study, series = _hex(rng), _hex(rng)
        where = "train" if k < n_studies else "test"
        for _ in range(1 + k % 2):
            image = _hex(rng)
            files[f"{where}/{study}/{series}/{image}.dcm"] = _dicom(rng)
            if where == "train":
                boxes, label = _boxes(rng)
                image_rows.append({"id": f"{image}_image", "boxes": boxes, "label": label, "StudyInstanceUID": study})
        if where == "train":
            one_hot = [0, 0, 0, 0]
            one_hot[int(rng.integers(0, 4))] = 1
            study_rows.append({"id": f"{study}_study", **dict(zip(COLUMNS, one_hot))})
    files["train_study_level.csv"] = csv_bytes(pd.DataFrame(study_rows))
    files["train_image_level.csv"] = csv_bytes(pd.DataFrame(image_rows))
    files["sample_submission.csv"] = csv_bytes(pd.DataFrame({"id": ["a_study"], "PredictionString": ["negative 1 0 0 1 1"]}))
    return files


def _strings(change) -> callable:
    def make(answers: str, sample: str, spec: dict) -> str:
        frame = table(answers)
        frame["PredictionString"] = [change(text, k) for k, text in enumerate(frame["PredictionString"])]
        return text_of(frame)
    return make


def _scaled(text: str, k: int) -> str:
    """Opacity boxes grown by 30% (IoU about 0.59 or less), with falling confidences."""
    tokens = text.split()
    out = []
    for i in range(0, len(tokens), 6):
        label, _, x1, y1, x2, y2 = tokens[i: i + 6]
        if label == "opacity":
            w, h = float(x2) - float(x1), float(y2) - float(y1)
            x2, y2 = str(float(x1) + 1.3 * w), str(float(y1) + 1.3 * h)
        out += [label, str(round(0.9 - 0.1 * (i // 6) - 0.01 * k, 3)), x1, y1, x2, y2]
    return " ".join(out)


CASES = {
    "grown_boxes": _strings(_scaled),
    "extra_none": _strings(lambda t, k: t + " none 0.1 0 0 1 1" if "opacity" in t else t),
    "all_none": _strings(lambda t, k: "none 1 0 0 1 1"),
    "study_classes_swapped": _strings(lambda t, k: t.replace("typical", "atypical") if "opacity" not in t else t),
    "five_fields": _strings(lambda t, k: "none 1 0 0 1"),
    "text_confidence": _strings(lambda t, k: "none high 0 0 1 1"),
    "empty_strings": _strings(lambda t, k: ""),
    "nan_confidence": _strings(lambda t, k: t.replace(" 1 ", " nan ", 1)),
}
