"""Reference ladders: training and scoring, the committed files, installing them, labelled reports."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from bench.data import competition_paths, prepare
from bench.grade import REFERENCE_LADDER, RunReport, aggregate, grade_submission
from bench.ladder import (
    NoLadder, Workbench, build_ladder, grid, install_leaderboard, ladder_for, read_committed, run_ladder,
    score_submission, solution, write_committed,
)
from bench.registry import get_competition


@pytest.fixture(scope="module")
def titanic(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("ladder-data")
    comp = get_competition("titanic-offline")
    prepare(comp, data_dir, build_ladder=False)
    return comp, data_dir


def _few(comp):
    wanted = {"rule[rule=nobody]", "rule[rule=women]", "logistic[features=raw]"}
    return tuple(s for s in ladder_for(comp) if s.name in wanted)


def test_grid_names_every_combination_once():
    sols = grid("m", lambda wb, **p: None, a=(1, 2), b=("x",))
    assert [s.name for s in sols] == ["m[a=1,b=x]", "m[a=2,b=x]"]
    assert solution("m", lambda wb: None).name == "m" and dict(sols[1].params) == {"a": 2, "b": "x"}


def test_workbench_memo_computes_once(tmp_path):
    wb, calls = Workbench(tmp_path), []
    assert wb.memo("k", lambda: calls.append(1) or 5) == 5 and wb.memo("k", lambda: calls.append(1) or 6) == 5
    assert calls == [1]


def test_build_scores_real_solutions(titanic):
    comp, data_dir = titanic
    result = build_ladder(comp, data_dir, solutions=_few(comp))
    scores = {r.solution: r.score for r in result.rows}
    assert scores["logistic[features=raw]"] > scores["rule[rule=women]"] > scores["rule[rule=nobody]"] + 0.1
    assert result.best().solution == "logistic[features=raw]"
    assert all(r.team_name == f"reference:{r.solution}" and r.baseline for r in result.rows)


def test_write_install_and_rebuild_into_a_folder(titanic, tmp_path):
    comp, data_dir = titanic
    paths = competition_paths(comp, data_dir)
    result = build_ladder(comp, data_dir, solutions=_few(comp))
    write_committed(result, paths.private / "test.csv", tmp_path)
    board = pd.read_csv(tmp_path / "leaderboard.csv")
    assert list(board.columns) == ["teamName", "score"] and board["score"].is_monotonic_decreasing
    provenance = json.loads((tmp_path / "provenance.json").read_text())
    assert provenance["kind"] == REFERENCE_LADDER and provenance["built_with"]["scikit-learn"]
    assert [r["team_name"] for r in provenance["rows"]] == list(board["teamName"])
    assert set(provenance["bands"]) == {"gold", "silver", "bronze", "median"}
    again = run_ladder(comp, data_dir, out_dir=tmp_path)  # committed there: read, not retrained
    assert [r.score for r in again.sorted_rows()] == list(board["score"])


def test_prepare_installs_the_committed_leaderboard(titanic):
    comp, data_dir = titanic
    paths = prepare(comp, data_dir)
    committed = read_committed(comp)
    board = pd.read_csv(paths.leaderboard)
    assert list(board["teamName"]) == [r["team_name"] for r in committed["rows"]]
    meta = json.loads((paths.root / "leaderboard.meta.json").read_text())
    assert meta["kind"] == REFERENCE_LADDER and meta["answers_md5"] == committed["answers_md5"]


def test_install_warns_when_answers_differ(titanic, tmp_path, caplog):
    comp, _ = titanic
    (tmp_path / "test.csv").write_text("PassengerId,Survived\n1,0\n")
    install_leaderboard(comp, tmp_path, tmp_path / "board" / "leaderboard.csv")
    assert "differ from those the committed ladder was scored on" in caplog.text


def test_grade_report_labels_reference_ladder_medals(titanic, tmp_path):
    comp, data_dir = titanic
    paths = prepare(comp, data_dir)
    answers = pd.read_csv(paths.private / "test.csv")
    answers.to_csv(tmp_path / "perfect.csv", index=False)
    report = grade_submission(comp, tmp_path / "perfect.csv", data_dir)
    assert report.gold_medal and report.leaderboard_kind == REFERENCE_LADDER
    assert report.to_dict()["leaderboard_kind"] == REFERENCE_LADDER
    kaggle = type(report)(**{**report.__dict__, "competition_id": "k", "leaderboard_kind": "kaggle"})
    totals = RunReport([report, kaggle]).to_dict()
    assert totals["total_gold_medals"] == 1 and totals["reference_ladder"]["total_gold_medals"] == 1
    assert totals["total_runs"] == 1 and totals["reference_ladder"]["total_runs"] == 1
    with pytest.raises(ValueError, match="do not add up"):
        aggregate([report, kaggle])
    assert aggregate([report])["leaderboard_kind"] == REFERENCE_LADDER


def test_score_submission_aligns_by_id():
    comp = get_competition("house-prices-offline")
    answers = pd.DataFrame({"Id": [1, 2, 3], "SalePrice": [100.0, 200.0, 300.0]})
    shuffled = pd.DataFrame({"Id": ["3", "1", "2"], "SalePrice": [300.0, 100.0, 200.0]})
    assert score_submission(comp, shuffled, answers) == pytest.approx(0.0)
    assert score_submission(comp, shuffled.assign(SalePrice=150.0), answers) > 0.1
    with pytest.raises(ValueError, match="do not match"):
        score_submission(comp, shuffled.iloc[:2], answers)


def test_kaggle_competitions_have_no_ladder():
    with pytest.raises(NoLadder):
        ladder_for(get_competition("spaceship-titanic"))


def test_cli_ladder_installs_committed_board(titanic, capsys):
    from bench.cli import main

    comp, data_dir = titanic
    assert main(["ladder", "-c", comp.id, "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "accuracy, higher is better" in out and "reference:rule[rule=nobody]" in out
    assert competition_paths(comp, data_dir).leaderboard.is_file()


def test_cli_ladder_refuses_kaggle_competition(tmp_path, capsys):
    from bench.cli import main

    assert main(["ladder", "-c", "spaceship-titanic", "--data-dir", str(tmp_path)]) == 2
    assert "no reference ladder" in capsys.readouterr().err


def test_a_submission_scoring_what_a_ladder_row_scored_ties_that_row(titanic, tmp_path):
    """The committed ladder holds each score as the grader rounds a submission's (5 decimals): a ladder
    solution's own submission, graded, gets exactly its row's score, and the row at the bronze line wins
    bronze. (Stored at 6 decimals, titanic's 73/89 = 0.820225 once beat an equal submission's 0.82022.)"""
    comp, data_dir = titanic
    paths = competition_paths(comp, data_dir)
    install_leaderboard(comp, paths.private, paths.leaderboard)
    provenance = read_committed(comp)
    at_bronze = [r for r in provenance["rows"] if r["score"] == provenance["bands"]["bronze"]]
    row = min(at_bronze, key=lambda r: r["seconds"])
    sol = next(s for s in ladder_for(comp) if s.name == row["solution"])
    submission = tmp_path / "submission" / "submission.csv"
    submission.parent.mkdir()
    sol(Workbench(paths.public)).to_csv(submission, index=False)
    report = grade_submission(comp, submission, data_dir)
    assert report.score == row["score"] and report.bronze_medal and not report.silver_medal
