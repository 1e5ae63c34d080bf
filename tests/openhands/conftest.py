"""Fixtures for CodeAct tests: the real offline Titanic competition prepared once, a real sandbox
(bwrap where it works, else local; OPENHANDS_TEST_SANDBOX overrides) and helpers to run the agent
against a scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.backends import probe
from scaffolds.core.task import Task, TaskLimits

from ..conftest import Titanic, task_paths_for  # the session's prepared Titanic is the shared `titanic` fixture


def _backend() -> str:
    named = os.environ.get("OPENHANDS_TEST_SANDBOX")
    if named:
        return named
    return "bwrap" if probe("bwrap")[0] else "local"


BACKEND = _backend()


def task_for(titanic: Titanic, sandbox, *, steps: int = 20, time_s: float = 600,
             action_timeout_s: float = 60) -> Task:
    """The task as bench builds it for this sandbox's inside paths."""
    from bench.task import build_task

    limits = TaskLimits(wall_time_s=time_s, max_steps=steps, action_timeout_s=action_timeout_s)
    return build_task(titanic.comp, titanic.data_dir, limits, paths=task_paths_for(sandbox))


def open_titanic(titanic: Titanic, workspace: Path):
    from bench.validate import make_validator
    from sandbox import SandboxConfig, open_sandbox

    config = SandboxConfig(data_dir=titanic.public, workspace=workspace, backend=BACKEND,
                           validator=make_validator(titanic.comp, titanic.data_dir))
    return open_sandbox(config)


@pytest.fixture
def titanic_sandbox(titanic, tmp_path) -> Iterator:
    sandbox = open_titanic(titanic, tmp_path / "run" / "workspace")
    yield sandbox
    sandbox.close()


def grade(titanic: Titanic, path: Path):
    from bench.grade import grade_submission

    return grade_submission(titanic.comp, path, titanic.data_dir)
