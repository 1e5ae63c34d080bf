"""Reports over hand-made groups: numbers checked against values computed by hand."""

from __future__ import annotations

import json
import math

import jsonschema
import pytest
from scipy import stats

from bench.cli import main as bench_main
from bench.reporting.build import build_report
from bench.reporting.load import load_group
from bench.reporting.summary import mean_sem, summaries

from .synthetic import grade, record, write_group
from .test_grid_state import SCHEMA

LADDER, KAGGLE = "reference-ladder", "kaggle"


def _run(comp: str, seed: int, medal: str, kind: str = LADDER, **kw) -> tuple[tuple, dict]:
    score = {"gold": 0.95, "silver": 0.85, "bronze": 0.75, "": 0.6}[medal]
    return ("a", "m", comp, seed), record("a", "m", comp, seed, grade(comp, score, medal, above_median=True), kind, **kw)


def test_sem_and_pass_at_k_match_hand_computed_values(tmp_path):
    # A: a medal in 1 of 3 seeds; B: in 3 of 3. Per-seed any-medal %: 100, 50, 50.
    medals = {("A", 0): "gold", ("A", 1): "", ("A", 2): "", ("B", 0): "bronze", ("B", 1): "silver", ("B", 2): "gold"}
    runs = dict(_run(c, s, m, cost=0.5, tokens=100) for (c, s), m in medals.items())
    root = write_group(tmp_path / "g", ["a"], ["m"], {"A": LADDER, "B": LADDER}, [0, 1, 2], runs)
    (s,) = summaries(load_group(root))
    assert s.rates["any_medal"].per_seed == (100.0, 50.0, 50.0)
    assert s.rates["any_medal"].mean == pytest.approx(200 / 3)
    assert s.rates["any_medal"].sem == pytest.approx(50 / 3)  # sd 28.8675 / sqrt(3)
    assert s.rates["any_medal"].sem == pytest.approx(stats.sem([100.0, 50.0, 50.0]))
    assert s.rates["gold"].mean == pytest.approx(100 / 3) and s.rates["gold"].sem == pytest.approx(50 / 3)
    assert s.rates["silver"].per_seed == (0.0, 50.0, 0.0) and s.rates["valid_submission"].mean == 100.0
    # pass@k: A (n=3, c=1): 1/3, 2/3, 1; B (c=3): 1, 1, 1.
    assert s.pass_at_k == pytest.approx({1: 2 / 3, 2: 5 / 6, 3: 1.0})
    assert s.cost_usd == pytest.approx(3.0) and s.tokens == 600 and s.finished == 6


def test_one_seed_has_no_sem():
    assert mean_sem([40.0]).sem is None and str(mean_sem([40.0])) == "40.00"
    assert math.isnan(mean_sem([]).mean)


def test_a_missing_competition_counts_as_a_failed_attempt(tmp_path):
    runs = dict([_run("A", 0, "gold"), _run("B", 0, "gold"), _run("A", 1, "silver")])
    crashed = record("a", "m", "B", 1, None, LADDER, status="error")
    root = write_group(tmp_path / "g", ["a"], ["m"], {"A": LADDER, "B": LADDER}, [0, 1], runs)
    (s,) = summaries(load_group(root))
    assert s.rates["any_medal"].per_seed == (100.0, 50.0)  # not 100: B of seed 1 is not dropped
    assert s.rates["valid_submission"].per_seed == (100.0, 50.0)
    assert s.finished == 3 and s.unfinished == 1
    # A crashed run (record with status error) counts the same way.
    (root / "a__m__B__seed1").mkdir()
    (root / "a__m__B__seed1" / "record.json").write_text(json.dumps(crashed))
    (s,) = summaries(load_group(root))
    assert s.rates["any_medal"].per_seed == (100.0, 50.0)
    report = build_report([root], tmp_path / "out")
    grading = json.loads((tmp_path / "out" / "grading_report_a__m.json").read_text())
    assert grading["total_runs"] == 4 and grading["total_medals"] == 3 and grading["total_valid_submissions"] == 3
    lines = (tmp_path / "out" / "submission_a__m.jsonl").read_text().splitlines()
    assert len(lines) == 3 and report.mlebench_files


def test_reference_ladder_medals_are_never_pooled_with_kaggle_medals(tmp_path):
    runs = dict([_run("K", 0, "gold", KAGGLE), _run("L", 0, "", LADDER)])
    root = write_group(tmp_path / "g", ["a"], ["m"], {"K": KAGGLE, "L": LADDER}, [0], runs)
    by_kind = {s.leaderboard_kind: s for s in summaries(load_group(root))}
    assert by_kind[KAGGLE].rates["any_medal"].mean == 100.0 and by_kind[KAGGLE].n_competitions == 1
    assert by_kind[LADDER].rates["any_medal"].mean == 0.0 and by_kind[LADDER].n_competitions == 1


def test_report_command_writes_every_format_figures_and_disclosure(tmp_path, capsys):
    runs = dict(_run(c, s, m) for (c, s), m in {("A", 0): "gold", ("A", 1): "", ("B", 0): "", ("B", 1): ""}.items())
    for rec in runs.values():
        jsonschema.validate(rec, SCHEMA)  # the hand-made records are real records
    root = write_group(tmp_path / "g", ["a"], ["m"], {"A": LADDER, "B": LADDER}, [0, 1], runs)
    assert bench_main(["report", str(root), "--format", "md,json,html"]) == 0
    out = root / "report"
    md = (out / "report.md").read_text()
    assert "Against reference ladders (offline split; not Kaggle medals)" in md and "| a | m | 25.00 ± 25.00 |" in md
    assert "internet for agent code: never" in md and "![any_medal](figures/any_medal.png)" in md
    data = json.loads((out / "report.json").read_text())
    assert data["groups"][0]["summaries"][0]["rates"]["any_medal"]["mean"] == 25.0
    assert "<table>" in (out / "report.html").read_text()
    for name in ("any_medal", "pass_at_k", "cost_vs_medals"):
        assert (out / "figures" / f"{name}.png").stat().st_size > 1000 and (out / "figures" / f"{name}.svg").is_file()
    assert "# mle-suite report: g" in capsys.readouterr().out


def test_two_groups_are_compared_side_by_side(tmp_path):
    plain = write_group(tmp_path / "plain", ["a"], ["m"], {"A": LADDER}, [0], dict([_run("A", 0, "gold")]))
    obf = write_group(tmp_path / "obf", ["a"], ["m"], {"A": LADDER}, [0], dict([_run("A", 0, "")]), obfuscated=True)
    assert bench_main(["report", str(plain), str(obf), "--format", "json,md"]) == 0
    out = tmp_path / "compare_plain_obf"
    md = (out / "report.md").read_text()
    assert "## Comparison across groups" in md
    assert "| plain | plain |" in md and "| obf | obfuscated |" in md
    assert (out / "grading_report_plain__a__m.json").is_file() and (out / "grading_report_obf__a__m.json").is_file()


def test_a_directory_that_is_not_a_group_is_a_clear_error(tmp_path, capsys):
    assert bench_main(["report", str(tmp_path)]) == 2
    assert "is not a run group (no group.json)" in capsys.readouterr().err
