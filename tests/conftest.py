"""Fixtures shared by the scaffold tests: the real offline Titanic competition prepared once in a temp
data dir, and real sandboxes on it (the local backend unless a test or MLE_SUITE_TEST_SANDBOX names
another; AIDE_TEST_SANDBOX is still read for AIDE's tests)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DEFAULT_BACKEND = os.environ.get("MLE_SUITE_TEST_SANDBOX") or os.environ.get("AIDE_TEST_SANDBOX", "local")


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


@pytest.fixture
def open_titanic_sandbox(titanic, tmp_path) -> Iterator:
    """`make(workspace=None, backend=None, **limits)` opens a sandbox on Titanic; all are closed after the test."""
    from bench.validate import make_validator
    from sandbox import Limits, SandboxConfig, open_sandbox

    opened = []

    def make(workspace: Path | None = None, backend: str | None = None, **limits):
        config = SandboxConfig(data_dir=titanic.public, workspace=workspace or tmp_path / "run" / "workspace",
                               backend=backend or DEFAULT_BACKEND, limits=Limits(**limits),
                               validator=make_validator(titanic.comp, titanic.data_dir))
        sandbox = open_sandbox(config)
        opened.append(sandbox)
        return sandbox

    yield make
    for sandbox in opened:
        sandbox.close()


def task_paths_for(sandbox):
    """The sandbox's inside paths in the shape bench.task wants."""
    from bench.task import TaskPaths

    p = sandbox.paths
    return TaskPaths(data=str(p.data), submission=f"{p.submission}/submission.csv", code=str(p.code),
                     logs=str(p.logs), validate_url=sandbox.validation_url,
                     validate_script=f"{p.home}/validate_submission.sh")
