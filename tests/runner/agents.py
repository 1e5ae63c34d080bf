"""Tiny agents for runner tests, registered by monkeypatching the built-in registry."""

from __future__ import annotations

from pathlib import Path

from scaffolds.core.agent import AgentResult, LimitsExceeded

SAMPLE_COPY = "import shutil; shutil.copy('/home/data/sample_submission.csv', '/home/submission/submission.csv')\n"


class Sleeper:
    """Never finishes on its own: only the run's wall clock can stop it."""

    name = "sleeper"

    def run(self, task, sandbox, llm, run_dir: Path) -> AgentResult:
        while True:
            sandbox.shell.run("sleep 2", timeout=30)


class SampleSubmitter:
    """Submits the sample submission through a script, then stops with a limit (as an agent may)."""

    name = "sample"

    def run(self, task, sandbox, llm, run_dir: Path) -> AgentResult:
        code = SAMPLE_COPY.replace("/home/data", sandbox.paths.data).replace("/home/submission",
                                                                           sandbox.paths.submission)
        sandbox.write_file("code/copy.py", code)
        sandbox.run_script("code/copy.py")
        raise LimitsExceeded("one step is all it takes")


class Crasher:
    name = "crasher"

    def run(self, task, sandbox, llm, run_dir: Path) -> AgentResult:
        raise RuntimeError("agent bug")


AGENTS = {"test-sleeper": f"{__name__}:Sleeper", "test-sample": f"{__name__}:SampleSubmitter",
          "test-crasher": f"{__name__}:Crasher"}
