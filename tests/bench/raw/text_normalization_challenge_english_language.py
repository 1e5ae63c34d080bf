"""Synthetic raw files of text-normalization-challenge-english-language in Kaggle's layout: zipped
CSVs en_train.csv (tokens with class and spoken form), en_test.csv / en_test_2.csv (tokens) and
en_sample_submission.csv / en_sample_submission_2.csv, every text cell quoted."""

from __future__ import annotations

from tests.bench.raw._text_normalization import CASES, build_language  # noqa: F401 (CASES: the golden cases)

# (class, written, spoken) tokens; "NA" is a real token that pandas reads as a missing value.
TOKENS = [
    ("PLAIN", "The", "The"), ("PLAIN", "station", "station"), ("PLAIN", "opened", "opened"),
    ("PLAIN", "in", "in"), ("DATE", "1862", "eighteen sixty two"), ("PUNCT", ".", "."), ("PUNCT", ",", ","),
    ("DATE", "March 3, 2005", "march third two thousand five"), ("CARDINAL", "147", "one hundred forty seven"),
    ("ORDINAL", "3rd", "third"), ("LETTERS", "BBC", "b b c"), ("MEASURE", "5 km", "five kilometers"),
    ("DECIMAL", "2.5", "two point five"), ("MONEY", "$100", "one hundred dollars"),
    ("TIME", "12:30", "twelve thirty"), ("ELECTRONIC", "www.bbc.co.uk", "w w w dot b b c dot c o dot u k"),
    ("TELEPHONE", "0-86-3", "o sil eight six sil three"), ("FRACTION", "1/2", "one half"),
    ("DIGIT", "2012", "two o one two"), ("VERBATIM", "&", "and"), ("PLAIN", "NA", "NA"),
    ("PLAIN", "Dr.", "doctor"), ("PLAIN", "river", "river"), ("PLAIN", "and", "and"),
]


def build() -> dict[str, bytes]:
    return build_language("en", TOKENS, seed=5)
