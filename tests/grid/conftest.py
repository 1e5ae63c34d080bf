"""Fixtures for grid tests: two offline competitions prepared once, test agents as entry points
(grid runs are worker processes), a scripted LLM on loopback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench import data as bench_data
from bench.registry import get_competition
from scaffolds.core.llm.testing import Reply, ScriptedServer

from .agents import AGENTS

REPO = Path(__file__).resolve().parents[2]
COMPETITIONS = ("titanic-offline", "gunpoint-offline")  # the two quickest offline competitions to prepare

SOLUTIONS = {
    "PassengerId": """```python
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
train, test = pd.read_csv("/home/data/train.csv"), pd.read_csv("/home/data/test.csv")
def features(df, fill):
    out = pd.DataFrame({"pclass": df["Pclass"], "female": (df["Sex"] == "female").astype(int),
                        "age": df["Age"].fillna(fill["Age"]), "age_missing": df["Age"].isna().astype(int),
                        "sibsp": df["SibSp"], "parch": df["Parch"], "fare": df["Fare"].fillna(fill["Fare"])})
    for port in "CQS":
        out["port_" + port] = (df["Embarked"] == port).astype(int)
    title = df["Name"].str.extract(r",\\s*([^\\.]+)\\.")[0]
    for name in ("Mr", "Mrs", "Miss", "Master"):
        out["title_" + name] = (title == name).astype(int)
    return out
fill = train[["Age", "Fare"]].median()
model = RandomForestClassifier(n_estimators=300, max_depth=6, random_state=0, n_jobs=1)
model.fit(features(train, fill), train["Survived"])
pd.DataFrame({"PassengerId": test["PassengerId"], "Survived": model.predict(features(test, fill))}).to_csv(
    "/home/submission/submission.csv", index=False)
```""",
    "t000": """```python
import numpy as np, pandas as pd
train, test = pd.read_csv("/home/data/train.csv"), pd.read_csv("/home/data/test.csv")
cols = [c for c in test.columns if c.startswith("t")]
a, b = train[cols].to_numpy(), test[cols].to_numpy()
nearest = ((b[:, None, :] - a[None, :, :]) ** 2).sum(-1).argmin(1)
pd.DataFrame({"id": test["id"], "label": train["label"].to_numpy()[nearest]}).to_csv(
    "/home/submission/submission.csv", index=False)
```""",
}


def solution_for(body: dict) -> Reply:
    prompt = " ".join(str(m.get("content")) for m in body.get("messages", []))
    for marker, code in SOLUTIONS.items():
        if marker in prompt:
            return Reply(content=code, prompt_tokens=1000, completion_tokens=200)
    return Reply.fail(400, "no scripted solution for this prompt")


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("data")
    for cid in COMPETITIONS:
        bench_data.prepare(get_competition(cid), root)
    return root


@pytest.fixture(scope="session")
def agent_site(tmp_path_factory) -> Path:
    """A folder with an installed-distribution record that registers the test agents as entry points."""
    site = tmp_path_factory.mktemp("site")
    dist = site / "mle_suite_grid_test_agents-0.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mle-suite-grid-test-agents\nVersion: 0.0\n")
    (dist / "entry_points.txt").write_text("[mle_suite.agents]\n" + "".join(f"{k} = {v}\n" for k, v in AGENTS.items()))
    return site


@pytest.fixture
def grid_agents(monkeypatch, agent_site) -> None:
    """The test agents, visible to this process and to every worker process it starts."""
    monkeypatch.syspath_prepend(str(agent_site))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(agent_site), str(REPO)]))


@pytest.fixture
def llm_server():
    with ScriptedServer(rule=solution_for) as server:
        yield server
