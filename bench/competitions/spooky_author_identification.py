"""spooky-author-identification (MLE-bench lite): 3-class text classification, multi-class log loss.

Preparation follows MLE-bench: Kaggle's `train.zip` (train.csv, 19,579 excerpts) is split with
`test_size=0.1, random_state=0`; answers are one-hot (`id,EAP,HPL,MWS`) in `private/test.csv`.
"""

from __future__ import annotations

from pathlib import Path

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.competitions._common import raw_or_zipped, read_csv, read_csv_in_zip, split

CLASSES = ("EAP", "HPL", "MWS")
# Kaggle's sample submission uses these constant priors; MLE-bench keeps them.
SAMPLE_PRIORS = {"EAP": 0.403493538995863, "HPL": 0.287808366106543, "MWS": 0.308698094897594}

DESCRIPTION = """\
# Spooky Author Identification

## Task
Each example is a sentence or short passage from a horror story by one of three authors: Edgar
Allan Poe (`EAP`), H. P. Lovecraft (`HPL`) or Mary Shelley (`MWS`). Predict, for every excerpt in
the test set, the probability that each author wrote it.

## Data
- `train.csv`: `id`, `text`, `author` (one of EAP, HPL, MWS).
- `test.csv`: `id`, `text`.
- `sample_submission.csv`: the expected format, filled with constant class frequencies.

## Metric
Multi-class logarithmic loss (lower is better). Each row of probabilities is rescaled to sum to 1
and clipped away from 0 and 1 before the logarithm, so a confident wrong answer is costly but finite.

## Submission
A CSV with header `id,EAP,HPL,MWS` and one row per test excerpt holding the three probabilities.
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Text classification with three classes. Each example is a short English literary excerpt; the
classes `EAP`, `HPL` and `MWS` are three writers. Predict a probability for each class.

Files: `train.csv` (`id,text,author`), `test.csv` (`id,text`), `sample_submission.csv`.

Metric: multi-class log loss (lower is better); rows are renormalised and clipped before scoring.

Submission: CSV with header `id,EAP,HPL,MWS`, one row per test id.
"""


def _one_hot(df, id_col: str, target: str):
    out = df[[id_col]].copy()
    for cls in CLASSES:
        out[cls] = (df[target] == cls).astype(int)
    return out


def prepare(raw: Path, public: Path, private: Path) -> None:
    source = raw_or_zipped(raw, "train")
    full = read_csv(source) if source.suffix == ".csv" else read_csv_in_zip(source, None)
    train, test = split(full, test_size=0.1, seed=0)
    answers = _one_hot(test, "id", "author")
    sample = answers.copy()
    for cls, prior in SAMPLE_PRIORS.items():
        sample[cls] = prior
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["author"]).to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)


# md5 values recorded by MLE-bench (checksums.yaml) for Kaggle's archive and the prepared files.
MLE_BENCH_MD5 = {
    "zip": "8f12d4f1f138f3867e881293b9bc54ee",
    "private/test.csv": "fb1381c6c9a7e9efd236c625807a0c8a",
    "public/sample_submission.csv": "3b754ff50b2b4416150bb00c86c34889",
    "public/test.csv": "2ea5096a8e8cf340b13a7a18d9bdd914",
    "public/train.csv": "1124166bf7b8b1e337a32fe568732447",
}


COMPETITION = Competition(
    id="spooky-author-identification",
    title="Spooky Author Identification",
    splits=("low", "lite", "split75"),
    metric=MetricSpec("multiclass_log_loss", lower_is_better=True),
    schema=SubmissionSchema(
        id_column="id",
        columns=(Column("id", "id"),) + tuple(Column(c, "probability", low=0.0, high=1.0) for c in CLASSES),
        answers_file="test.csv",
        rows_sum_to_one=CLASSES,  # MLE-bench's grader rejects probability rows that do not sum to 1
    ),
    source="kaggle",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    reference_md5=MLE_BENCH_MD5,
    category="text",
    raw_files=("train.zip|train.csv",),
)
