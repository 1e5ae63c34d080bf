"""The grid's bookkeeping without running anything: expansion, group.json, run states, sizing, flags."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bench import runner
from bench.cli import build_parser, main as bench_main
from bench.grid import Grid, Status, classify, set_aside_unfinished, settle, write_group
from bench.grid_cli import build_grid, is_grid, shared_server_models
from bench.group import RECORD_FILE, GroupError, read_attempts, run_name
from bench.executors import Ended
from bench.hardware import Gpu, Hardware, default_workers
from bench.runner import RunSpec
from bench.splits import SPLITS

from .synthetic import record

SCHEMA = json.loads((Path(__file__).parents[2] / "bench" / "record.schema.json").read_text())
HW = Hardware(cpus=8, memory_mb=16384, gpus=(Gpu("0"), Gpu("1")), hostname="h")


def grid(**kw) -> Grid:
    base = dict(agents=("a", "b"), models=("m1", "openai/m2"), competitions=("c1",), seeds=(0, 1),
                template=RunSpec(agent="", competition="", models=(("feedback", "f"),)))
    return Grid(**{**base, **kw})


def test_the_grid_expands_to_fixed_run_directories_seed_by_seed(tmp_path):
    specs = grid().specs(tmp_path)
    assert len(specs) == 8 and [s.seed for s in specs] == [0] * 4 + [1] * 4
    assert specs[1].run_dir == str(tmp_path / "a__openai-m2__c1__seed0")
    assert specs[1].model_map == {"main": "openai/m2", "feedback": "f"}
    assert [s.run_dir for s in grid().specs(tmp_path)] == [s.run_dir for s in specs]  # a rerun finds them
    assert run_name("a", "openai/gpt-4o", "x", 3) == "a__openai-gpt-4o__x__seed3"
    with pytest.raises(ValueError, match="seeds repeat"):
        grid(seeds=(1, 1))


def test_group_json_is_written_once_and_a_different_grid_is_refused(tmp_path):
    first = write_group(grid(), tmp_path, {"c1": {"leaderboard_kind": "kaggle"}}, HW, {"kind": "local"})
    assert len(first["runs"]) == 8 and first["grid"]["seeds"] == [0, 1]
    again = write_group(grid(api_bases=(("m1", "http://127.0.0.1:1/v1"),)), tmp_path, {}, HW, {"kind": "ray"})
    assert len(again["invocations"]) == 2  # the same grid (a server URL is no setting) continues the group
    with pytest.raises(GroupError, match=r"seeds: \[0, 1\] -> \[0, 1, 2\]"):
        write_group(grid(seeds=(0, 1, 2)), tmp_path, {}, HW, {"kind": "local"})
    assert runner.RECORD_FILE == RECORD_FILE and runner.SCHEMA_VERSION == 1


def _write_record(run_dir: Path, status: str, reason: str = "", started: str = "t1") -> None:
    rec = record("a", "m", "c", 0, None, "kaggle", status=status)
    rec["reason"], rec["started_at"] = reason or rec["reason"], started
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / RECORD_FILE).write_text(json.dumps(rec))


def test_run_states_come_from_the_run_directory_alone(tmp_path):
    run = tmp_path / "run"
    assert classify(run, 2) == Status.TODO
    run.mkdir()
    (run / "spec.json").write_text("{}")
    assert classify(run, 2) == Status.RESUME  # killed before it wrote a record
    _write_record(run, "error", "interrupted")
    assert classify(run, 2) == Status.RESUME and read_attempts(run) == []
    _write_record(run, "error", "harness_error", started="t1")
    assert classify(run, 2) == Status.RETRY
    assert classify(run, 2) == Status.RETRY and len(read_attempts(run)) == 1  # logged once, not per look
    set_aside_unfinished(run)
    assert (run / "previous" / "record.1.json").is_file() and not (run / RECORD_FILE).exists()
    _write_record(run, "error", "harness_error", started="t2")
    assert classify(run, 2) == Status.FAILED and len(read_attempts(run)) == 2
    _write_record(run, "finished")
    assert classify(run, 2) == Status.DONE


def test_an_attempt_that_ends_without_a_record_is_a_crash(tmp_path):
    spec = RunSpec(agent="a", competition="c", run_dir=str(tmp_path / "run"))
    assert settle(Ended(spec, -9, "line 1\nKilled\n"), max_attempts=2) == Status.RETRY
    assert settle(Ended(spec, None, error="NodeDiedError: node lost"), max_attempts=2) == Status.FAILED
    first, second = read_attempts(tmp_path / "run")
    assert first["reason"] == "exit code -9" and first["message"] == "Killed"
    assert second["message"] == "NodeDiedError: node lost"


def test_workers_fit_cpus_memory_and_gpus():
    assert default_workers(HW, cpus_per_run=2, memory_mb_per_run=None, gpus_per_run=0) == 4
    assert default_workers(HW, cpus_per_run=1, memory_mb_per_run=8192, gpus_per_run=0) == 2
    assert default_workers(HW, cpus_per_run=1, memory_mb_per_run=None, gpus_per_run=1) == 2
    assert default_workers(HW, cpus_per_run=None, memory_mb_per_run=None, gpus_per_run=2) == 1
    with pytest.raises(ValueError, match="asks for 3 GPU"):
        default_workers(HW, cpus_per_run=1, memory_mb_per_run=None, gpus_per_run=3)


def _args(*argv: str):
    return build_parser().parse_args(["run", *argv])


def test_grid_flags_build_the_grid_and_plain_flags_stay_a_single_run(monkeypatch):
    assert not is_grid(_args("--agent", "aide", "--comp", "titanic-offline", "--seed", "3"))
    g = build_grid(_args("--agents", "a,b", "--comps", "x,y", "--seeds", "3", "--seed", "5", "--model", "m",
                         "--cpus-per-run", "2", "--gpus-per-run", "1", "--snapshot-every", "1h", "--time-limit", "2h"))
    assert g.agents == ("a", "b") and g.seeds == (5, 6, 7) and g.models == ("m",) and g.gpus_per_run == 1
    assert g.template.limits.cpus == 2 and g.template.limits.wall_time_s == 7200
    assert g.template.snapshot_every_s == 3600
    one = build_grid(_args("--agent", "aide", "--comp", "titanic-offline", "--workers", "1", "--model", "m"))
    assert one.agents == ("aide",) and one.competitions == ("titanic-offline",) and one.seeds == (0,)
    with pytest.raises(ValueError, match="--gpus-per-run"):
        build_grid(_args("--seeds", "2", "--gpus", "0"))
    assert len(build_grid(_args("--split", "medium", "--model", "m")).competitions) == 38  # all have entries
    # a split naming a competition mle-suite has no folder for yet (as when MLE-bench adds one)
    monkeypatch.setitem(SPLITS, "medium", (*SPLITS["medium"], "a-competition-added-later"))
    with pytest.raises(ValueError, match="without an entry in mle-suite"):
        build_grid(_args("--split", "medium", "--model", "m"))
    assert build_grid(_args("--split", "offline", "--model", "m")).competitions[0].endswith("-offline")


def test_one_embedded_model_server_serves_every_run_that_names_only_that_model(tmp_path):
    local = grid(models=("local-0.5b", "openai/m2"), template=RunSpec(agent="", competition=""))
    assert shared_server_models(local) == ["local-0.5b"]
    served = replace(local, api_bases=(("local-0.5b", "http://127.0.0.1:5/v1"),))
    by_model = {s.model_map["main"]: s.api_base for s in served.specs(tmp_path)}
    assert by_model == {"local-0.5b": "http://127.0.0.1:5/v1", "openai/m2": None}
    # A run that also names another model (or an API base of its own) cannot share it.
    assert shared_server_models(grid(models=("local-0.5b",))) == []  # feedback=f
    given = RunSpec(agent="", competition="", api_base="http://127.0.0.1:7/v1")
    assert shared_server_models(grid(models=("local",), template=given)) == []


def test_a_bad_grid_stops_before_anything_runs_with_one_clear_message(tmp_path, capsys):
    out = tmp_path / "g"
    assert bench_main(["run", "--agents", "nope", "--comps", "titanic-offline", "--model", "m", "--out", str(out)]) == 2
    assert "unknown agent 'nope'" in capsys.readouterr().out and not out.exists()
