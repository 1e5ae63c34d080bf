"""gunpoint-offline: univariate time-series classification (UCR GunPoint), accuracy.

Raw data: `sktime/datasets/data/GunPoint/GunPoint_{TRAIN,TEST}.ts` from the pinned wheel
`sktime==0.40.1` (BSD-3; read as a zip, sktime is not installed or imported). The data is from the
UCR time-series archive (Ratanamahatana and Keogh), free for research use. Each series is 150
samples of the x-coordinate of an actor's right hand; class 1 = drawing a gun, 2 = pointing a
finger. The UCR archive's own split is kept (50 train, 150 test), as in the time-series literature;
rows are shuffled (seed 0) and get random ids (`gp<6 digits>`), so neither file order nor id says
which part or class a series is.

Reference ladder (`bench/offline/ladders/gunpoint-offline/`): the majority class, nearest
neighbours with Euclidean distance and with dynamic time warping (several warping windows, on the
series and on its derivative), logistic regression, SVMs, decision trees, forests, extra trees,
boosting, naive Bayes, LDA and small MLPs on the series, its differences, piecewise means, Fourier
magnitudes or summary statistics.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.ladder import Workbench, grid, solution
from bench.offline.models import classifier
from bench.offline.series import dtw_distances, read_ts
from bench.offline.split import opaque_ids, shuffled
from bench.offline.wheels import WheelPin, extract_members

WHEEL = WheelPin("sktime", "0.40.1", "sktime-0.40.1-py3-none-any.whl",
                 "130bb0c39ca4377e491c4dfa64c8ac67c3de2660dd406dd7690db6a8ac349c4e")
LENGTH = 150

DESCRIPTION = """\
# Hand-motion time series (offline)

## Task
Two actors were filmed either drawing a replica gun from a hip holster, aiming it and putting it
back, or just pointing a finger at a target and lowering the hand. The horizontal position of the
right hand was tracked over time. Classify each test recording as class 1 (gun) or 2 (pointing).

## Data
- `train.csv`: `id`, `label` (1 or 2), then `t000` ... `t149`, the 150 z-normalised positions.
- `test.csv`: `id` and `t000` ... `t149`.
- `sample_submission.csv`: every test id with a placeholder label.

There are only 50 training recordings and 150 test recordings.

## Metric
Accuracy: the share of test recordings classified correctly (higher is better).

## Submission
A CSV with header `id,label` and one row per test recording; `label` is 1 or 2.
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Binary classification of univariate time series (150 equally spaced, normalised values each;
labels 1 and 2). Very few training examples (50) and 150 test series.

Files: `train.csv` (`id,label,t000..t149`), `test.csv` (`id,t000..t149`), `sample_submission.csv`.

Metric: accuracy (higher is better).

