"""Synthetic raw files of lmsys-chatbot-arena: train.csv (id, model_a, model_b, prompt, response_a,
response_b as JSON lists of strings, one-hot winner columns), test.csv and sample_submission.csv."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes

MODELS = ["gpt-4-0613", "llama-2-13b-chat", "claude-2.1", "vicuna-13b", "mistral-medium"]


def build(n: int = 60) -> dict[str, bytes]:
    rng = np.random.default_rng(20)
    winner = rng.integers(0, 3, n)
    train = pd.DataFrame({"id": rng.choice(10**7, n, replace=False), "model_a": rng.choice(MODELS, n),
                          "model_b": rng.choice(MODELS, n),
                          "prompt": [json.dumps([f"Explain item {i}, \"briefly\"."]) for i in range(n)],
                          "response_a": [json.dumps([f"Item {i} is a thing.", None]) for i in range(n)],
                          "response_b": [json.dumps([f"Sure! Item {i}:\n- one\n- two"]) for i in range(n)],
                          "winner_model_a": (winner == 0).astype(int), "winner_model_b": (winner == 1).astype(int),
                          "winner_tie": (winner == 2).astype(int)})
    test = pd.DataFrame({"id": [136060, 211333], "prompt": ['["Hi"]'] * 2, "response_a": ['["Hello"]'] * 2,
                         "response_b": ['["Hey"]'] * 2})
    sample = pd.DataFrame({"id": test["id"], "winner_model_a": 0.2, "winner_model_b": 0.2, "winner_tie": 0.6})
    return {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample)}


def _sums_slightly_off(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    frame["winner_tie"] = [repr(float(v) + 4e-7) for v in frame["winner_tie"]]
    return text_of(frame)


def _sums_off(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    frame["winner_tie"] = [repr(float(v) + 1e-5) for v in frame["winner_tie"]]
    return text_of(frame)


CASES = {"sums_within_6_decimals": _sums_slightly_off, "sums_off_by_1e-5": _sums_off}
