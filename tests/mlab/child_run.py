"""MLAB in a child process, for the kill -9 test: `python -m tests.mlab.child_run SPEC_JSON`.

SPEC: {"data_dir": ..., "run_dir": ..., "steps": N, "resume": bool}. Opens a bubblewrap sandbox on
the prepared Titanic data and runs the scripted plan of tests/mlab/test_resume.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.registry import get_competition
from bench.validate import make_validator
from sandbox import SandboxConfig, open_sandbox
from scaffolds.core.llm.testing import ScriptedServer
from scaffolds.mlab.agent import MlabAgent
from scaffolds.mlab.config import load_config

from ..conftest import Titanic
from .conftest import BACKEND, make_task, scripted_llm
from .scripted import SEX_RULE, Model, fenced, say

FLAG = "working/slow_once"  # while it exists, train.py removes it and sleeps: the kill comes then
SLOW_START = f'''\
import os, time
if os.path.exists("{FLAG}"):
    os.remove("{FLAG}")
    print("sleeping so that the harness can be killed", flush=True)
    time.sleep(120)
'''
CODE = SLOW_START + SEX_RULE.format(data="data", submission="submission/submission.csv")


def plan(steps: int) -> Model:
    return Model(main=[say("Edit Script (AI)", {"script_name": "train.py", "edit_instruction": "baseline",
                                                "save_name": "train.py"}),
                       say("Execute Script", {"script_name": "train.py"}),
                       say("Validate Submission", {"submission_path": "submission/submission.csv"}),
                       say("Final Answer", {"final_answer": "baseline"})],
                 max_steps=steps, edits=[fenced(CODE)])


def run(spec: dict) -> str:
    comp = get_competition("titanic-offline")
    data_dir, rd = Path(spec["data_dir"]), Path(spec["run_dir"])
    public = data_dir / comp.id / "prepared" / "public"
    titanic = Titanic(comp, data_dir, public)
    with ScriptedServer(rule=plan(spec["steps"])) as server:
        config = SandboxConfig(data_dir=public, workspace=rd / "workspace", backend=BACKEND,
                               validator=make_validator(comp, data_dir))
        with open_sandbox(config) as sandbox:
            task = make_task(titanic, sandbox, steps=spec["steps"])
            agent = MlabAgent(load_config("default"), resume=spec["resume"])
            return agent.run(task, sandbox, scripted_llm(server), rd).reason


if __name__ == "__main__":
    print(json.dumps({"reason": run(json.loads(sys.argv[1]))}))
