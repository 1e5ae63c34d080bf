"""new-york-city-taxi-fare-prediction (MLE-bench lite): large tabular regression, RMSE.

Preparation follows MLE-bench: Kaggle's `train.csv` (about 55M rides) is split with
`test_size=9914` rows (Kaggle's original test size), `random_state=0`; the training part is
published as `labels.csv`, and `GCP-Coupons-Instructions.rtf` is copied over.
Reading the full file needs roughly 10 GB of memory, as with MLE-bench's own preparer.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.competitions._common import split

TEST_ROWS = 9914
COLUMNS = ("key", "fare_amount", "pickup_datetime", "pickup_longitude", "pickup_latitude",
           "dropoff_longitude", "dropoff_latitude", "passenger_count")

DESCRIPTION = """\
# New York City Taxi Fare Prediction

## Task
Predict the fare (tolls included) of a New York City taxi ride from its pickup and drop-off
coordinates, the pickup time and the number of passengers.

## Data
- `labels.csv`: the training rides (tens of millions of rows) with columns `key` (a unique
  ride id built from the pickup time), `fare_amount` (the target, in US dollars),
  `pickup_datetime`, `pickup_longitude`, `pickup_latitude`, `dropoff_longitude`,
  `dropoff_latitude`, `passenger_count`.
- `test.csv`: 9,914 rides with the same columns minus `fare_amount`.
- `sample_submission.csv`: every test `key` with a constant fare.
- `GCP-Coupons-Instructions.rtf`: an unrelated note that came with the original files.

The raw data is noisy: some coordinates are zero or far outside the city, and some fares are
negative.

## Metric
Root mean squared error between predicted and true fares (lower is better).

## Submission
A CSV with header `key,fare_amount` and one row per test ride.
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Tabular regression on a very large file. Each row is a ride with pickup time, pickup and drop-off
longitude/latitude and a passenger count; predict the price `fare_amount`.

Files: `labels.csv` (training rows with `fare_amount`), `test.csv` (no target),
`sample_submission.csv`, and an unrelated `.rtf` note. Expect noisy coordinates and fares.

Metric: RMSE (lower is better).

Submission: CSV with header `key,fare_amount`, one row per test key.
"""


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = pd.read_csv(raw / "train.csv")
    train, test = split(full, test_size=TEST_ROWS, seed=0)
    sample = test[["key"]].copy()
    sample["fare_amount"] = 11.35
    train.to_csv(public / "labels.csv", index=False)
    test.drop(columns=["fare_amount"]).to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    shutil.copy(raw / "GCP-Coupons-Instructions.rtf", public / "GCP-Coupons-Instructions.rtf")


# md5 values recorded by MLE-bench (checksums.yaml) for Kaggle's archive and the prepared files.
MLE_BENCH_MD5 = {
    "zip": "fe01f4ab11ebb0ee2851754516883070",
    "private/test.csv": "f51d45e95bcd7565f1175206e604506e",
    "public/labels.csv": "b1aa60e8d6ca817c18b23bd00e4a2500",
    "public/sample_submission.csv": "10c791174db974943c1c80f38fc86391",
    "public/test.csv": "a7b9d9b7208e9b7cff6891cfd56a0053",
}


COMPETITION = Competition(
    id="new-york-city-taxi-fare-prediction",
    title="New York City Taxi Fare Prediction",
    splits=("low", "lite", "split75"),
    metric=MetricSpec("rmse", lower_is_better=True),
    schema=SubmissionSchema(
        id_column="key",
        columns=(Column("key", "id"), Column("fare_amount", "float")),
        answers_file="test.csv",
    ),
    source="kaggle",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    reference_md5=MLE_BENCH_MD5,
    category="tabular",
    raw_files=("train.csv", "GCP-Coupons-Instructions.rtf"),
)
