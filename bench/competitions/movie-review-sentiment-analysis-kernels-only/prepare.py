"""movie-review-sentiment-analysis-kernels-only: MLE-bench's 70/30 split of the labelled phrases.

`train.tsv` (tab-separated, read with pandas' default quoting, as MLE-bench does) is split 70/30
(random_state 0). Public: `train.tsv.zip` and `test.tsv.zip` (each one TSV, the test part without
`Sentiment`), `sampleSubmission.csv` (every phrase 2, neutral). Private: `answers.csv`.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from bench.preparers import read_raw_bytes, split


def _zip_tsv(frame: pd.DataFrame, dest: Path, name: str) -> None:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(name, frame.to_csv(index=False, sep="\t"))


def prepare(raw: Path, public: Path, private: Path) -> None:
    phrases = pd.read_csv(io.BytesIO(read_raw_bytes(raw, "train.tsv")), sep="\t")
    train, answers = split(phrases, test_size=0.3, random_state=0)
    answers.to_csv(private / "answers.csv", index=False)
    _zip_tsv(train, public / "train.tsv.zip", "train.tsv")
    _zip_tsv(answers.drop(columns=["Sentiment"]), public / "test.tsv.zip", "test.tsv")
    answers[["PhraseId", "Sentiment"]].assign(Sentiment=2).to_csv(public / "sampleSubmission.csv", index=False)
