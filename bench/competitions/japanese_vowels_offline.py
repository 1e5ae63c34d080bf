"""japanese-vowels-offline: speaker identification from spoken vowels (multivariate, variable-length
time series), accuracy.

Raw data: `sktime/datasets/data/JapaneseVowels/JapaneseVowels_{TRAIN,TEST}.ts` from the pinned
wheel `sktime==0.40.1` (BSD-3; read as a zip). The data is the UCI "Japanese Vowels" set (Kudo,
Toyama and Shimbo, 1999), distributed with the UEA multivariate time-series archive for research:
nine male speakers each said the vowel /ae/ several times; each utterance is a series of 7 to 29
frames of 12 LPC cepstrum coefficients. The archive's split is kept (270 train, 370 test); rows are
shuffled (seed 0) and get random ids (`jv<6 digits>`).

Reference ladder (`bench/offline/ladders/japanese-vowels-offline/`): the majority speaker,
nearest neighbours (Euclidean, and dynamic time warping with several windows) on series resampled
to a fixed length, and logistic regression, SVMs, LDA, naive Bayes, decision trees, forests, extra
trees, histogram gradient boosting and small MLPs on per-utterance summaries (means; means and
spreads; six statistics per coefficient) or on resampled frames.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.ladder import Workbench, grid, solution
from bench.offline.models import classifier
from bench.offline.series import dtw_distances, read_ts, resample
from bench.offline.split import opaque_ids, shuffled
from bench.offline.wheels import WheelPin, extract_members

WHEEL = WheelPin("sktime", "0.40.1", "sktime-0.40.1-py3-none-any.whl",
                 "130bb0c39ca4377e491c4dfa64c8ac67c3de2660dd406dd7690db6a8ac349c4e")
COEFS = [f"c{i:02d}" for i in range(1, 13)]

DESCRIPTION = """\
# Who said the vowel? (offline)

## Task
Nine men each pronounced the Japanese vowel /ae/ several times. Every utterance was cut into
short frames and each frame described by 12 numbers (LPC cepstrum coefficients, a standard summary
of the spectrum of speech). Utterances last 7 to 29 frames. Identify the speaker (1-9) of each
test utterance.

## Data
- `train.csv`: `id`, `speaker` (1-9): 270 utterances.
- `test.csv`: `id`: 370 utterances.
- `frames.csv`: `id`, `frame` (0, 1, ... in time order), `c01` ... `c12`: the frames of every
  utterance, training and test.
- `sample_submission.csv`: every test id with a placeholder speaker.

## Metric
Accuracy: the share of test utterances attributed to the right speaker (higher is better).

## Submission
A CSV with header `id,speaker` and one row per test utterance; `speaker` is an integer from 1 to 9.
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Classification of multivariate time series of varying length (7-29 steps, 12 channels each) into 9
classes (1-9).

Files: `train.csv` (`id,speaker`), `test.csv` (`id`), `frames.csv` (`id,frame,c01..c12`: one row
per time step of every series), `sample_submission.csv`.

Metric: accuracy (higher is better).

