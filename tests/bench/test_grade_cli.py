"""The grade commands, run as a user would, on a registered competition (spaceship-titanic)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bench.grade_cli import main
from bench.registry import get_competition

REPO = Path(__file__).resolve().parents[2]
IDS = [f"{i:04d}_01" for i in range(30)]
TRUTH = [i % 3 == 0 for i in range(30)]


@pytest.fixture
def data_dir(tmp_path):
    comp = get_competition("spaceship-titanic")
    private = tmp_path / "data" / comp.id / "prepared" / "private"
    private.mkdir(parents=True)
    pd.DataFrame({"PassengerId": IDS, "Transported": TRUTH}).to_csv(private / comp.schema.answers_file, index=False)
    public = private.parent / "public"
    public.mkdir()
    pd.DataFrame({"PassengerId": IDS, "Transported": False}).to_csv(public / comp.schema.sample_file, index=False)
    pd.DataFrame({"teamName": list("abcde"), "score": [0.9, 0.85, 0.8, 0.7, 0.6]}).to_csv(
        tmp_path / "data" / comp.id / "leaderboard.csv", index=False)
    return tmp_path / "data"


def _submission(tmp_path: Path, values: list, name: str = "submission.csv") -> Path:
    path = tmp_path / name
    pd.DataFrame({"PassengerId": IDS, "Transported": values}).to_csv(path, index=False)
    return path


def test_grade_prints_table_and_json(tmp_path, data_dir, capsys):
    path = _submission(tmp_path, TRUTH)
    assert main(["grade", "-c", "spaceship-titanic", "--submission", str(path), "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "medal" in out and "gold" in out and "higher is better" in out
    report = json.loads(out[out.index("{"):])
    assert report["score"] == 1.0 and report["gold_medal"] is True


def test_grade_json_only_and_invalid(tmp_path, data_dir, capsys):
    path = _submission(tmp_path, ["maybe"] * 30)
    assert main(["grade", "-c", "spaceship-titanic", "--submission", str(path), "--data-dir", str(data_dir),
                 "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid_submission"] is False and report["score"] is None


def test_grade_unknown_competition_and_unprepared(tmp_path, data_dir, capsys):
    assert main(["grade", "-c", "spaceship-titanik", "--submission", "x.csv", "--data-dir", str(data_dir)]) == 2
    assert "Did you mean: spaceship-titanic" in capsys.readouterr().err
    assert main(["grade", "-c", "spaceship-titanic", "--submission", "x.csv", "--data-dir", str(tmp_path)]) == 2
    assert "python -m bench prepare -c spaceship-titanic" in capsys.readouterr().err


def test_grade_run_writes_timestamped_report_in_a_subprocess(tmp_path, data_dir):
    run = tmp_path / "run.jsonl"
    lines = ["# seed 0",
             json.dumps({"competition_id": "spaceship-titanic", "submission_path": str(_submission(tmp_path, TRUTH))}),
             json.dumps({"competition_id": "spaceship-titanic",
                         "submission_path": str(_submission(tmp_path, [False] * 30, "b.csv"))})]
    run.write_text("\n".join(lines))
    out_dir = tmp_path / "reports"
    proc = subprocess.run([sys.executable, "-m", "bench.grade_cli", "grade-run", str(run), "--output-dir",
                           str(out_dir), "--data-dir", str(data_dir)], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    written = list(out_dir.glob("*_grading_report.json"))
    assert len(written) == 1
    report = json.loads(written[0].read_text())
    assert report["total_runs"] == 2 and report["total_gold_medals"] == 1 and report["total_valid_submissions"] == 2
    assert "total_medals: 1" in proc.stdout


def test_grade_run_bad_file_is_a_clear_error(tmp_path, capsys):
    assert main(["grade-run", str(tmp_path / "none.jsonl")]) == 2
    assert "no run file" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    assert main(["grade-run", str(bad), "--output-dir", str(tmp_path)]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err


def test_python_m_bench_grade_is_wired(tmp_path, data_dir):
    path = _submission(tmp_path, TRUTH)
    proc = subprocess.run([sys.executable, "-m", "bench", "grade", "-c", "spaceship-titanic", "--submission",
                           str(path), "--data-dir", str(data_dir), "--json"], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["gold_medal"] is True


def test_grade_run_on_an_unprepared_competition_stops_with_the_prepare_command(tmp_path, data_dir, capsys):
    run = tmp_path / "run.jsonl"
    run.write_text("\n".join(json.dumps({"competition_id": cid, "submission_path": str(_submission(tmp_path, TRUTH))})
                             for cid in ("spaceship-titanic", "spooky-author-identification")))
    out_dir = tmp_path / "reports"
    assert main(["grade-run", str(run), "--output-dir", str(out_dir), "--data-dir", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert f"python -m bench prepare -c spooky-author-identification --data-dir {data_dir}" in err
    assert "spaceship-titanic" not in err.split("Run:")[1] and not out_dir.exists()
