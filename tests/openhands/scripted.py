"""Scripted replies for CodeAct tests: a small Titanic solution and reply builders for both formats."""

from __future__ import annotations

import json
from typing import Any

from scaffolds.core.llm import LLM
from scaffolds.core.llm.testing import Reply, ScriptedServer
from scaffolds.openhands.agent import CodeActAgent
from scaffolds.openhands.config import load_config

SOLUTION = '''\
import pandas as pd

train = pd.read_csv("{data}/train.csv")
test = pd.read_csv("{data}/test.csv")
accuracy = ((train["Sex"] == "female").astype(int) == train["Survived"]).mean()
print(f"Validation accuracy: {{accuracy:.4f}}")
prediction = (test["Sex"] == "female").astype(int)
pd.DataFrame({{"PassengerId": test["PassengerId"], "Survived": prediction}}).to_csv("{submission}", index=False)
'''


def solution(sandbox) -> str:
    return SOLUTION.format(data=sandbox.paths.data, submission=f"{sandbox.paths.submission}/submission.csv")


def bash(command: str, timeout: float | None = None, **kw: Any) -> Reply:
    args: dict[str, Any] = {"command": command}
    if timeout is not None:
        args["timeout"] = timeout
    return Reply.tool("execute_bash", args, **kw)


def ipython(code: str) -> Reply:
    return Reply.tool("execute_ipython_cell", {"code": code})


def editor(command: str, path: str, content: str = "", **args: Any) -> Reply:
    """A str_replace_editor call; `content` is the reply's text (the thought)."""
    return Reply.tool("str_replace_editor", {"command": command, "path": path, **args}, content=content)


def finish(message: str = "done") -> Reply:
    return Reply.tool("finish", {"message": message})


def tool_messages(body: dict[str, Any]) -> list[str]:
    """The contents of the tool results in a request, in order."""
    return [m["content"] for m in body["messages"] if m["role"] == "tool"]


def last_message(body: dict[str, Any]) -> str:
    return body["messages"][-1]["content"]


def trajectory(run_dir) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (run_dir / "trajectory.jsonl").read_text().splitlines() if line.strip()]


def turns(run_dir) -> list[dict[str, Any]]:
    return [r for r in trajectory(run_dir) if r["type"] == "turn"]


def run_agent(sandbox, task, run_dir, replies=(), *, rule=None, preset="default", overrides=(), resume=False):
    """Run CodeAct against a ScriptedServer; returns the result and the chat requests the server got."""
    config = load_config(preset, ["main.model=openai/scripted", *overrides])
    with ScriptedServer(replies, rule=rule) as server:
        llm = LLM("openai/scripted", api_base=server.url, max_retries=0, price=(1.0, 2.0),
                  log_path=run_dir / "llm_calls.jsonl")
        result = CodeActAgent(config, main_llm=llm, resume=resume).run(task, sandbox, llm, run_dir)
    return result, server.chat_requests
