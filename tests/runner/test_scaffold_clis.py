"""Each scaffold's own command and `python -m bench run --agent NAME` are the same run: `run_one`, a real
bubblewrap sandbox, a scripted model on 127.0.0.1, a graded `record.json` that matches the schema."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from scaffolds.core.llm.testing import Reply, ScriptedServer

from ..mlab.scripted import SEX_RULE, fenced, say

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "bench" / "record.schema.json").read_text())
SUB = "/home/submission/submission.csv"


def mlab_replies() -> list[Reply]:
    code = SEX_RULE.format(data="data", submission="submission/submission.csv")
    return [Reply.text(say("Edit Script (AI)", {"script_name": "train.py", "edit_instruction": "a baseline",
                                                "save_name": "train.py"})),
            Reply.text(fenced(code)),  # the edit model
            Reply.text(say("Execute Script", {"script_name": "train.py"})),
            Reply.text(say("Final Answer", {"final_answer": "a sex-rule baseline"}))]


def openhands_replies() -> list[Reply]:
    code = SEX_RULE.format(data="/home/data", submission=SUB)
    return [Reply.tool("str_replace_editor", {"command": "create", "path": "/home/code/train.py", "file_text": code}),
            Reply.tool("execute_bash", {"command": "cd /home/code && python train.py"}),
            Reply.tool("finish", {"message": "baseline written"})]


def run_cli(args: list[str], replies: list[Reply], tmp_path: Path, data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    with ScriptedServer(replies) as server:
        done = subprocess.run([sys.executable, "-m", *args, "--model", "openai/scripted", "--api-base", server.url,
                               "--sandbox", "bwrap", "--comp", "titanic-offline", "--data-dir", str(data_dir),
                               "--out", str(tmp_path / "runs"), "--steps", "6"],
                              cwd=REPO, env=env, text=True, capture_output=True, timeout=400)
    assert done.returncode == 0, done.stdout + done.stderr
    (path,) = (tmp_path / "runs").glob("*/record.json")
    record = json.loads(path.read_text())
    jsonschema.validate(record, SCHEMA)
    return record


@pytest.mark.parametrize("front", ["scaffold", "bench"])
@pytest.mark.parametrize("agent, replies", [("mlab", mlab_replies), ("openhands", openhands_replies)])
def test_scaffold_runs_through_run_one(agent, replies, front, tmp_path, data_dir):
    args = [f"scaffolds.{agent}"] if front == "scaffold" else ["bench", "run", "--agent", agent]
    record = run_cli(args, replies(), tmp_path, data_dir)
    assert record["spec"]["agent"] == agent and record["status"] == "finished"
    assert record["reason"] == "submitted", record["message"]
    assert record["grade"]["valid_submission"] and 0.7 < record["grade"]["score"] < 0.85
    assert record["limits"]["max_steps"] == 6 and record["agent_config"]
    assert record["llm_calls"] == len(replies())


@pytest.mark.parametrize("front", ["scaffold", "bench"])
def test_kill_pid_ends_a_run_with_its_record_and_no_mount_left(front, tmp_path, data_dir):
    """SIGTERM mid-run (the agent waits on its model) is an interruption: the record is written, the
    sandbox closed, and the run can be resumed."""
    args = ["scaffolds.openhands"] if front == "scaffold" else ["bench", "run", "--agent", "openhands"]
    out = tmp_path / "runs"
    with ScriptedServer([Reply.text("thinking", delay_s=120)]) as server:
        proc = subprocess.Popen([sys.executable, "-m", *args, "--model", "openai/scripted", "--api-base", server.url,
                                 "--sandbox", "bwrap", "--comp", "titanic-offline", "--data-dir", str(data_dir),
                                 "--out", str(out)], cwd=REPO, text=True, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while not server.chat_requests and time.monotonic() < deadline:  # the sandbox is open by now
            time.sleep(0.2)
        assert server.chat_requests, "the run never asked its model"
        (run_dir,) = out.glob("*")
        assert os.path.ismount(run_dir / "workspace") or (run_dir / "workspace").is_dir()
        proc.send_signal(signal.SIGTERM)
        text, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, text
    assert "interrupted; continue with --resume" in text
    record = json.loads((run_dir / "record.json").read_text())
    assert record["reason"] == "interrupted" and str(run_dir) in record["message"]
    assert not os.path.ismount(run_dir / "workspace")
    assert str(run_dir) not in Path("/proc/self/mounts").read_text()
