"""The offline Titanic competition, a sandbox and a task for the scaffold benchmarks (mlab, openhands).

benchmarks/aide.py keeps its own copies: its `--baseline-src` runs it against an older checkout that has
no `bench.runner`.
"""

from __future__ import annotations

from pathlib import Path

from bench import data as bench_data
from bench.registry import get_competition
from bench.runner import task_paths
from bench.task import build_task
from bench.validate import make_validator
from sandbox import Sandbox, SandboxConfig, open_sandbox
from scaffolds.core.task import Task, TaskLimits


def prepare(data_dir: Path):
    """(competition, public dir), preparing titanic-offline in `data_dir` when needed."""
    comp = get_competition("titanic-offline")
    if not bench_data.is_prepared(comp, data_dir):
        bench_data.prepare(comp, data_dir)
    return comp, bench_data.competition_paths(comp, data_dir).public


def open_box(comp, data_dir: Path, public: Path, workspace: Path, backend: str) -> Sandbox:
    return open_sandbox(SandboxConfig(data_dir=public, workspace=workspace, backend=backend,
                                      validator=make_validator(comp, data_dir)))


def task_for(comp, data_dir: Path, sandbox: Sandbox, steps: int) -> Task:
    """The task as the runner builds it for this sandbox (one hour, `steps` steps)."""
    return build_task(comp, data_dir, TaskLimits(wall_time_s=3600, max_steps=steps), paths=task_paths(sandbox))
