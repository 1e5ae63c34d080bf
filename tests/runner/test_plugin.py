"""The example plug-in agent, installed from its own package, runs through `python -m bench run`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from scaffolds.core.llm.testing import Reply, ScriptedServer

REPO = Path(__file__).resolve().parents[2]
SOLUTION = """```python
import pandas as pd
test = pd.read_csv("{data}/test.csv")
pd.DataFrame({{"PassengerId": test["PassengerId"], "Survived": (test["Sex"] == "female").astype(int)}}).to_csv(
    "{submission}", index=False)
```"""


def test_example_agent_runs_from_its_installed_package(tmp_path, data_dir):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(site), str(REPO / "examples" / "one_shot_agent")], check=True)
    reply = SOLUTION.format(data="/home/data", submission="/home/submission/submission.csv")
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{REPO}"}
    with ScriptedServer([Reply(content=reply)]) as server:
        done = subprocess.run(
            [sys.executable, "-m", "bench", "run", "--agent", "one-shot", "--comp", "titanic-offline",
             "--model", "openai/scripted", "--api-base", server.url, "--sandbox", "bwrap",
             "--data-dir", str(data_dir), "--out", str(tmp_path / "runs")],
            cwd=REPO, env=env, text=True, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (record_path,) = (tmp_path / "runs").glob("*/record.json")
    record = json.loads(record_path.read_text())
    assert record["spec"]["agent"] == "one-shot" and record["reason"] == "submitted"
    assert record["grade"]["valid_submission"] and record["llm_calls"] == 1
