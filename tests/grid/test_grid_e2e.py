"""The whole path a user takes: `python -m bench run` for a 2 x 2 x 2 grid on the local pool with two
workers against a scripted LLM on loopback, kill -9 of the runner mid-grid, the same command again,
then `python -m bench report` (markdown, JSON, HTML, figures)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from .conftest import REPO

GRID = ["--agents", "grid-oneshot,grid-sample", "--comps", "titanic-offline,gunpoint-offline", "--seeds", "2",
        "--model", "openai/scripted", "--sandbox", "bwrap"]


def _records(group: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text()) for p in group.glob("*/record.json")}


def _wait_until_mid_grid(group: Path, runner: subprocess.Popen, timeout_s: float = 300) -> None:
    """Until at least one run finished and another is in flight."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and runner.poll() is None:
        done = [r for r in _records(group).values() if r["status"] == "finished"]
        in_flight = [p for p in group.glob("*/spec.json") if not (p.parent / "record.json").exists()]
        if done and in_flight:
            return
        time.sleep(0.1)
    raise AssertionError("the grid never reached a state with a finished run and one in flight")


@pytest.mark.slow
def test_a_grid_survives_kill_9_of_its_runner_and_reports(tmp_path, data_dir, grid_agents, llm_server):
    group = tmp_path / "group"
    cmd = [sys.executable, "-m", "bench", "run", *GRID, "--api-base", llm_server.url, "--data-dir", str(data_dir),
           "--workers", "2", "--out", str(group)]
    with open(tmp_path / "first.log", "w") as log:
        runner = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    try:
        _wait_until_mid_grid(group, runner)
        workers = psutil.Process(runner.pid).children(recursive=True)
        before = {k: r["grade"]["created_at"] for k, r in _records(group).items() if r["status"] == "finished"}
        in_flight = [p.parent.name for p in group.glob("*/spec.json") if not (p.parent / "record.json").exists()]
        runner.send_signal(signal.SIGKILL)
        runner.wait()
    finally:
        runner.kill()
    # The orphaned workers notice, close their sandboxes, write "interrupted" records and exit.
    gone, alive = psutil.wait_procs(workers, timeout=60)
    assert not alive, f"left running after the runner died: {alive}"
    records = _records(group)
    assert all(records[name]["reason"] == "interrupted" for name in in_flight if name in records)

    again = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    records = _records(group)
    assert len(records) == 8 and all(r["status"] == "finished" for r in records.values())
    assert {k: records[k]["grade"]["created_at"] for k in before} == before  # nothing graded twice
    assert all(records[name]["spec"]["resume"] for name in in_flight)  # resumed in place, not restarted
    assert not list(group.glob("*/attempts.jsonl"))  # an interrupted run is no crash

    report = subprocess.run([sys.executable, "-m", "bench", "report", str(group), "--format", "md,json,html"],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert report.returncode == 0, report.stderr
    data = json.loads((group / "report" / "report.json").read_text())
    rates = {s["agent"]: s["rates"] for s in data["groups"][0]["summaries"]}
    # One-shot: gold on titanic (0.83708 against gold 0.8315), bronze on gunpoint (1-NN: 0.91333 against
    # bronze 0.90667), in both seeds, against the committed reference ladders.
    assert rates["grid-oneshot"]["any_medal"] == {"mean": 100.0, "sem": 0.0, "per_seed": [100.0, 100.0]}
    assert rates["grid-oneshot"]["gold"] == {"mean": 50.0, "sem": 0.0, "per_seed": [50.0, 50.0]}
    assert rates["grid-sample"]["any_medal"]["mean"] == 0.0 and rates["grid-sample"]["valid_submission"]["mean"] == 100
    md = (group / "report" / "report.md").read_text()
    assert "| titanic-offline | against reference ladders | 0.83708 (gold) | 0.83708 (gold) |" in md
    assert "Against reference ladders (offline split; not Kaggle medals)" in md
    for name in ("any_medal", "pass_at_k", "cost_vs_medals"):
        assert (group / "report" / "figures" / f"{name}.png").is_file()
    grading = json.loads((group / "report" / "grading_report_grid-oneshot__openai-scripted.json").read_text())
    # offline runs are graded against reference ladders: their totals never join the Kaggle ones
    assert grading["total_runs"] == 0 and grading["reference_ladder"]["total_runs"] == 4
    assert grading["reference_ladder"]["total_gold_medals"] == 2 and grading["reference_ladder"]["total_medals"] == 4
