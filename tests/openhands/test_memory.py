"""Memory and crash safety: condensation before the context fills (recorded in the trajectory, and
replayed identically on resume), condensation after a context-window error, and kill -9 then resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from scaffolds.core.llm.testing import Reply
from scaffolds.openhands.agent import rebuild

from .conftest import task_for
from .scripted import bash, run_agent, trajectory, turns

CONTEXT_ERROR = ("This model's maximum context length is 5000 tokens. However, your messages resulted in "
                 "6000 tokens. Please reduce the length of the messages.")


def condensing_rule(actions: list[Reply], fail_at: int | None = None):
    """Agent requests (they carry tools) get the next action; summariser requests get a summary.
    The agent request number `fail_at` is answered with a context-window error."""
    state = {"agent": 0}

    def rule(body):
        if not body.get("tools"):
            return Reply.text("SUMMARY-TEXT: the earlier blocks printed numbers", prompt_tokens=50)
        index = state["agent"]
        state["agent"] += 1
        if index == fail_at:
            return Reply.fail(400, CONTEXT_ERROR)
        return actions[min(index, len(actions) - 1)]

    return rule


def blocks(n: int, lines: int = 400) -> list[Reply]:
    return [bash(f"echo BLOCK-{k}; seq 1 {lines}") for k in range(n)]


def test_older_turns_are_condensed_before_the_context_fills(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    run_dir = tmp_path / "run"
    overrides = ["condenser.max_input_tokens=5000", "condenser.keep_first=1", "condenser.keep_last=1"]
    result, requests = run_agent(sb, task_for(titanic, sb, steps=6), run_dir, rule=condensing_rule(blocks(6)),
                                 overrides=overrides)
    assert result.reason == "limits_exceeded" and result.steps == 6
    records = trajectory(run_dir)
    condensations = [r for r in records if r["type"] == "condensation"]
    assert condensations and condensations[0]["forgotten_steps"] == [1]
    assert all(c["tokens_after"] < c["tokens_before"] and c["trigger"] == "threshold" for c in condensations)
    assert all(c["summary"].startswith("SUMMARY-TEXT") and c["llm"]["prompt_tokens"] == 50 for c in condensations)
    agent_requests = [r for r in requests if r.get("tools")]
    last = "\n".join(str(m["content"]) for m in agent_requests[-1]["messages"])
    assert "BLOCK-0" in last and "BLOCK-4" in last and "SUMMARY-TEXT" in last
    assert "BLOCK-1" not in last and "BLOCK-3" not in last
    summariser = next(r for r in requests if not r.get("tools"))
    assert "BLOCK-1" in summariser["messages"][1]["content"]
    # a resume rebuilds exactly the conversation the agent sent last
    before_last = records[: [i for i, r in enumerate(records) if r["type"] == "turn"][-1]]
    rebuilt = rebuild(before_last).conv.messages()
    assert [(m.role, m.content) for m in rebuilt] == [(m["role"], m["content"] or "") for m in
                                                      agent_requests[-1]["messages"]]


def test_a_context_window_error_triggers_condensation(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    run_dir = tmp_path / "run"
    # without the aids' longer task message, the threshold does not fire first: only the error condenses
    result, _ = run_agent(sb, task_for(titanic, sb, steps=4), run_dir, rule=condensing_rule(blocks(4), fail_at=3),
                          overrides=["condenser.keep_last=1", "aids=false"])
    assert result.reason == "limits_exceeded" and result.steps == 4
    (condensation,) = [r for r in trajectory(run_dir) if r["type"] == "condensation"]
    assert condensation["trigger"] == "context_error" and condensation["step"] == 3


def test_as_mlebench_ran_it_a_full_context_ends_the_run(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    run_dir = tmp_path / "run"
    result, _ = run_agent(sb, task_for(titanic, sb, steps=4), run_dir, rule=condensing_rule(blocks(4), fail_at=2),
                          overrides=["fixes.condense=false"])
    assert result.reason == "llm_error" and "context window" in result.message and result.steps == 2
    assert not any(r["type"] == "condensation" for r in trajectory(run_dir))


def test_kill_9_mid_run_then_resume(titanic, tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    cmd = [sys.executable, "-m", "tests.openhands.driver", str(run_dir), str(titanic.data_dir)]
    first = subprocess.Popen([*cmd, "first"], env=env, start_new_session=True, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while len(_turns(run_dir)) < 2 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.2)
    time.sleep(1.0)  # the third action (a long sleep) is running now
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    assert len(_turns(run_dir)) == 2, first.stdout.read().decode()[-3000:]

    done = subprocess.run([*cmd, "resume"], env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"reason": "submitted", "steps": 5, "valid": True}
    records = trajectory(run_dir)
    assert [r["type"] for r in records] == ["header", "turn", "turn", "resume", "turn", "turn", "turn", "end"]
    assert [t["step"] for t in turns(run_dir)] == [0, 1, 2, 3, 4]
    resumed = json.loads((run_dir / "resume-requests.json").read_text())[0]["messages"]
    text = "\n".join(str(m["content"]) for m in resumed)
    assert "progress.txt" in str(resumed) and "x = 41" in str(resumed) and "sleep 120" not in str(resumed)
    assert "resumed after step 1" in text and "variable and import is gone" in text
    kernel = turns(run_dir)[2]["observation"]["text"]
    assert "NameError" in kernel  # the kernel's state is gone, as the agent was told
    assert records[3]["elapsed_s"] > 0


def _turns(run_dir):
    path = run_dir / "trajectory.jsonl"
    if not path.exists():
        return []
    return [line for line in path.read_text().splitlines() if '"type": "turn"' in line]


def test_a_target_fraction_condenses_rarely_keeping_only_the_turns_that_fit(titanic, titanic_sandbox, tmp_path):
    """Each condensation makes a local server read the prompt anew from the first forgotten turn: one that
    frees a single turn repeats at every step. condenser.target_fraction keeps fewer of the latest turns so
    that the next few steps fit; without it, keep_last is always kept."""
    sb = titanic_sandbox
    counts = {}
    for target in ("null", "0.3"):
        run_dir = tmp_path / f"run-{target}"
        overrides = ["condenser.max_input_tokens=5000", "condenser.keep_first=0", "condenser.keep_last=4",
                     "condenser.summary_tokens=100", f"condenser.target_fraction={target}", "aids=false"]
        result, _ = run_agent(sb, task_for(titanic, sb, steps=10), run_dir, rule=condensing_rule(blocks(10, lines=120)),
                              overrides=overrides)
        assert result.steps == 10
        condensations = [r for r in trajectory(run_dir) if r["type"] == "condensation"]
        counts[target] = [(c["step"], c["keep_last"], c["tokens_after"]) for c in condensations]
    # without it: a condensation at every step from the fifth on, each freeing one turn
    assert [step for step, *_ in counts["null"]] == [5, 6, 7, 8, 9], counts
    assert all(kept == 4 for _, kept, _ in counts["null"])
    # with it: fewer turns kept, a shorter prompt after each, and steps in between without one
    lowest_without = min(after for *_, after in counts["null"])
    assert counts["0.3"] and all(kept < 4 and after < lowest_without for _, kept, after in counts["0.3"]), counts
    assert len(counts["0.3"]) <= 2, counts
