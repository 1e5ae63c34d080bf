"""The scaffold-independent core: agent registry and protocol, stop exceptions, run dir and atomic saves."""

from __future__ import annotations

import json
import os

import pytest

from scaffolds.aide.agent import AideAgent
from scaffolds.core.agent import (
    Agent,
    AgentStop,
    LimitsExceeded,
    Submitted,
    TimeExceeded,
    UnknownAgent,
    available_agents,
    create_agent,
    get_agent_class,
)
from scaffolds.core.rundir import RunDir, atomic_write_json, atomic_write_text


def test_registry_finds_aide_and_names_the_available_ones_on_a_typo():
    assert "aide" in available_agents()
    assert get_agent_class("aide") is AideAgent
    agent = create_agent("aide")
    assert isinstance(agent, Agent) and agent.name == "aide"
    with pytest.raises(UnknownAgent, match="available: .*aide"):
        get_agent_class("aidee")


def test_stop_exceptions_carry_their_reason():
    for cls, reason in ((Submitted, "submitted"), (LimitsExceeded, "limits_exceeded"), (TimeExceeded, "time_exceeded")):
        exc = cls("because")
        assert isinstance(exc, AgentStop) and exc.reason == reason and exc.message == "because"
    assert TimeExceeded().message == "time_exceeded"


def test_atomic_write_replaces_whole_file_and_leaves_no_temp_on_failure(tmp_path):
    target = tmp_path / "j.json"
    atomic_write_json(target, {"a": 1})
    assert json.loads(target.read_text()) == {"a": 1}

    with pytest.raises(UnicodeEncodeError):  # fails half-way through writing the temp file
        atomic_write_text(target, "ok" * 1000 + "\udcff")
    assert json.loads(target.read_text()) == {"a": 1}  # the old content is intact
    assert os.listdir(tmp_path) == ["j.json"]  # and the temp file is gone
    atomic_write_text(target, "x")
    assert os.listdir(tmp_path) == ["j.json"]


def test_run_dirs_are_unique_and_laid_out(tmp_path):
    a, b = RunDir.create(tmp_path, "aide", "titanic"), RunDir.create(tmp_path, "aide", "titanic")
    assert a.root != b.root and a.root.is_dir() and "aide_titanic" in a.root.name
    assert a.node_dir("abc") == a.root / "nodes" / "abc" and a.submission.name == "submission.csv"
    assert not a.exists()
