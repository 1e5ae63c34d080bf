"""Synthetic raw files of tweet-sentiment-extraction: train.csv (textID, text, selected_text,
sentiment), test.csv (textID, text, sentiment) and sample_submission.csv (textID, selected_text)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes

TWEETS = [("so happy today, love it!", "so happy", "positive"),
          ("My boss is bullying me... \"again\"", "bullying me...", "negative"),
          ("what interview! leave me alone", "leave me alone", "negative"),
          ("Sons of ****, why couldn`t they put them on the releases", "Sons of ****,", "negative"),
          ("going to the shop", "going to the shop", "neutral"),
          ("Shame! the bus was late, again", "Shame!", "negative"),
          ("great GREAT news about the trip", "great GREAT news", "positive")]


def build(n: int = 50) -> dict[str, bytes]:
    rng = np.random.default_rng(18)
    rows = [TWEETS[i] for i in rng.integers(0, len(TWEETS), n)]
    train = pd.DataFrame({"textID": [f"{v:010x}" for v in rng.choice(16**10, n, replace=False)],
                          "text": [f"{t} #{i}" for i, (t, _, _) in enumerate(rows)],
                          "selected_text": [s for _, s, _ in rows], "sentiment": [c for _, _, c in rows]})
    test = pd.DataFrame({"textID": ["f87dea47db", "96d74cb729"], "text": ["so happy", "ok then"],
                         "sentiment": ["positive", "neutral"]})
    sample = pd.DataFrame({"textID": test["textID"], "selected_text": ""})
    return {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample)}


def _upper(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    frame["selected_text"] = [v.upper() for v in frame["selected_text"]]
    return text_of(frame)


def _first_word(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    frame["selected_text"] = [v.split()[0] for v in frame["selected_text"]]
    return text_of(frame)


CASES = {"upper_case": _upper, "first_word": _first_word}
