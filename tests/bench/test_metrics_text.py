"""Text and ranking metrics: Levenshtein, Jaccard, MAP@k, Kendall tau, lwlrap, QA micro F1."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import label_ranking_average_precision_score

from bench.errors import InvalidSubmissionError
from bench.metrics import get_metric
from bench.metrics.text import _inversions, ap_at_k, levenshtein

RNG = np.random.default_rng(1)


def m(name: str, *args, **kwargs) -> float:
    return get_metric(name)(*args, **kwargs)


@pytest.mark.parametrize("a,b,d", [("kitten", "sitting", 3), ("", "abc", 3), ("abc", "", 3), ("same", "same", 0),
                                   ("flaw", "lawn", 2), ("InChI=1S/C2H6", "InChI=1S/CH4", 2)])
def test_levenshtein_known_pairs(a, b, d):
    assert levenshtein(a, b) == d


def test_levenshtein_mean_and_token_ratio():
    assert m("levenshtein_mean", np.array(["kitten", "abc"]), np.array(["sitting", np.nan], dtype=object)) == 3.0
    # gestures: token edit distances summed / number of true tokens
    assert m("levenshtein_token_ratio", np.array(["1 2 3", "4 5"]), np.array(["1 3", "4 5 6"])) == pytest.approx(2 / 5)


def test_word_jaccard_hand_computed_and_both_empty():
    t = np.array(["The quick fox", "", "a b"])
    p = np.array(["quick the dog", "", "c"])
    assert m("word_jaccard", t, p) == pytest.approx((2 / 4 + 1 + 0) / 3)


def test_apk_mapk_kaggle_cases():
    assert ap_at_k("1 2 3", "1 2 3", 3) == 1.0
    assert ap_at_k("1", "2 1", 5) == 0.5
    assert ap_at_k("1 2", "1 1 2", 5) == pytest.approx((1 + 2 / 3) / 2)  # a repeat earns nothing
    assert ap_at_k("", "1", 5) == 0.0
    assert ap_at_k(["a", "b", "c", "d", "e", "f"], "a x x x x b", 5) == pytest.approx(1 / 5)
    assert m("map_at_k", np.array(["1", "2"]), np.array(["1 3", "3 4 2"]), k=5) == pytest.approx((1 + 1 / 3) / 2)
    # k cuts the ranked list
    assert m("map_at_k", np.array(["9"]), np.array(["1 2 3 4 5 9"]), k=5) == 0.0


def test_inversion_count_matches_brute_force():
    for _ in range(50):
        ranks = list(RNG.permutation(int(RNG.integers(0, 12))))
        brute = sum(1 for i, j in itertools.combinations(range(len(ranks)), 2) if ranks[i] > ranks[j])
        assert _inversions(ranks) == brute


def test_kendall_tau_inversions_matches_scipy_for_one_row_and_rejects_non_permutations():
    gt = "a b c d e f"
    pred = "b a c f d e"
    ranks = [gt.split().index(x) for x in pred.split()]
    assert m("kendall_tau_inversions", np.array([gt]), np.array([pred])) == pytest.approx(
        stats.kendalltau(range(6), ranks).statistic)
    assert m("kendall_tau_inversions", np.array([gt]), np.array([gt])) == 1.0
    assert m("kendall_tau_inversions", np.array([gt]), np.array(["f e d c b a"])) == -1.0
    with pytest.raises(InvalidSubmissionError, match="permutation"):
        m("kendall_tau_inversions", np.array([gt]), np.array(["a b c"]))


def test_lwlrap_equals_lrap_weighted_by_positive_count():
    t = (RNG.random((60, 8)) < 0.25).astype(int)
    t[t.sum(axis=1) == 0, 0] = 1
    p = RNG.random((60, 8))
    p[:, 3] = p[:, 4]  # ties
    expected = label_ranking_average_precision_score(t, p, sample_weight=t.sum(axis=1))
    assert m("lwlrap", t, p) == pytest.approx(expected)
    assert m("lwlrap", t, t + 0.0) == 1.0


def test_qa_micro_f1_counts_blank_as_no_answer():
    t = np.array(["A", "", "B|C", "D"], dtype=object)
    p = np.array(["A", "X", "C", ""], dtype=object)
    tp, fp, fn = 2, 1, 1
    assert m("qa_micro_f1", t, p) == pytest.approx(2 * tp / (2 * tp + fp + fn))
