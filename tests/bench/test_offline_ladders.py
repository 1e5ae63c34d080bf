"""The committed reference ladders: big enough, diverse, in step with the code, medals that mean something."""

from __future__ import annotations

import pandas as pd
import pytest

from bench.ladder import committed_dir, ladder_for, read_committed
from bench.medals import medal_thresholds
from bench.registry import get_competition, split_ids

OFFLINE = split_ids("offline")


def test_offline_split_is_broad():
    comps = [get_competition(cid) for cid in OFFLINE]
    assert len(comps) >= 10
    assert len({c.category for c in comps}) >= 6  # tabular, image, text, time-series, and more
    assert set(split_ids("offline-lite")) < set(OFFLINE) and 3 <= len(split_ids("offline-lite")) <= 4


@pytest.mark.parametrize("cid", OFFLINE)
def test_committed_ladder_matches_the_code(cid):
    comp = get_competition(cid)
    provenance = read_committed(comp)
    assert provenance is not None, f"no committed ladder: run `python -m bench ladder --rebuild -c {cid}`"
    board = pd.read_csv(committed_dir(comp) / "leaderboard.csv")
    rows = provenance["rows"]
    assert list(board["teamName"]) == [r["team_name"] for r in rows]
    assert list(board["score"]) == pytest.approx([r["score"] for r in rows])
    assert sorted(r["solution"] for r in rows) == sorted(s.name for s in ladder_for(comp)), (
        f"{cid}: the ladder's code changed since it was built; rebuild it")
    assert provenance["lower_is_better"] == comp.metric.lower_is_better
    assert provenance["metric"] == comp.metric.name
    assert {"python", "numpy", "pandas", "scikit-learn"} <= set(provenance["built_with"])


@pytest.mark.parametrize("cid", OFFLINE)
def test_ladder_is_big_diverse_and_its_medals_are_distinct(cid):
    comp = get_competition(cid)
    provenance = read_committed(comp)
    rows = provenance["rows"]
    assert len(rows) >= 50 and len({r["solution"] for r in rows}) == len(rows)
    assert len({r["family"] for r in rows}) >= 6
    scores = [r["score"] for r in rows]
    th = medal_thresholds(scores, lower_is_better=comp.metric.lower_is_better)
    better = (lambda a, b: a < b) if comp.metric.lower_is_better else (lambda a, b: a > b)
    assert better(th.gold, th.silver) and better(th.silver, th.bronze) and better(th.bronze, th.median)
    baselines = [r["score"] for r in rows if r["baseline"]]
    assert baselines and all(better(th.gold, b) for b in baselines), "gold must beat every plain baseline"
    assert provenance["bands"] == pytest.approx(
        {"gold": th.gold, "silver": th.silver, "bronze": th.bronze, "median": th.median})
