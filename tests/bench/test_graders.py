"""Shared grader pieces: MLE-bench's sort-by-id pairing, reproduced (and made fast for text ids)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench.errors import InvalidSubmissionError
from bench.graders import accuracy, sort_by, sorted_pair


@pytest.mark.parametrize("seed", range(5))
def test_sort_by_gives_pandas_order(seed):
    rng = np.random.default_rng(seed)
    text = [f"{w}_{i}" for i, w in enumerate(rng.choice(["a", "B", "é", "z z", "10", "9"], 400))]
    frames = [pd.DataFrame({"id": rng.permutation(text), "v": rng.random(400)}),
              pd.DataFrame({"id": rng.choice(["x", "y", "z"], 50), "v": rng.random(50)}),  # ties: pandas itself
              pd.DataFrame({"id": rng.permutation(400), "v": rng.random(400)})]
    for frame in frames:
        assert sort_by(frame, "id").index.tolist() == frame.sort_values("id").index.tolist()


def test_ids_compare_as_mle_bench_compares_them():
    answers = pd.DataFrame({"id": [101, 102, 103], "y": [1, 0, 1]})
    as_floats = pd.DataFrame({"id": [103.0, 101.0, 102.0], "y": [1, 1, 0]})
    sub, ans = sorted_pair(as_floats, answers, "id")
    assert sub["y"].tolist() == ans["y"].tolist() == [1, 0, 1]
    with pytest.raises(InvalidSubmissionError, match="do not match"):
        sorted_pair(pd.DataFrame({"id": ["101", "102", "103"], "y": [1, 0, 1]}), answers, "id")
    with pytest.raises(InvalidSubmissionError, match="cannot be sorted"):
        sort_by(pd.DataFrame({"id": ["a", 1]}), "id")


def test_accuracy_takes_booleans_and_numbers_alike():
    answers = pd.DataFrame({"k": ["a", "b"], "t": [True, False]})
    assert accuracy(pd.DataFrame({"k": ["b", "a"], "t": [0, 1]}), answers, id_column="k", target_column="t") == 1.0
    with pytest.raises(InvalidSubmissionError, match="cannot be computed"):
        accuracy(pd.DataFrame({"k": ["a", "b"], "t": ["yes", "no"]}), answers, id_column="k", target_column="t")
