"""Fixtures for AIDE tests. The Titanic data and the sandbox fixture are shared (tests/conftest.py)."""

from __future__ import annotations

from dataclasses import replace

from bench.task import build_task
from scaffolds.core.task import Task, TaskLimits

from ..conftest import DEFAULT_BACKEND as BACKEND  # noqa: F401 - test_cli runs its CLI on this backend
from ..conftest import task_paths_for


def make_task(titanic, sandbox, *, steps: int, time_s: float = 600, lower_is_better=False) -> Task:
    """The task exactly as bench builds it for this sandbox; `lower_is_better` may be overridden."""
    limits = TaskLimits(wall_time_s=time_s, max_steps=steps, action_timeout_s=60)
    task = build_task(titanic.comp, titanic.data_dir, limits, paths=task_paths_for(sandbox))
    return replace(task, lower_is_better=lower_is_better)
