"""Medal thresholds at every band edge, both directions, ties, NaN and direction inference."""

from __future__ import annotations

import logging

import pytest

from bench.medals import Leaderboard, Thresholds, award, leaderboard_direction, medal_positions, medal_thresholds


@pytest.mark.parametrize("n,positions", [
    (1, (1, 1, 1)), (5, (1, 1, 2)), (99, (9, 19, 39)), (100, (10, 20, 40)), (249, (10, 49, 99)),
    (250, (10, 50, 100)), (999, (11, 50, 100)), (1000, (12, 50, 100)), (1500, (13, 75, 150)),
    (10000, (30, 500, 1000)),
])
def test_positions_at_band_edges(n, positions):
    assert medal_positions(n) == positions


def _board(n: int, lower: bool) -> list[float]:
    """Distinct scores, best first: row k holds k (lower better) or -k (higher better)."""
    return [float(k) if lower else float(-k) for k in range(1, n + 1)]


@pytest.mark.parametrize("n", [1, 99, 100, 249, 250, 999, 1000])
@pytest.mark.parametrize("lower", [True, False])
def test_thresholds_read_the_score_at_each_position(n, lower):
    scores = _board(n, lower)
    th = medal_thresholds(scores)
    gold, silver, bronze = medal_positions(n)
    assert (th.gold, th.silver, th.bronze) == (scores[gold - 1], scores[silver - 1], scores[bronze - 1])
    assert th.lower_is_better is (lower and n > 1)  # N=1: first == last counts as higher-is-better
    sign = 1 if th.lower_is_better else -1
    # tie at the gold threshold wins gold (inclusive); one step worse falls to the next tier
    assert award(th.gold, th).gold
    if silver > gold:
        worse = award(th.gold + sign * 0.5, th)
        assert not worse.gold and worse.silver and not worse.bronze
    if bronze > silver:
        at_bronze = award(th.bronze, th)
        assert at_bronze.bronze and not at_bronze.silver and not at_bronze.gold
    below = award(th.bronze + sign * 0.5, th)
    assert not below.any_medal


def test_tiers_are_exclusive_and_any_medal():
    th = Thresholds(gold=0.9, silver=0.8, bronze=0.7, median=0.5, lower_is_better=False)
    assert award(0.95, th) == award(0.9, th)
    r = award(0.95, th)
    assert r.gold and not r.silver and not r.bronze and r.any_medal and r.above_median
    r = award(0.8, th)
    assert r.silver and not r.gold and not r.bronze
    r = award(0.75, th)
    assert r.bronze and r.any_medal
    assert not award(0.6, th).any_medal and award(0.6, th).above_median


def test_above_median_is_strict_both_directions():
    up = Thresholds(3, 2, 1, 0.5, lower_is_better=False)
    assert not award(0.5, up).above_median and award(0.50001, up).above_median
    down = Thresholds(0.1, 0.2, 0.3, 0.5, lower_is_better=True)
    assert not award(0.5, down).above_median and award(0.49999, down).above_median
    assert award(0.1, down).gold and not award(0.10001, down).gold


def test_none_and_nan_win_nothing():
    th = Thresholds(0.9, 0.8, 0.7, 0.5, lower_is_better=False)
    assert award(None, th) == award(float("nan"), th)
    assert not award(float("nan"), th).any_medal and not award(float("nan"), th).above_median


def test_ties_in_the_leaderboard_and_median():
    scores = [0.9] * 5 + [0.8] * 5  # N=10: gold pos 1, silver pos 2, bronze pos 4
    th = medal_thresholds(scores)
    assert th.lower_is_better is False
    assert (th.gold, th.silver, th.bronze) == (0.9, 0.9, 0.9)
    assert th.median == pytest.approx(0.85)
    assert award(0.9, th).gold
    assert not award(0.89, th).any_medal and award(0.89, th).above_median


def test_direction_from_order_and_declared_disagreement_warns(caplog):
    assert leaderboard_direction([1.0, 2.0]) is True
    assert leaderboard_direction([2.0, 1.0]) is False
    assert leaderboard_direction([1.0, 3.0, 1.0]) is False  # equal first and last -> higher is better
    with caplog.at_level(logging.WARNING, logger="bench.medals"):
        th = medal_thresholds([1.0, 2.0, 3.0], lower_is_better=False)
    assert th.lower_is_better is False and "leaderboard order" in caplog.text


def test_leaderboard_from_csv(tmp_path):
    path = tmp_path / "leaderboard.csv"
    path.write_text("teamName,score\na,0.1\nb,0.2\nc,0.3\n")
    board = Leaderboard.from_csv(path)
    assert board.scores == (0.1, 0.2, 0.3) and board.lower_is_better
    assert board.thresholds().gold == 0.1
    path.write_text("teamName,points\na,1\n")
    with pytest.raises(ValueError, match="'score' column"):
        Leaderboard.from_csv(path)
