"""gunpoint-offline: univariate time-series classification (UCR GunPoint), accuracy.

Raw data: `sktime/datasets/data/GunPoint/GunPoint_{TRAIN,TEST}.ts` from the pinned wheel
`sktime==0.40.1` (read as a zip; sktime is not installed or imported). Each series is 150 samples
of the x-coordinate of an actor's right hand; class 1 = drawing a gun, 2 = pointing a finger. The
UCR archive's own split is kept (50 train, 150 test), as in the time-series literature.

Reference ladder (`python -m bench ladder -c gunpoint-offline`), trivial to strong:
1. `constant`: always class 1.
2. `logistic`: logistic regression on the raw series (two C values).
3. `knn-euclidean`: 1/3-nearest neighbours with Euclidean distance (the classic baseline).
4. `random-forest`: 300 trees on the raw series plus its first differences (several seeds).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.ladder import FitPredict, Rung
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


def read_ts(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Univariate, equal-length `.ts` file -> (series matrix, labels as strings)."""
    series, labels, in_data = [], [], False
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            in_data = line.lower() == "@data"
            continue
        values, label = line.rsplit(":", 1)
        series.append([float(v) for v in values.split(",")])
        labels.append(label.strip())
    return np.asarray(series), np.asarray(labels)


def _frame(prefix: str, x: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(x, columns=[f"t{i:03d}" for i in range(x.shape[1])])
    frame.insert(0, "id", [f"{prefix}{i:03d}" for i in range(len(x))])
    return frame


def prepare(raw: Path, public: Path, private: Path) -> None:
    x_train, y_train = read_ts(raw / "GunPoint_TRAIN.ts")
    x_test, y_test = read_ts(raw / "GunPoint_TEST.ts")
    train = _frame("tr", x_train)
    train.insert(1, "label", y_train.astype(int))
    test = _frame("te", x_test)
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(public / "test.csv", index=False)
    pd.DataFrame({"id": test["id"], "label": 1}).to_csv(public / "sample_submission.csv", index=False)
    pd.DataFrame({"id": test["id"], "label": y_test.astype(int)}).to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

def _xy(public: Path):
    train, test = pd.read_csv(public / "train.csv"), pd.read_csv(public / "test.csv")
    cols = [c for c in test.columns if c.startswith("t")]
    return train[cols].to_numpy(), train["label"].to_numpy(), test[cols].to_numpy(), test["id"]


def _constant(public: Path, params: dict, seed: int) -> pd.DataFrame:
    test = pd.read_csv(public / "test.csv")
    return pd.DataFrame({"id": test["id"], "label": 1})


def _model(make, diffs: bool = False) -> FitPredict:
    def run(public: Path, params: dict, seed: int) -> pd.DataFrame:
        x_train, y_train, x_test, ids = _xy(public)
        if diffs:
            x_train = np.hstack([x_train, np.diff(x_train, axis=1)])
            x_test = np.hstack([x_test, np.diff(x_test, axis=1)])
        model = make(params, seed)
        model.fit(x_train, y_train)
        return pd.DataFrame({"id": ids, "label": model.predict(x_test)})

    return run


def _logistic(params: dict, seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=params["C"], max_iter=2000)


def _knn(params: dict, seed: int):
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=params["k"])


def _forest(params: dict, seed: int):
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=300, random_state=seed, n_jobs=2)


LADDER = (
    Rung("constant", _constant),
    Rung("logistic", _model(_logistic), variants=({"C": 0.1}, {"C": 10.0})),
    Rung("knn-euclidean", _model(_knn), variants=({"k": 1}, {"k": 3})),
    Rung("random-forest", _model(_forest, diffs=True), seeds=(0, 1, 2, 3, 4)),
)

COMPETITION = Competition(
    id="gunpoint-offline",
    title="Hand-motion time series (offline)",
    splits=("offline",),
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
