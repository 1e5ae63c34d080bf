"""Fixtures for MLAB tests: a real sandbox on the offline Titanic competition (bubblewrap unless
MLAB_TEST_SANDBOX names another backend) and a scripted LLM server on 127.0.0.1."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from scaffolds.core.llm import LLM
from scaffolds.core.llm.testing import ScriptedServer
from scaffolds.core.task import Task, TaskLimits
from scaffolds.mlab import trajectory
from scaffolds.mlab.agent import MlabAgent
from scaffolds.mlab.config import load_config, parse_override

from ..conftest import task_paths_for

BACKEND = os.environ.get("MLAB_TEST_SANDBOX", "bwrap")
FAITHFUL = tuple(f"fixes.{name}=false" for name in (
    "bounded_execute", "full_script_output", "gate_final_answer", "auto_validate", "outage_not_format_error",
    "detect_truncated_edit", "cap_outputs", "lenient_format", "fit_context", "repeat_notice"))


def make_task(titanic, sandbox, *, steps: int, time_s: float = 600) -> Task:
    from bench.task import build_task

    limits = TaskLimits(wall_time_s=time_s, max_steps=steps, action_timeout_s=60)
    return build_task(titanic.comp, titanic.data_dir, limits, paths=task_paths_for(sandbox))


def scripted_llm(server: ScriptedServer, log_path: Path | None = None) -> LLM:
    return LLM("openai/scripted", api_base=server.url, max_retries=1, retry_initial_s=0.01, retry_max_s=0.02,
               price=(1.0, 2.0), log_path=log_path)


@dataclass
class Run:
    result: object
    loaded: trajectory.Loaded
    rd: Path
    requests: list
    sandbox: object

    @property
    def steps(self) -> list[dict]:
        return self.loaded.steps

    def main_prompts(self) -> list[str]:
        from .scripted import is_main, prompt_of

        return [prompt_of(body) for body in self.requests if is_main(body)]


@pytest.fixture
def mlab_backend() -> str:
    """The backend of MLAB's tests. Skipped where it cannot run, failed where CI requires it. (The
    scripted scripts use MLE-bench's layout, data/ under the workspace root, which the local backend
    does not have.)"""
    from sandbox.backends import probe

    ok, why = probe(BACKEND)
    if not ok:
        if os.environ.get(f"MLE_SUITE_REQUIRE_{BACKEND.upper()}") == "1":
            pytest.fail(f"backend {BACKEND} is required here but unavailable: {why}")
        pytest.skip(f"backend {BACKEND} unavailable here: {why}")
    return BACKEND


@pytest.fixture
def run_mlab(titanic, open_titanic_sandbox, tmp_path, mlab_backend):
    """`run_mlab(model, steps=..., overrides=(...), resume=False)` runs MLAB to its end."""

    def run(model, *, steps: int, overrides=(), time_s: float = 600, resume: bool = False,
            rd: Path | None = None) -> Run:
        rd = rd or tmp_path / "run"
        texts = ("outage.retry_every_s=0.05", *overrides)
        cfg = load_config("default", overrides=[parse_override(o) for o in texts])
        with ScriptedServer(rule=model) as server:
            sandbox = open_titanic_sandbox(rd / "workspace", backend=BACKEND)
            task = make_task(titanic, sandbox, steps=steps, time_s=time_s)
            llm = scripted_llm(server, rd / "llm_calls.jsonl")
            result = MlabAgent(cfg, resume=resume).run(task, sandbox, llm, rd)
            requests = server.chat_requests
        return Run(result, trajectory.load(rd / trajectory.FILE_NAME), rd, requests, sandbox)

    return run