Submission: CSV with header `id,label`, one row per test id, labels 1 or 2.
"""


def fetch_raw(raw: Path) -> None:
    extract_members(WHEEL, {f"sktime/datasets/data/GunPoint/GunPoint_{part}.ts": f"GunPoint_{part}.ts"
                            for part in ("TRAIN", "TEST")}, raw)


def _univariate(path: Path) -> tuple[np.ndarray, np.ndarray]:
    series, labels = read_ts(path)
    return np.stack([x[:, 0] for x in series]), labels


def prepare(raw: Path, public: Path, private: Path) -> None:
    x_train, y_train = _univariate(raw / "GunPoint_TRAIN.ts")
    x_test, y_test = _univariate(raw / "GunPoint_TEST.ts")
    ids = opaque_ids(len(x_train) + len(x_test), "gp", seed=1)
    parts = []
    for x, y, part_ids, seed in ((x_train, y_train, ids[:len(x_train)], 0), (x_test, y_test, ids[len(x_train):], 1)):
        frame = pd.DataFrame(x, columns=[f"t{i:03d}" for i in range(x.shape[1])])
        frame.insert(0, "id", part_ids)
        frame.insert(1, "label", y.astype(int))
        parts.append(shuffled(frame, seed=seed))
    train, test = parts
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["label"]).to_csv(public / "test.csv", index=False)
    pd.DataFrame({"id": test["id"], "label": 1}).to_csv(public / "sample_submission.csv", index=False)
    test[["id", "label"]].to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

def _features(x: np.ndarray, features: str) -> np.ndarray:
    diff = np.diff(x, axis=1)
    if features == "raw":
        return x
    if features == "diff":
        return diff
    if features == "raw+diff":
        return np.hstack([x, diff])
    if features == "paa10":  # piecewise aggregate approximation: the mean of 10 equal segments
        return x.reshape(len(x), 10, -1).mean(axis=2)
    if features == "fft":
        return np.abs(np.fft.rfft(x, axis=1))[:, :20]
    parts = [x.mean(1), x.std(1), x.min(1), x.max(1), x.argmax(1), x.argmin(1), diff.std(1), diff.max(1),
             diff.min(1), np.abs(diff).sum(1)]
    return np.column_stack(parts)  # "stats"


def _xy(wb: Workbench):
    def load():
        train, test = pd.read_csv(wb.public / "train.csv"), pd.read_csv(wb.public / "test.csv")
        cols = [c for c in test.columns if c.startswith("t")]
        return train[cols].to_numpy(), train["label"].to_numpy(), test[cols].to_numpy(), test["id"]

    return wb.memo("gunpoint", load)


def _constant(wb: Workbench) -> pd.DataFrame:
    _, y_train, _, ids = _xy(wb)
    return pd.DataFrame({"id": ids, "label": pd.Series(y_train).mode()[0]})


def _dtw(wb: Workbench, features: str, window: int) -> pd.DataFrame:
    x_train, y_train, x_test, ids = _xy(wb)
    distances = dtw_distances(_features(x_test, features), _features(x_train, features), window)
    return pd.DataFrame({"id": ids, "label": y_train[distances.argmin(axis=1)]})


def _fit(family: str):
    def run(wb: Workbench, features: str, **params) -> pd.DataFrame:
        x_train, y_train, x_test, ids = _xy(wb)
        model = classifier(family, **params).fit(_features(x_train, features), y_train)
        return pd.DataFrame({"id": ids, "label": model.predict(_features(x_test, features))})

    return run


LADDER = (
    solution("constant", _constant, baseline=True),
    solution("knn", _fit("knn"), baseline=True, features="raw", k=1),
    solution("logistic", _fit("logistic"), baseline=True, features="raw"),
    solution("forest", _fit("forest"), baseline=True, features="raw"),
    *grid("knn", _fit("knn"), features=("raw",), k=(3,)),
    *grid("knn", _fit("knn"), features=("diff", "raw+diff", "paa10", "fft"), k=(1, 3)),
    *grid("dtw-1nn", _dtw, features=("raw", "diff"), window=(3, 8, 15, 30, 150)),
    *grid("logistic", _fit("logistic"), features=("raw", "diff", "raw+diff", "fft"), C=(0.1, 10.0)),
    *grid("svc", _fit("svc"), features=("raw", "diff", "raw+diff", "fft"), C=(1.0, 10.0)),
    *grid("forest", _fit("forest"), features=("diff", "raw+diff", "fft", "stats")),
    *grid("extra-trees", _fit("extra-trees"), features=("raw", "raw+diff", "fft")),
    *grid("hist-gb", _fit("hist-gb"), features=("raw", "fft", "stats"), min_samples_leaf=(5,)),
    *grid("tree", _fit("tree"), features=("raw", "stats"), max_depth=(3, None)),
    *grid("naive-bayes", _fit("naive-bayes"), features=("paa10", "fft", "stats")),
    *grid("lda", _fit("lda"), features=("paa10", "stats")),
    *grid("mlp", _fit("mlp"), features=("raw", "raw+diff"), hidden=((32,), (128,)), alpha=(1e-2,)),
)

COMPETITION = Competition(
    id="gunpoint-offline",
    title="Hand-motion time series (offline)",
    splits=("offline", "offline-lite"),
    metric=MetricSpec("accuracy", lower_is_better=False),
    schema=SubmissionSchema(
        id_column="id",
        columns=(Column("id", "id"), Column("label", "label", allowed=("1", "2"))),
        answers_file="test.csv",
    ),
    source="package",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    category="time-series",
    raw_files=("GunPoint_TRAIN.ts", "GunPoint_TEST.ts"),
    fetch_raw=fetch_raw,
)
