"""Grading end to end on built competitions: scores, medals, invalid vs grader bug, run reports."""

from __future__ import annotations

import json
import logging
import math
from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from bench.errors import InvalidSubmissionError
from bench.grade import (
    REPORT_FIELDS, CompetitionReport, aggregate, grade_jsonl, grade_submission, pass_at_k, read_run_jsonl,
)
from tests.bench.grading_helpers import BINARY, MULTI, REGRESSION, make_comp, write_data

IDS = [f"q{i:03d}" for i in range(40)]
TRUTH = np.array([0, 1] * 20)
BOARD_UP = [0.99, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.6, 0.55, 0.5]  # N=10: gold pos 1, silver 2, bronze 4


@pytest.fixture
def auc_setup(tmp_path):
    comp = make_comp(BINARY, metric="roc_auc")
    root = write_data(tmp_path / "data", comp, pd.DataFrame({"id": IDS, "target": TRUTH}), BOARD_UP)
    return comp, root, tmp_path


def _sub(tmp_path, ids, target, name="submission.csv", **cols):
    path = tmp_path / name
    pd.DataFrame({"id": ids, "target": target, **cols}).to_csv(path, index=False)
    return path


def test_perfect_submission_in_shuffled_order_wins_gold(auc_setup):
    comp, root, tmp = auc_setup
    order = np.random.default_rng(0).permutation(40)
    report = grade_submission(comp, _sub(tmp, np.array(IDS)[order], TRUTH[order] * 0.9 + 0.05), root)
    assert report.score == 1.0 and report.gold_medal and report.any_medal and report.above_median
    assert not report.silver_medal and not report.bronze_medal
    assert report.valid_submission and report.submission_exists and report.is_lower_better is False
    assert (report.gold_threshold, report.silver_threshold, report.bronze_threshold) == (0.99, 0.95, 0.85)
    assert report.median_threshold == pytest.approx(0.775)
    assert list(report.to_dict()) == list(REPORT_FIELDS) and len(REPORT_FIELDS) == 17  # MLE-bench's 16 + leaderboard_kind
    json.dumps(report.to_dict())


def test_constant_submission_scores_half_no_medal(auc_setup):
    comp, root, tmp = auc_setup
    report = grade_submission(comp, _sub(tmp, IDS, 0.5), root)
    assert report.score == 0.5 and not report.any_medal and not report.above_median and report.valid_submission


def test_score_is_rounded_to_five_decimals(auc_setup):
    comp, root, tmp = auc_setup
    pred = np.linspace(0, 1, 40)
    report = grade_submission(comp, _sub(tmp, IDS, pred), root)
    from sklearn.metrics import roc_auc_score

    assert report.score == round(roc_auc_score(TRUTH, pred), 5)


def test_invalid_submission_reports_why_and_no_score(auc_setup):
    comp, root, tmp = auc_setup
    report = grade_submission(comp, _sub(tmp, IDS[:-1] + ["zzz"], 0.5), root)
    assert report.score is None and not report.valid_submission and report.submission_exists
    assert "'zzz'" in report.message and "'q039'" in report.message
    assert report.gold_threshold == 0.99  # thresholds are still reported


def test_missing_or_non_csv_submission(auc_setup):
    comp, root, tmp = auc_setup
    report = grade_submission(comp, tmp / "nothing.csv", root)
    assert not report.submission_exists and report.score is None and not report.any_medal
    (tmp / "sub.txt").write_text("id,target\n")
    assert not grade_submission(comp, tmp / "sub.txt", root).submission_exists


def test_grade_fn_overrides_metric_and_invalid_error_is_agents_fault(tmp_path):
    def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
        merged = submission.merge(answers, on="id", suffixes=("", "_true"))
        if (merged["target"] > 0.99).any():
            raise InvalidSubmissionError("no prediction may exceed 0.99 in this toy")
        return float(np.mean(np.abs(merged["target"] - merged["target_true"])))

    comp = make_comp(BINARY, metric="roc_auc", lower=True, grade_fn=grade)
    root = write_data(tmp_path / "data", comp, pd.DataFrame({"id": IDS, "target": TRUTH}), [0.1, 0.2, 0.3])
    report = grade_submission(comp, _sub(tmp_path, IDS, 0.25), root)
    assert report.score == 0.5 and report.is_lower_better
    report = grade_submission(comp, _sub(tmp_path, IDS, 0.995), root)
    assert report.score is None and "exceed 0.99" in report.message


