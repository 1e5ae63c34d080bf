"""Real runs on the local pool (bwrap sandbox, tiny agents): retries, GPU hand-out, snapshots."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bench.executors import LocalPool
from bench.grid import Status, classify, run_specs
from bench.group import read_attempts, read_record, run_name
from bench.reporting.build import build_report
from bench.reporting.load import load_group
from bench.runner import RunSpec
from bench.snapshots import Snapshotter, read_index
from scaffolds.core.task import TaskLimits

from .agents import SLEEPING
from .conftest import REPO
from .synthetic import write_group


def spec(tmp_path: Path, data_dir: Path, agent: str, seed: int = 0, **kw) -> RunSpec:
    name = f"{agent}__seed{seed}"
    return RunSpec(agent=agent, competition="titanic-offline", seed=seed, sandbox="bwrap", data_dir=str(data_dir),
                   out_dir=str(tmp_path), run_dir=str(tmp_path / name), models=(("main", "openai/none"),),
                   api_base="http://127.0.0.1:9/v1", **kw)


def test_a_crashing_run_is_retried_then_recorded_failed_and_a_dead_worker_is_retried(tmp_path, data_dir, grid_agents):
    specs = [spec(tmp_path, data_dir, "grid-crasher"), spec(tmp_path, data_dir, "grid-dies-once")]
    result = run_specs(specs, LocalPool(2), max_attempts=2, poll_s=0.2)
    crasher, dies = (Path(s.run_dir) for s in specs)
    assert result.statuses == {crasher.name: Status.FAILED, dies.name: Status.DONE}
    attempts = read_attempts(crasher)
    assert [a["outcome"] for a in attempts] == ["crashed", "crashed"]
    assert all("agent bug" in a["message"] for a in attempts), attempts
    assert (crasher / "previous" / "record.1.json").is_file() and read_record(crasher)["status"] == "error"
    # The worker that died left no record: its exit code is the reason; the retry resumed in place.
    (died,) = read_attempts(dies)
    assert died["reason"] == "exit code 17" and died["record_started_at"] is None
    assert read_record(dies)["status"] == "finished" and read_record(dies)["spec"]["resume"] is True
    # The same specs again: nothing left to do, nothing retried, nothing graded again.
    graded = read_record(dies)["grade"]["created_at"]
    again = run_specs(specs, LocalPool(2), max_attempts=2, poll_s=0.2)
    assert again.statuses == result.statuses and len(read_attempts(crasher)) == 2
    assert read_record(dies)["grade"]["created_at"] == graded


class StopAfterFirstStart:
    """A `Progress` that presses Ctrl-C once the first run's agent is running (the sleeper's mark)."""

    def initial(self, spec, status) -> None:
        pass

    def started(self, spec) -> None:
        deadline = time.monotonic() + 120
        while not (Path(spec.run_dir) / SLEEPING).is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        raise KeyboardInterrupt

    def ended(self, spec, status) -> None:
        pass

    def note(self, text: str) -> None:
        self.noted = text


def test_ctrl_c_stops_every_run_for_real_and_each_saves_its_state(tmp_path, data_dir, grid_agents):
    s = spec(tmp_path, data_dir, "grid-sleeper")
    pool = LocalPool(1, grace_s=60)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_specs([s], pool, progress=StopAfterFirstStart())
    assert pool.running() == [] and time.monotonic() - started < 100
    record = read_record(Path(s.run_dir))
    assert record["reason"] == "interrupted" and record["status"] == "error"
    assert classify(Path(s.run_dir), max_attempts=1) == Status.RESUME  # a stop is no crash


def test_gpus_are_handed_out_one_by_one_and_never_shared(tmp_path, data_dir, grid_agents):
    specs = [spec(tmp_path, data_dir, "grid-gpu", seed=s) for s in range(4)]
    pool = LocalPool(workers=3, gpu_ids=("7", "9"), gpus_per_run=1)
    assert pool.free_slots() == 2  # three workers, but only two GPUs
    result = run_specs(specs, pool, poll_s=0.1)
    assert result.count(Status.DONE) == 4
    probes = []
    for s in specs:
        probe = json.loads((Path(s.run_dir) / "probe.json").read_text())
        assert probe["gpus"] in ("7", "9") and read_record(Path(s.run_dir))["limits"]["gpus"] == probe["gpus"]
        probes.append(probe)
    for i, a in enumerate(probes):
        for b in probes[i + 1:]:
            if a["start"] < b["end"] and b["start"] < a["end"]:
                assert a["gpus"] != b["gpus"], "two runs held the same GPU at the same time"
    assert {p["gpus"] for p in probes} == {"7", "9"}
    with pytest.raises(ValueError, match="asks for 3 GPU"):
        LocalPool(workers=1, gpu_ids=("0",), gpus_per_run=3)


def test_snapshots_are_taken_during_the_run_and_graded_by_the_report(tmp_path, data_dir, grid_agents):
    group = write_group(tmp_path / "group", ["grid-improver"], ["openai/none"],
                        {"titanic-offline": "reference-ladder"}, [0], {})
    run_dir = group / run_name("grid-improver", "openai/none", "titanic-offline", 0)
    s = replace(spec(group, data_dir, "grid-improver", snapshot_every_s=1.0, limits=TaskLimits(wall_time_s=120)),
                run_dir=str(run_dir))
    assert run_specs([s], LocalPool(1), poll_s=0.1).count(Status.DONE) == 1
    index = read_index(run_dir)
    assert len(index) >= 3 and all(e["source"] in ("workspace", None) for e in index)
    report = build_report([group], tmp_path / "out")
    (points,) = report.timelines.values()
    scores = [p.score for p in points if p.score is not None]
    assert scores[0] == pytest.approx(0.62921) and scores[-1] == pytest.approx(0.79213)  # all died -> sex rule
    assert points[-1].elapsed_s >= points[-2].elapsed_s and len(points) == len(index) + 1
    assert {p.name for p in report.figures} >= {"score_over_time.png", "medals_over_time.png"}
    cache = run_dir / "snapshots" / "grades.json"
    stamp = cache.stat().st_mtime_ns
    build_report([group], tmp_path / "out2")  # every snapshot graded once: the second report reads the cache
    assert cache.stat().st_mtime_ns == stamp
    assert load_group(group).rows[0].finished


class FakeSandbox:
    """Just what the snapshotter uses: paths and copy_out."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self.paths = type("P", (), {"submission": "/home/submission"})()

    def copy_out(self, path: str, dest: Path, max_bytes: int) -> Path:
        src = self.workspace / "submission.csv"
        if not src.is_file():
            raise FileNotFoundError(path)
        dest.write_bytes(src.read_bytes())
        return dest


