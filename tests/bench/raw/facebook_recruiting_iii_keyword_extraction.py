"""Synthetic raw files of facebook-recruiting-iii-keyword-extraction as Kaggle ships them:
Train.zip (Train.csv: Id, Title, Body, Tags; every cell quoted), Test.zip (Test.csv) and
SampleSubmission.csv."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import zip_bytes

TAGS = ["php", "mysql", "c#", ".net", "javascript", "jquery", "python", "regex", "linux", "image-processing"]


def _quoted(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, quoting=csv.QUOTE_ALL).encode()


def build(n: int = 50) -> dict[str, bytes]:
    rng = np.random.default_rng(25)
    tags = [" ".join(rng.choice(TAGS, rng.integers(1, 4), replace=False)) for _ in range(n)]
    train = pd.DataFrame({"Id": np.arange(1, n + 1), "Title": [f"How do I do thing {i}?" for i in range(n)],
                          "Body": [f"<p>I tried this, \"carefully\":</p>\n<pre><code>x = {i}\n</code></pre>\n" for i in range(n)],
                          "Tags": tags})
    train.loc[4, "Title"] = "NA"
    test = pd.DataFrame({"Id": [6034196, 6034197], "Title": ["Why?", "How?"], "Body": ["<p>a</p>", "<p>b</p>"]})
    sample = pd.DataFrame({"Id": test["Id"], "Tags": "javascript c# python php java"})
    return {"Train.zip": zip_bytes({"Train.csv": _quoted(train)}), "Test.zip": zip_bytes({"Test.csv": _quoted(test)}),
            "SampleSubmission.csv": sample.to_csv(index=False).encode()}


def _tags(transform):
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = submission(answers, spec)
        frame["Tags"] = [transform(i, v) for i, v in enumerate(frame["Tags"])]
        return text_of(frame)

    return case


CASES = {
    "first_tag_only": _tags(lambda i, v: v.split()[0]),
    "unknown_tag_added": _tags(lambda i, v: f"{v} never-seen-tag"),
    "numbers_only": _tags(lambda i, v: str(i)),
    "all_empty": _tags(lambda i, v: ""),
}