Submission: CSV with header `id,speaker`, one row per test id, integer labels 1-9.
"""


def fetch_raw(raw: Path) -> None:
    extract_members(WHEEL, {f"sktime/datasets/data/JapaneseVowels/JapaneseVowels_{part}.ts":
                            f"JapaneseVowels_{part}.ts" for part in ("TRAIN", "TEST")}, raw)


def prepare(raw: Path, public: Path, private: Path) -> None:
    parts = [read_ts(raw / f"JapaneseVowels_{part}.ts") for part in ("TRAIN", "TEST")]
    ids = iter(opaque_ids(sum(len(s) for s, _ in parts), "jv", seed=1))
    tables, frames = [], []
    for seed, (series, labels) in enumerate(parts):
        part_ids = [next(ids) for _ in series]
        for sid, x in zip(part_ids, series):
            frame = pd.DataFrame(x, columns=COEFS)
            frame.insert(0, "frame", np.arange(len(x)))
            frame.insert(0, "id", sid)
            frames.append(frame)
        tables.append(shuffled(pd.DataFrame({"id": part_ids, "speaker": labels.astype(int)}), seed=seed))
    train, test = tables
    order = {sid: i for i, sid in enumerate(list(train["id"]) + list(test["id"]))}
    frames_table = pd.concat(frames, ignore_index=True)
    frames_table = frames_table.iloc[np.argsort(frames_table["id"].map(order).to_numpy(), kind="stable")]
    train.to_csv(public / "train.csv", index=False)
    test[["id"]].to_csv(public / "test.csv", index=False)
    frames_table.to_csv(public / "frames.csv", index=False, float_format="%.6g")
    pd.DataFrame({"id": test["id"], "speaker": 1}).to_csv(public / "sample_submission.csv", index=False)
    test.to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

def _series(wb: Workbench):
    def load():
        train, test = pd.read_csv(wb.public / "train.csv"), pd.read_csv(wb.public / "test.csv")
        frames = pd.read_csv(wb.public / "frames.csv").sort_values(["id", "frame"])
        by_id = {sid: group[COEFS].to_numpy() for sid, group in frames.groupby("id")}
        return [by_id[i] for i in train["id"]], train["speaker"].to_numpy(), [by_id[i] for i in test["id"]], test

    return wb.memo("vowels", load)


def _features(series: list[np.ndarray], features: str) -> np.ndarray:
    if features.startswith("resampled"):
        return np.stack([resample(x, int(features.removeprefix("resampled"))).ravel() for x in series])
    rows = []
    for x in series:
        parts = [x.mean(0)]
        if features != "mean":
            parts.append(x.std(0))
        if features == "stats":
            parts += [x.min(0), x.max(0), x[0], x[-1]]
        rows.append(np.concatenate(parts))
    return np.stack(rows)


def _constant(wb: Workbench) -> pd.DataFrame:
    _, y_train, _, test = _series(wb)
    return pd.DataFrame({"id": test["id"], "speaker": pd.Series(y_train).mode()[0]})


def _dtw(wb: Workbench, length: int, window: int) -> pd.DataFrame:
    x_train, y_train, x_test, test = _series(wb)
    fixed = lambda xs: np.stack([resample(x, length) for x in xs])  # noqa: E731
    distances = dtw_distances(fixed(x_test), fixed(x_train), window)
    return pd.DataFrame({"id": test["id"], "speaker": y_train[distances.argmin(axis=1)]})


def _fit(family: str):
    def run(wb: Workbench, features: str, **params) -> pd.DataFrame:
        x_train, y_train, x_test, test = _series(wb)
        model = classifier(family, **params).fit(_features(x_train, features), y_train)
        return pd.DataFrame({"id": test["id"], "speaker": model.predict(_features(x_test, features))})

    return run


SUMMARIES = ("mean", "mean+std", "stats")

LADDER = (
    solution("constant", _constant, baseline=True),
    solution("knn", _fit("knn"), baseline=True, features="mean"),
    solution("logistic", _fit("logistic"), baseline=True, features="mean"),
    solution("forest", _fit("forest"), baseline=True, features="mean"),
    *grid("knn", _fit("knn"), features=("mean+std", "stats", "resampled5", "resampled10"), k=(1, 5)),
    *grid("dtw-1nn", _dtw, length=(15,), window=(0, 2, 5, 15)),
    *grid("logistic", _fit("logistic"), features=("mean+std", "stats", "resampled5", "resampled10"), C=(0.1, 10.0)),
    *grid("svc", _fit("svc"), features=("mean+std", "stats", "resampled10"), C=(1.0, 10.0)),
    *grid("lda", _fit("lda"), features=SUMMARIES),
    *grid("naive-bayes", _fit("naive-bayes"), features=SUMMARIES),
    *grid("tree", _fit("tree"), features=("mean", "stats"), max_depth=(4, None)),
    *grid("forest", _fit("forest"), features=("mean+std", "stats", "resampled5")),
    *grid("extra-trees", _fit("extra-trees"), features=("mean+std", "stats", "resampled5")),
    *grid("hist-gb", _fit("hist-gb"), features=("mean+std", "stats"), min_samples_leaf=(5,)),
    *grid("mlp", _fit("mlp"), features=("mean+std", "stats", "resampled10"), hidden=((64,),), alpha=(1e-2, 1.0)),
)

COMPETITION = Competition(
    id="japanese-vowels-offline",
    title="Who said the vowel? (offline)",
    splits=("offline",),
    metric=MetricSpec("accuracy", lower_is_better=False),
    schema=SubmissionSchema(
        id_column="id",
        columns=(Column("id", "id"), Column("speaker", "label", allowed=tuple(str(d) for d in range(1, 10)))),
        answers_file="test.csv",
    ),
    source="package",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    category="time-series",
    raw_files=("JapaneseVowels_TRAIN.ts", "JapaneseVowels_TEST.ts"),
    fetch_raw=fetch_raw,
)