def test_the_snapshotter_prefers_a_fresh_best_file_and_never_follows_a_link(tmp_path):
    run_dir, ws = tmp_path / "run", tmp_path / "ws"
    (run_dir / "submission").mkdir(parents=True)
    ws.mkdir()
    stale = run_dir / "submission" / "submission.csv"
    stale.write_text("stale")
    os.utime(stale, (1, 1))  # left by an earlier session: not the agent's live choice
    snapper = Snapshotter(FakeSandbox(ws), run_dir, every_s=60)
    snapper.start()
    try:
        assert snapper.take()["file"] is None  # no submission anywhere yet
        (ws / "submission.csv").write_text("current")
        first = snapper.take()
        assert first["source"] == "workspace"
        stale.write_text("best")  # the agent keeps its best here (as AIDE does)
        second = snapper.take()
        assert second["source"] == "run_dir" and (run_dir / "snapshots" / second["file"]).read_text() == "best"
        stale.unlink()
        stale.symlink_to(tmp_path / "secret")
        (tmp_path / "secret").write_text("secret")
        third = snapper.take()
        assert third["source"] == "workspace"
        assert (run_dir / "snapshots" / third["file"]).read_text() == "current"
    finally:
        snapper.stop()
    assert [e["file"] is None for e in read_index(run_dir)] == [True, False, False, False]


DROPPED_STOP = """
import contextlib, os, signal, subprocess, sys, time
from bench.worker import _interrupt, dropped_interrupts_redelivered
signal.signal(signal.SIGINT, _interrupt)
landed = []
def after_fork_in_parent():  # the stop signal's handler, run here as it was inside logging's lock release
    if not landed:
        landed.append(True)
        _interrupt(signal.SIGTERM, None)
os.register_at_fork(after_in_parent=after_fork_in_parent)
try:
    with dropped_interrupts_redelivered() if sys.argv[1] == "on" else contextlib.nullcontext():
        subprocess.run(["true"], preexec_fn=lambda: None)  # a sandbox spawn: Python's fork callbacks run
        time.sleep(3)  # the rest of the run
    print("went on")
except KeyboardInterrupt as exc:
    print("stopped:", exc)
"""


@pytest.mark.parametrize("redeliver", [True, False])
def test_a_stop_that_python_dropped_in_a_fork_callback_still_stops_the_run(redeliver):
    """A worker's SIGTERM landed in an at-fork callback; Python printed "Exception ignored" and the run went
    on, finishing instead of writing "interrupted" (kill -9 grid test) or sleeping until killed (Ray)."""
    done = subprocess.run([sys.executable, "-c", DROPPED_STOP, "on" if redeliver else "off"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert "Exception ignored" in done.stderr and "KeyboardInterrupt: signal 15" in done.stderr
    assert done.stdout.strip() == ("stopped: signal 2" if redeliver else "went on"), done.stderr
