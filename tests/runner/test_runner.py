"""`run_one`: the one path of every episode. Real sandbox (bwrap), real grading, real record.json."""

from __future__ import annotations

import json
import pickle
import threading
import time
from pathlib import Path

import jsonschema
import pytest

from bench.runner import RECORD_FILE, RunError, RunSpec, read_record, resume_spec, run_one
from scaffolds.core.task import TaskLimits

SCHEMA = json.loads((Path(__file__).parents[2] / "bench" / "record.schema.json").read_text())


def spec(tmp_path: Path, data_dir: Path, agent: str, **kw) -> RunSpec:
    # The test agents never call their LLM; a model behind a closed port needs no key and no weights.
    return RunSpec(agent=agent, competition="titanic-offline", sandbox="bwrap", data_dir=str(data_dir),
                   out_dir=str(tmp_path / "runs"), models=(("main", "openai/none"),),
                   api_base="http://127.0.0.1:9/v1", **kw)


def test_spec_is_picklable_and_round_trips():
    s = RunSpec(agent="aide", competition="titanic-offline", seed=3, models=(("feedback", "b"), ("main", "a")),
                overrides=("search.num_drafts=2",), limits=TaskLimits(wall_time_s=60, max_steps=4, gpus="0"))
    assert pickle.loads(pickle.dumps(s)) == s
    assert RunSpec.from_dict(json.loads(json.dumps(s.to_dict()))) == s
    with pytest.raises(RunError, match="unknown run spec field"):
        RunSpec.from_dict({**s.to_dict(), "agnet": "x"})


def test_graded_run_writes_a_record_that_matches_the_schema(tmp_path, data_dir, test_agents):
    record = run_one(spec(tmp_path, data_dir, "test-sample", seed=7))
    data = json.loads((Path(record.run_dir) / RECORD_FILE).read_text())
    jsonschema.validate(data, SCHEMA)
    assert data["status"] == "finished" and data["reason"] == "limits_exceeded"
    assert data["grade"]["valid_submission"] and data["grade"]["score"] is not None
    assert data["leaderboard_kind"] == "reference-ladder"
    assert data["spec"]["seed"] == 7 and data["sandbox_backend"] == "bwrap"
    assert read_record(Path(record.run_dir)).grade == data["grade"]
    assert (Path(record.run_dir) / "submission" / "submission.csv").is_file()


def test_the_wall_clock_reaches_the_sandbox(tmp_path, data_dir, test_agents):
    started = time.monotonic()
    record = run_one(spec(tmp_path, data_dir, "test-sleeper", limits=TaskLimits(wall_time_s=20)))
    elapsed = time.monotonic() - started
    assert record.reason == "time_exceeded", record.message
    assert 19 <= record.wall_time_s and elapsed < 40
    assert record.grade["submission_exists"] is False and record.grade["valid_submission"] is False


def test_an_agent_crash_is_recorded_with_its_traceback(tmp_path, data_dir, test_agents):
    record = run_one(spec(tmp_path, data_dir, "test-crasher"))
    assert record.status == "error" and "agent bug" in record.message
    assert "RuntimeError" in (Path(record.run_dir) / "error.txt").read_text()
    jsonschema.validate(record.to_dict(), SCHEMA)


def test_errors_before_the_start_are_one_clear_line(tmp_path, data_dir, test_agents):
    with pytest.raises(RunError, match="unknown agent 'nope'"):
        run_one(spec(tmp_path, data_dir, "nope"))
    with pytest.raises(RunError, match="python -m bench prepare -c spaceship-titanic"):
        run_one(RunSpec(agent="test-sample", competition="spaceship-titanic", data_dir=str(tmp_path / "empty")))
    with pytest.raises(RunError, match="not a run directory"):
        resume_spec(tmp_path)


def test_two_processes_never_share_a_run_dir(tmp_path, data_dir, test_agents):
    run_dir = tmp_path / "one"
    s = spec(tmp_path, data_dir, "test-sleeper", run_dir=str(run_dir), limits=TaskLimits(wall_time_s=8))
    first = threading.Thread(target=run_one, args=(s,))
    first.start()
    try:
        deadline = time.monotonic() + 20
        while not (run_dir / "spec.json").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        with pytest.raises(RunError, match="in use by another process"):
            run_one(s)
    finally:
        first.join()