def test_grader_bug_is_logged_loudly_and_scores_none(tmp_path, caplog):
    comp = make_comp(BINARY, metric="roc_auc")
    # answers lack the prediction column: not the agent's fault
    root = write_data(tmp_path / "data", comp, pd.DataFrame({"id": IDS, "label": TRUTH}), BOARD_UP)
    with caplog.at_level(logging.ERROR, logger="bench.grade"):
        report = grade_submission(comp, _sub(tmp_path, IDS, 0.5), root)
    assert report.score is None and "Grader error" in report.message
    assert "GRADER BUG" in caplog.text and "Traceback" in caplog.text


def test_lower_is_better_medals_and_direction_warning(tmp_path, caplog):
    comp = make_comp(REGRESSION, metric="rmse", lower=False)  # declared wrong on purpose
    answers = pd.DataFrame({"id": IDS, "y": np.arange(40.0)})
    root = write_data(tmp_path / "data", comp, answers, [0.5, 1.0, 2.0, 3.0, 4.0])  # N=5: gold/silver 1, bronze 2
    path = tmp_path / "submission.csv"
    pd.DataFrame({"id": IDS, "y": np.arange(40.0) + 1.0}).to_csv(path, index=False)
    with caplog.at_level(logging.WARNING, logger="bench.grade"):
        report = grade_submission(comp, path, root)
    assert report.score == 1.0 and report.is_lower_better
    assert report.bronze_medal and not report.gold_medal and report.above_median
    assert any("lower_is_better=True" in w for w in report.warnings) and "leaderboard order" in caplog.text


def test_nan_score_is_valid_but_wins_nothing(tmp_path):
    comp = make_comp(REGRESSION, metric="pearson")
    root = write_data(tmp_path / "data", comp, pd.DataFrame({"id": IDS, "y": np.arange(40.0)}), [0.9, 0.5, 0.1])
    path = tmp_path / "submission.csv"
    pd.DataFrame({"id": IDS, "y": 3.0}).to_csv(path, index=False)
    report = grade_submission(comp, path, root)
    assert math.isnan(report.score) and report.valid_submission and not report.above_median


def test_no_leaderboard_gives_no_thresholds(tmp_path):
    comp = make_comp(MULTI, metric="multiclass_log_loss", lower=True)
    answers = pd.DataFrame({"id": IDS, "A": TRUTH, "B": 1 - TRUTH, "C": 0})
    root = write_data(tmp_path / "data", comp, answers, None)
    path = tmp_path / "submission.csv"
    pd.DataFrame({"id": IDS, "A": 0.5, "B": 0.25, "C": 0.25}).to_csv(path, index=False)
    report = grade_submission(comp, path, root)
    expected = -np.mean(np.where(TRUTH == 1, np.log(0.5), np.log(0.25)))
    assert report.score == round(expected, 5)
    assert report.gold_threshold is None and not report.any_medal and report.is_lower_better
    assert "no leaderboard" in report.warnings[0]


