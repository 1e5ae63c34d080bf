"""Fixtures for sandbox tests: every test that takes `backend` runs once per backend that works here.

Other helpers add backends through sandbox.backends.REGISTRY; they are picked up here automatically
(docker runs when a daemon answers, marked `docker`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sandbox import Limits, Sandbox, SandboxConfig, open_sandbox
from sandbox.backends import REGISTRY, probe

MARKS = {"docker": [pytest.mark.docker], "bwrap": [pytest.mark.bwrap]}


def backend_params() -> list:
    return [pytest.param(name, marks=MARKS.get(name, []), id=name) for name in REGISTRY]


def require_backend(name: str) -> None:
    """Skip where a backend cannot work on this machine, but fail where CI says it must
    (MLE_SUITE_REQUIRE_DOCKER=1 / MLE_SUITE_REQUIRE_BWRAP=1), so a broken set-up never passes quietly."""
    ok, why = probe(name)
    if not ok:
        if os.environ.get(f"MLE_SUITE_REQUIRE_{name.upper()}") == "1":
            pytest.fail(f"backend {name} is required here but unavailable: {why}")
        pytest.skip(f"backend {name} unavailable here: {why}")


@pytest.fixture(params=backend_params())
def backend(request) -> str:
    require_backend(request.param)
    return request.param


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "comp" / "public"
    d.mkdir(parents=True)
    (d / "train.csv").write_text("id,target\n1,0\n2,1\n")
    (d / "sample_submission.csv").write_text("id,target\n3,0\n")
    return d


SMALL_LIMITS = Limits(action_timeout_s=60, memory_mb=512, max_pids=128, file_size_mb=64)


@pytest.fixture
def open_sb(backend: str, data_dir: Path, tmp_path: Path) -> Iterator[Callable[..., Sandbox]]:
    """Factory: open_sb(**config overrides) -> an open sandbox on `backend`, closed after the test."""
    opened: list[Sandbox] = []

    def make(**overrides) -> Sandbox:
        cfg = dict(data_dir=data_dir, workspace=tmp_path / f"ws{len(opened)}", backend=backend, limits=SMALL_LIMITS)
        cfg.update(overrides)
        sb = open_sandbox(SandboxConfig(**cfg))
        opened.append(sb)
        return sb

    yield make
    for sb in opened:
        sb.close()


@pytest.fixture
def sb(open_sb) -> Sandbox:
    return open_sb()
