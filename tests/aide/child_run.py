"""AIDE in a child process, built the way the runner builds it (`AideAgent.from_options`), for tests that
kill a run mid-node: python -m tests.aide.child_run '<json settings>'."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scaffolds.aide import agent as aide_agent
from scaffolds.aide.agent import AideAgent
from scaffolds.core.agent import AgentOptions
from scaffolds.core.llm import LLM, Budget
from scaffolds.core.rundir import RunDir
from scaffolds.core.task import TaskLimits


def factory(url: str, budget: Budget, log_path: Path):
    """`make_llm` as the runner gives it: one budget, one call log, one API base."""
    made: dict = {}

    def make_llm(model: str, temperature: float | None = None, max_tokens: int | None = None) -> LLM:
        key = (model, temperature, max_tokens)
        if key not in made:
            made[key] = LLM(model, temperature=temperature, max_tokens=max_tokens, api_base=url, budget=budget,
                            log_path=log_path, price=(1.0, 2.0), max_retries=0)
        return made[key]

    return make_llm


def build_agent(url: str, rd: RunDir, *, steps: int, overrides: tuple[str, ...], resume: bool,
                budget: Budget | None = None, on_event=None) -> AideAgent:
    options = AgentOptions(models={"main": "openai/scripted"}, overrides=("seed=0", *overrides),
                           limits=TaskLimits(max_steps=steps), make_llm=factory(url, budget or Budget(), rd.llm_log),
                           resume=resume, on_event=on_event)
    return AideAgent.from_options(options)


def open_run(data_dir: Path, workspace: Path, backend: str):
    from bench import data as bench_data
    from bench.registry import get_competition
    from bench.validate import make_validator
    from sandbox import SandboxConfig, open_sandbox

    comp = get_competition("titanic-offline")
    public = bench_data.competition_paths(comp, data_dir).public
    return comp, open_sandbox(SandboxConfig(data_dir=public, workspace=workspace, backend=backend,
                                            validator=make_validator(comp, data_dir)))


def main(raw: str) -> int:
    from ..conftest import Titanic
    from .conftest import make_task

    settings = json.loads(raw)
    aide_agent.HEARTBEAT_S = settings["heartbeat_s"]
    rd = RunDir(Path(settings["run_dir"]))
    data_dir = Path(settings["data_dir"])
    comp, sandbox = open_run(data_dir, rd.workspace, settings["backend"])
    with sandbox:
        task = make_task(Titanic(comp, data_dir, Path()), sandbox, steps=settings["steps"])
        agent = build_agent(settings["url"], rd, steps=settings["steps"], overrides=tuple(settings["overrides"]),
                            resume=False)
        agent.run(task, sandbox, agent.main_llm, rd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
