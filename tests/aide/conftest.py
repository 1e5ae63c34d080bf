"""Fixtures for AIDE tests: the real offline Titanic competition prepared once in a temp data dir,
a real sandbox (local backend unless AIDE_TEST_SANDBOX names another) and a scripted LLM server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from scaffolds.core.task import Task, TaskLimits

BACKEND = os.environ.get("AIDE_TEST_SANDBOX", "local")


@dataclass
class Titanic:
    comp: object
    data_dir: Path
    public: Path


@pytest.fixture(scope="session")
def titanic(tmp_path_factory) -> Titanic:
    from bench import data as bench_data
    from bench.registry import get_competition

    comp = get_competition("titanic-offline")
    data_dir = tmp_path_factory.mktemp("data")
    paths = bench_data.prepare(comp, data_dir)
    return Titanic(comp, data_dir, paths.public)


def task_paths(sandbox):
    """The sandbox's inside paths in the shape bench.task wants."""
    from bench.task import TaskPaths

    p = sandbox.paths
    return TaskPaths(data=str(p.data), submission=f"{p.submission}/submission.csv", code=str(p.code),
                     logs=str(p.logs), validate_url=sandbox.validation_url,
                     validate_script=f"{p.home}/validate_submission.sh")


def make_task(titanic: Titanic, sandbox, *, steps: int, time_s: float = 600, lower_is_better=False) -> Task:
    """The task exactly as bench builds it for this sandbox; `lower_is_better` may be overridden."""
    from bench.task import build_task

    limits = TaskLimits(wall_time_s=time_s, max_steps=steps, action_timeout_s=60)
    task = build_task(titanic.comp, titanic.data_dir, limits, paths=task_paths(sandbox))
    return replace(task, lower_is_better=lower_is_better)


@pytest.fixture
def open_titanic_sandbox(titanic, tmp_path) -> Iterator:
    from bench.validate import make_validator
    from sandbox import SandboxConfig, open_sandbox

    opened = []

    def make(workspace: Path | None = None, limits=None):
        extra = {"limits": limits} if limits is not None else {}
        config = SandboxConfig(data_dir=titanic.public, workspace=workspace or tmp_path / "run" / "workspace",
                               backend=BACKEND, validator=make_validator(titanic.comp, titanic.data_dir), **extra)
        sandbox = open_sandbox(config)
        opened.append(sandbox)
        return sandbox

    yield make
    for sandbox in opened:
        sandbox.close()
