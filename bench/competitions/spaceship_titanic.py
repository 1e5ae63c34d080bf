"""spaceship-titanic (MLE-bench dev split): binary tabular classification scored by accuracy.

Preparation follows MLE-bench: Kaggle's labelled `train.csv` (8,693 rows) is split with
`test_size=0.1, random_state=0`; the held-out tenth (870 rows) becomes the hidden test set.
"""

from __future__ import annotations

from pathlib import Path

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.competitions._common import read_csv, split

DESCRIPTION = """\
# Spaceship Titanic

## Task
A passenger liner carrying about 13,000 people collided with a spacetime anomaly, and roughly half
of the passengers were transported to another dimension. From the personal records recovered from
the ship's computer, predict for each passenger in the test set whether they were transported.

## Data
- `train.csv`: one row per passenger with the label `Transported` (True/False).
- `test.csv`: the same columns without `Transported`; predict these passengers.
- `sample_submission.csv`: a correctly formatted submission.

Columns: `PassengerId` (`gggg_pp`: travel group and number within it), `HomePlanet`, `CryoSleep`
(in suspended animation for the voyage), `Cabin` (`deck/num/side`, side P or S), `Destination`,
`Age`, `VIP`, the amounts billed at `RoomService`, `FoodCourt`, `ShoppingMall`, `Spa` and `VRDeck`,
and `Name`.

## Metric
Classification accuracy: the share of passengers whose `Transported` value is predicted correctly.

## Submission
A CSV with a header and one row per test passenger: `PassengerId,Transported`, where
`Transported` is `True` or `False`.
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Predict a binary outcome (`Transported`: True/False) for each passenger record in `test.csv`,
using the labelled records in `train.csv`. Features include a group-structured id
(`PassengerId`), origin and destination, a cabin code `deck/num/side`, age, a VIP flag, a
suspended-animation flag and five spending amounts, plus a name.

Files: `train.csv`, `test.csv` (no label), `sample_submission.csv`.

Metric: accuracy (higher is better).

Submission: CSV with header `PassengerId,Transported`, one row per test record, values True/False.
"""


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = read_csv(raw / "train.csv")
    train, test = split(full, test_size=0.1, seed=0)
    sample = test[["PassengerId", "Transported"]].copy()
    sample["Transported"] = False
    sample.to_csv(public / "sample_submission.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["Transported"]).to_csv(public / "test.csv", index=False)


# md5 values recorded by MLE-bench (checksums.yaml) for Kaggle's archive and the prepared files.
MLE_BENCH_MD5 = {
    "zip": "67c177886736583aff9b947e121395a9",
    "private/test.csv": "1cb99c65efecaba968128577722a83ef",
    "public/sample_submission.csv": "5414b5da6ebcff454de1c9ed39b73774",
    "public/test.csv": "8186bd4048aece25f1ed45708f8f34e1",
    "public/train.csv": "564a1614ecef9d9611cec4efdce4c412",
}


COMPETITION = Competition(
    id="spaceship-titanic",
    title="Spaceship Titanic",
    splits=("dev", "spaceship-titanic"),
    metric=MetricSpec("accuracy", lower_is_better=False),
    schema=SubmissionSchema(
        id_column="PassengerId",
        columns=(Column("PassengerId", "id"), Column("Transported", "label", allowed=("True", "False"))),
        answers_file="test.csv",
    ),
    source="kaggle",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    reference_md5=MLE_BENCH_MD5,
    category="tabular",
    raw_files=("train.csv",),
)
