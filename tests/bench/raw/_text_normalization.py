"""Raw trees of the two text normalization competitions (`<prefix>_*.csv.zip`, Kaggle's layout)."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import zip_bytes


def _quoted(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC).encode()


def _sentences(rng: np.random.Generator, tokens: list, count: int) -> pd.DataFrame:
    rows = []
    for sentence in range(count):
        for token, pick in enumerate(rng.choice(len(tokens), rng.integers(3, 8))):
            kind, before, after = tokens[pick]
            rows.append((sentence, token, kind, before, after))
    return pd.DataFrame(rows, columns=["sentence_id", "token_id", "class", "before", "after"])


def build_language(prefix: str, tokens: list, seed: int, n_train: int = 40, n_test: int = 4) -> dict[str, bytes]:
    rng = np.random.default_rng(seed)
    train = _sentences(rng, tokens, n_train)
    files = {f"{prefix}_train.csv": _quoted(train)}
    for stage in ("", "_2"):
        test = _sentences(rng, tokens, n_test)[["sentence_id", "token_id", "before"]]
        ids = test["sentence_id"].astype(str) + "_" + test["token_id"].astype(str)
        files[f"{prefix}_test{stage}.csv"] = _quoted(test)
        files[f"{prefix}_sample_submission{stage}.csv"] = _quoted(pd.DataFrame({"id": ids, "after": test["before"]}))
    return {f"{name}.zip": zip_bytes({name: data}) for name, data in files.items()}


def _uppercased(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    frame["after"] = [v.upper() for v in frame["after"]]
    return text_of(frame)


def _na_written_out(answers: str, sample: str, spec: dict) -> str:
    """Missing answers (the token `NA`) written as the text "NA" again: read as missing, it matches."""
    frame = submission(answers, spec)
    frame["after"] = [v if v else "NA" for v in frame["after"]]
    return text_of(frame)


def _numbers(answers: str, sample: str, spec: dict) -> str:
    """Every spoken form replaced by a number: the column is read as integers, compared as text."""
    frame = submission(answers, spec)
    frame["after"] = [str(i % 3) for i in range(len(frame))]
    return text_of(frame)


CASES = {"uppercased": _uppercased, "na_written_out": _na_written_out, "numbers": _numbers}
