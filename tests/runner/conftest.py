"""Fixtures for runner tests: the offline Titanic data prepared once, test agents in the registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import data as bench_data
from bench.registry import get_competition
from scaffolds.core import agent as agent_registry

from .agents import AGENTS


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("data")
    bench_data.prepare(get_competition("titanic-offline"), root)
    return root


@pytest.fixture
def test_agents(monkeypatch) -> None:
    monkeypatch.setattr(agent_registry, "BUILTIN_AGENTS", {**agent_registry.BUILTIN_AGENTS, **AGENTS})
