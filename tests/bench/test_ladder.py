"""Reference ladders: real training on prepared offline data, scored with the competition's metric."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from bench.data import competition_paths, prepare
from bench.ladder import NoLadder, ladder_for, run_ladder, score_submission
from bench.registry import get_competition, list_competitions


def test_prepare_builds_the_ladder_and_best_beats_trivial(tmp_path):
    comp = get_competition("titanic-offline")
    paths = prepare(comp, tmp_path)  # offline prepare builds the ladder when missing
    board = pd.read_csv(paths.leaderboard)
    assert list(board.columns) == ["teamName", "score"]
    assert board["teamName"].str.startswith("reference:").all()
    assert len(board) >= 15  # enough rows for medal bands
    assert board["score"].is_monotonic_decreasing  # accuracy: best first
    constant = board.loc[board["teamName"] == "reference:constant", "score"].item()
    assert board["score"].iloc[0] > constant + 0.1
    meta = json.loads((paths.root / "leaderboard.meta.json").read_text())
    assert meta["kind"] == "reference-ladder" and meta["competition_id"] == comp.id
    assert len(meta["entries"]) == len(board)


def test_gunpoint_ladder_via_run_ladder(tmp_path):
    comp = get_competition("gunpoint-offline")
    prepare(comp, tmp_path, build_ladder=False)
    result = run_ladder(comp, tmp_path)
    board = pd.read_csv(competition_paths(comp, tmp_path).leaderboard)
    assert board["score"].iloc[0] == pytest.approx(result.best().score, abs=1e-6)
    trivial = next(e for e in result.entries if e.rung == "constant")
    assert result.best().score > trivial.score + 0.3


def test_score_submission_aligns_by_id():
    comp = get_competition("house-prices-offline")
    answers = pd.DataFrame({"Id": [1, 2, 3], "SalePrice": [100.0, 200.0, 300.0]})
    shuffled = pd.DataFrame({"Id": [3, 1, 2], "SalePrice": [300.0, 100.0, 200.0]})
    assert score_submission(comp, shuffled, answers) == pytest.approx(0.0)
    worse = shuffled.assign(SalePrice=[150.0, 150.0, 150.0])
    assert score_submission(comp, worse, answers) > 0.1


def test_every_offline_competition_has_a_ladder_and_kaggle_ones_do_not():
    for comp in list_competitions("offline"):
        rungs = ladder_for(comp)
        assert rungs[0].name == "constant" and len(rungs) >= 4
        assert "Reference ladder" in __import__(comp.preparer.__module__, fromlist=["x"]).__doc__
    with pytest.raises(NoLadder):
        ladder_for(get_competition("spaceship-titanic"))


def test_lower_is_better_leaderboard_is_ascending(tmp_path):
    from bench.ladder import LadderEntry, LadderResult, write_leaderboard

    result = LadderResult("house-prices-offline", lower_is_better=True, entries=[
        LadderEntry("reference:b", "b", {}, 0, 0.30, 0.1), LadderEntry("reference:a", "a", {}, 0, 0.12, 0.1),
        LadderEntry("reference:c", "c", {}, 0, 0.50, 0.1)])
    write_leaderboard(result, tmp_path / "leaderboard.csv")
    board = pd.read_csv(tmp_path / "leaderboard.csv")
    assert list(board["teamName"]) == ["reference:a", "reference:b", "reference:c"]
    assert result.best().team_name == "reference:a"


def test_cli_ladder_prints_scores(tmp_path, capsys):
    from bench.cli import main

    prepare(get_competition("gunpoint-offline"), tmp_path, build_ladder=False)
    assert main(["ladder", "-c", "gunpoint-offline", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "accuracy, higher is better" in out and "reference:constant" in out


def test_cli_ladder_needs_prepared_data(tmp_path, capsys):
    from bench.cli import main

    assert main(["ladder", "-c", "titanic-offline", "--data-dir", str(tmp_path)]) == 2
    assert "python -m bench prepare -c titanic-offline" in capsys.readouterr().err
