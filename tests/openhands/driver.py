"""A CodeAct run in a child process, for the kill -9 and resume test.

    python -m tests.openhands.driver RUN_DIR DATA_DIR first|resume

`first` works for two steps, then starts a long command (the test kills the process during it);
`resume` continues the run from its trajectory and finishes it with a valid submission."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scaffolds.core.llm.testing import Reply

from .conftest import Titanic, open_titanic, task_for
from .scripted import bash, finish, ipython, run_agent, solution


def replies(phase: str, sandbox) -> list[Reply]:
    code = sandbox.paths.code
    if phase == "first":
        return [bash(f"echo started > {code}/progress.txt"), ipython("x = 41"), bash("sleep 120", timeout=300)]
    return [ipython("print(x + 1)"), bash(f"cat > {code}/s.py <<'EOF'\n{solution(sandbox)}EOF\npython {code}/s.py"),
            finish("resumed and finished")]


def main(run_dir: Path, data_dir: Path, phase: str) -> None:
    from bench.registry import get_competition

    comp = get_competition("titanic-offline")
    titanic = Titanic(comp, data_dir, data_dir / comp.id / "prepared" / "public")
    sandbox = open_titanic(titanic, run_dir / "workspace")
    try:
        task = task_for(titanic, sandbox, steps=10)
        result, requests = run_agent(sandbox, task, run_dir, replies(phase, sandbox), resume=phase == "resume")
    finally:
        sandbox.close()
    (run_dir / f"{phase}-requests.json").write_text(json.dumps(requests))
    print(json.dumps({"reason": result.reason, "steps": result.steps, "valid": result.extra["submission_valid"]}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
