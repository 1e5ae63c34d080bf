"""Tiny agents for grid tests. Grid runs are worker processes, so they are registered through an
entry-point file (see conftest.py), not by monkeypatching the registry."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

from scaffolds.core.agent import AgentResult, Submitted
from scaffolds.core.llm import Message

CODE_BLOCK = re.compile(r"```(?:python)?\n(.*?)```", re.DOTALL)


def _inside(sandbox, code: str) -> str:
    return code.replace("/home/data", sandbox.paths.data).replace("/home/submission", sandbox.paths.submission)


def _run(sandbox, code: str, name: str = "code/step.py") -> None:
    sandbox.write_file(name, _inside(sandbox, code))
    result = sandbox.run_script(name)
    if result.exit_code != 0:
        raise RuntimeError(f"script failed: {result.output[-500:]}")


SAMPLE = "import shutil; shutil.copy('/home/data/sample_submission.csv', '/home/submission/submission.csv')\n"


class OneShot:
    """Asks the model once for a script, runs it, submits."""

    name = "grid-oneshot"

    def run(self, task, sandbox, llm, run_dir: Path) -> AgentResult:
        reply = llm.chat([Message.user(task.prompt_text() + "\nReply with one ```python block.")])
        match = CODE_BLOCK.search(reply.text)
        if match is None:
            raise Submitted("no code in the reply")
        _run(sandbox, match.group(1))
        raise Submitted("one script, one submission")


class Sampler:
    """Submits the sample submission (valid, never a medal)."""

    name = "grid-sample"

    def run(self, task, sandbox, llm, run_dir: Path) -> AgentResult:
        _run(sandbox, SAMPLE)
        return AgentResult("submitted", "the sample submission", steps=1)


class Crasher:
    name = "grid-crasher"

    def run(self, task, sandbox, llm, run_dir: Path) -> AgentResult:
        raise RuntimeError("agent bug")


SLEEPING = "sleeping"  # the file the sleeper writes once its loop runs


class Sleeper:
    """Never finishes on its own: only a stop (or the wall clock) ends it."""

    name = "grid-sleeper"

    def run(self, task, sandbox, llm, run_dir: Path) -> AgentResult:
        sandbox.shell.run("true", timeout=60)
        (run_dir / SLEEPING).touch()  # its sandbox answers: a stop from now on interrupts a running agent
        while True:
            sandbox.shell.run("sleep 1", timeout=30)


class GpuProbe:
    """Notes the GPUs its sandbox sees and when, holds them a moment, submits the sample."""

    name = "grid-gpu"

    def run(self, task, sandbox, llm, run_dir: Path) -> AgentResult:
        start = time.time()
        seen = sandbox.shell.run("echo $CUDA_VISIBLE_DEVICES", timeout=30).output.strip()
        time.sleep(1.5)
        _run(sandbox, SAMPLE)
        (run_dir / "probe.json").write_text(json.dumps({"gpus": seen, "start": start, "end": time.time()}))
        return AgentResult("submitted", "probed", steps=1)


TITANIC_RULE = """import pandas as pd
test = pd.read_csv("/home/data/test.csv")
pd.DataFrame({"PassengerId": test["PassengerId"], "Survived": (test["Sex"] == "female").astype(int)}).to_csv(
    "/home/submission/submission.csv", index=False)
"""


class Improver:
    """Submits the sample (all died), then after a while the sex rule: a score that rises over time."""

    name = "grid-improver"

    def run(self, task, sandbox, llm, run_dir: Path) -> AgentResult:
        _run(sandbox, SAMPLE)
        time.sleep(2.5)
        _run(sandbox, TITANIC_RULE)
        time.sleep(2.5)
        return AgentResult("submitted", "improved once", steps=2)


class DiesOnce:
    """Its first attempt kills its own process (as a lost node or an OOM kill would); the next one submits."""

    name = "grid-dies-once"

    def run(self, task, sandbox, llm, run_dir: Path) -> AgentResult:
        marker = run_dir / "died-once"
        if not marker.exists():
            marker.write_text("x")
            os._exit(17)
        _run(sandbox, SAMPLE)
        return AgentResult("submitted", "second life", steps=1)


AGENTS = {cls.name: f"{__name__}:{cls.__name__}"
          for cls in (OneShot, Sampler, Crasher, Sleeper, GpuProbe, Improver, DiesOnce)}
