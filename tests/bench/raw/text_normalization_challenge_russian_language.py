"""Synthetic raw files of text-normalization-challenge-russian-language in Kaggle's layout: zipped
CSVs ru_train.csv (tokens with class and spoken form), ru_test.csv / ru_test_2.csv (tokens) and
ru_sample_submission.csv / ru_sample_submission_2.csv, every text cell quoted."""

from __future__ import annotations

from tests.bench.raw._text_normalization import CASES, build_language  # noqa: F401 (CASES: the golden cases)

# (class, written, spoken) tokens; "NA" is a real token that pandas reads as a missing value.
TOKENS = [
    ("PLAIN", "По", "По"), ("PLAIN", "состоянию", "состоянию"), ("PLAIN", "на", "на"),
    ("DATE", "1862 год", "тысяча восемьсот шестьдесят второй год"), ("PUNCT", ".", "."),
    ("PUNCT", ",", ","), ("PLAIN", "город", "город"), ("PLAIN", "был", "был"),
    ("CARDINAL", "2", "два"), ("CARDINAL", "147", "сто сорок семь"), ("ORDINAL", "3-й", "третий"),
    ("LETTERS", "ТВ", "т в"), ("PLAIN", "Wikipedia", "w_trans i_trans k_trans i_trans p_trans e_trans d_trans i_trans a_trans"),
    ("MEASURE", "5 км", "пяти километров"), ("DECIMAL", "2,5", "два целых и пять десятых"),
    ("MONEY", "100 руб.", "сто рублей"), ("TIME", "12:30", "двенадцать часов тридцать минут"),
    ("ELECTRONIC", "ru.org", "р у точка о р г"), ("PLAIN", "NA", "NA"), ("VERBATIM", "—", "—"),
    ("PLAIN", "и", "и"), ("PLAIN", "в", "в"), ("PLAIN", "году", "году"), ("PLAIN", "река", "река"),
]


def build() -> dict[str, bytes]:
    return build_language("ru", TOKENS, seed=7)