def test_grade_jsonl_skips_comments_and_totals(auc_setup):
    comp, root, tmp = auc_setup
    gold = _sub(tmp, IDS, TRUTH * 1.0, name="gold.csv")
    const = _sub(tmp, IDS, 0.5, name="const.csv")
    run = tmp / "run.jsonl"
    run.write_text("\n".join([
        "# a comment", "// another",
        json.dumps({"competition_id": "toy", "submission_path": str(gold)}), "",
        json.dumps({"competition_id": "toy", "submission_path": str(const)}),
        json.dumps({"competition_id": "toy", "submission_path": str(tmp / "missing.csv")}),
    ]))
    report = grade_jsonl(run, root, get_competition=lambda cid: comp).to_dict()
    assert report["total_runs"] == 3 and report["total_runs_with_submissions"] == 2
    assert report["total_valid_submissions"] == 2 and report["total_medals"] == 1
    assert report["total_gold_medals"] == 1 and report["total_silver_medals"] == 0
    assert report["total_above_median"] == 1 and len(report["competition_reports"]) == 3
    run.write_text('{"competition_id": "toy"}\n')
    with pytest.raises(ValueError, match="run.jsonl:1"):
        read_run_jsonl(run)


def test_pass_at_k_matches_brute_force():
    for n in range(1, 7):
        for c in range(n + 1):
            outcomes = [True] * c + [False] * (n - c)
            for k in range(1, n + 1):
                draws = list(combinations(outcomes, k))
                assert pass_at_k(n, c, k) == pytest.approx(sum(any(d) for d in draws) / len(draws))
    with pytest.raises(ValueError):
        pass_at_k(2, 1, 3)


def _rep(cid: str, medal: bool, valid: bool = True) -> CompetitionReport:
    return CompetitionReport(cid, 1.0 if valid else None, 1, 1, 1, 0.5, medal, medal, False, False, medal,
                             True, valid, False, "t", "p")


def test_aggregate_mean_sem_and_pass_at_k():
    reports = [_rep("a", True), _rep("b", False), _rep("a", False), _rep("b", False), _rep("a", True),
               _rep("b", True), _rep("a", True)]  # 'a' has a 4th seed: dropped unless padded
    out = aggregate(reports, k_values=(1, 2))
    assert out["n_seeds"] == 3
    per_seed = [50.0, 0.0, 100.0]
    stat = out["rates"]["any_medal_percentage"]
    assert stat["mean"] == pytest.approx(50.0)
    assert stat["sem"] == pytest.approx(np.std(per_seed, ddof=1) / np.sqrt(3))
    assert stat["ci95"][0] < 50.0 < stat["ci95"][1]
    assert out["pass_at_k"]["pass@1"] == pytest.approx((3 / 4 + 1 / 3) / 2)
    assert out["pass_at_k"]["pass@2"] == pytest.approx((pass_at_k(4, 3, 2) + pass_at_k(3, 1, 2)) / 2)
    padded = aggregate(reports, pad_missing=True)
    assert padded["n_seeds"] == 4 and padded["rates"]["valid_submission_percentage"]["mean"] == pytest.approx(87.5)
    single = aggregate([_rep("a", True)])
    assert single["rates"]["any_medal_percentage"]["sem"] is None


def test_broken_leaderboard_is_a_warning_not_a_crash(auc_setup):
    comp, root, tmp = auc_setup
    (root / comp.id / "leaderboard.csv").write_text("teamName,score\na,not-a-number\n")
    report = grade_submission(comp, _sub(tmp, IDS, 0.5), root)
    assert report.score == 0.5 and report.gold_threshold is None and "unreadable leaderboard" in report.warnings[0]


def test_a_submission_linked_to_the_answers_is_never_graded(auc_setup):
    """Agent-written files are hostile: a link (at the file or at its directory) to the private answers
    is refused, so the answers can never score as a submission."""
    from bench.validate import answers_path

    comp, root, tmp = auc_setup
    answers = answers_path(comp, root)
    ws = tmp / "ws"
    (ws / "submission").mkdir(parents=True)
    (ws / "submission" / "submission.csv").symlink_to(answers)
    report = grade_submission(comp, ws / "submission" / "submission.csv", root, trusted_root=ws)
    assert report.score is None and not report.submission_exists and "symbolic link" in report.message
    (ws / "submission" / "submission.csv").unlink()
    (ws / "submission").rmdir()
    (ws / "submission").symlink_to(answers.parent)
    report = grade_submission(comp, ws / "submission" / answers.name, root)
    assert report.score is None and not report.submission_exists and "symbolic link" in report.message
