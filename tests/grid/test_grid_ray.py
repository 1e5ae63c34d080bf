"""The test grid on a real Ray cluster, started inside a fresh network namespace that holds only loopback
(Ray binds every interface it sees; see reference/sandbox.md)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench.executors import WORKER_LOG
from bench.group import read_attempts, read_record

from .conftest import REPO
from .ray_main import AGENTS


@pytest.mark.slow
def test_the_grid_runs_on_a_real_ray_cluster_in_a_loopback_only_namespace(tmp_path, data_dir, grid_agents):
    ray_tmp = tempfile.mkdtemp(prefix="rt-", dir="/tmp")  # Ray's socket paths must stay short
    env = {**os.environ, "RAY_TMPDIR": ray_tmp, "RAY_AUTH_MODE": "disabled"}
    try:
        done = subprocess.run(["unshare", "--net", "--", sys.executable, "-m", "tests.grid.ray_main", str(tmp_path),
                               str(data_dir)], cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
        worker_errors = _worker_stderr(Path(ray_tmp))
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["links"] == ["lo"] and out["nodes"] == ["127.0.0.1"]
    assert len(out["statuses"]) == 12 and set(out["statuses"].values()) == {"done"}
    group = tmp_path / "group"
    for name in out["statuses"]:
        record = read_record(group / name)
        assert record["status"] == "finished" and record["grade"]["valid_submission"]
        if name.startswith("grid-dies-once"):
            # Its worker process died; Ray ran the task again, which resumed the run in place.
            assert record["spec"]["resume"] is True and read_attempts(group / name) == []
    assert out["llm_calls"] == 4  # one per one-shot run
    sleeper = read_record(tmp_path / "sleeper") or {}
    log = tmp_path / "sleeper" / WORKER_LOG
    assert sleeper.get("reason") == "interrupted" and out["cancel_s"] < 35, \
        (sleeper.get("reason"), out["cancel_s"], log.read_text()[-3000:] if log.is_file() else "no worker log",
         worker_errors)
    assert set(AGENTS) == {name.split("__")[0] for name in out["statuses"]}


def _worker_stderr(ray_tmp: Path) -> str:
    """The end of each Ray worker's stderr that holds anything: where a cancelled task says why it did not end
    (the sleeper has failed to write its record under heavy load, twice in many runs)."""
    tails = [f"{path.name}: {path.read_text(errors='replace')[-1500:]}"
             for path in sorted(ray_tmp.glob("**/logs/worker-*.err")) if path.stat().st_size]
    return "\n".join(tails)[-6000:]
