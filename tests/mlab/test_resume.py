"""kill -9 in the middle of a step, then resume: the run continues from its last complete step."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from scaffolds.mlab import trajectory

from .child_run import FLAG

ROOT = Path(__file__).resolve().parents[2]


def child(spec: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.mlab.child_run", json.dumps(spec)], cwd=ROOT,
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition, seconds: float, what: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"the child ended before {what}: {proc.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_kill_9_mid_step_then_resume_continues_from_the_last_complete_step(titanic, tmp_path, mlab_backend):
    rd = tmp_path / "killed"
    (rd / "workspace" / "working").mkdir(parents=True)
    flag = rd / "workspace" / FLAG
    flag.write_text("")
    spec = {"data_dir": str(titanic.data_dir), "run_dir": str(rd), "steps": 6, "resume": False}
    proc = child(spec)
    path = rd / trajectory.FILE_NAME
    wait_for(lambda: path.exists() and len(trajectory.load(path).steps) == 1 and not flag.exists(), 120,
             "step 1's script to start", proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)
    time.sleep(0.5)
    leftovers = [p for p in psutil.process_iter(["cmdline"]) if f"mls-{proc.pid}-" in " ".join(p.info["cmdline"] or [])]
    assert leftovers == []  # bubblewrap took the sleeping script down with the harness
    before = trajectory.load(path)
    assert len(before.steps) == 1 and before.end is None

    resumed = child({**spec, "resume": True})
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert json.loads(out.splitlines()[-1]) == {"reason": "submitted"}
    after = trajectory.load(path)
    assert [s["step"] for s in after.steps] == [0, 1, 2, 3]
    assert [s["session"] for s in after.steps] == [1, 2, 2, 2]
    assert [s["resumed_after_step"] for s in after.sessions] == [0, 1]
    assert after.steps[0] == before.steps[0]  # the complete step is kept as it was
    assert "Validation accuracy" in after.steps[1]["observation"]
    assert after.steps[1]["elapsed_s"] >= after.steps[0]["elapsed_s"]
    assert after.end["reason"] == "submitted" and after.end["validation"]["valid"]
    assert (rd / "submission" / "submission.csv").exists()
