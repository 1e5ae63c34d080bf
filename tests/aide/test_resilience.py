"""AIDE over a long run, end to end with a scripted LLM on 127.0.0.1, a real sandbox and the offline Titanic:
nothing spent goes unaccounted, nothing executed is thrown away, a killed run resumes with its clock and
budget, prompts that do not fit are shrunk in the right order, runs replay from their cassettes, and the
`deviations: false` switch gives MLE-bench's AIDE."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from scaffolds.aide import agent as aide_agent
from scaffolds.aide.agent import AideAgent
from scaffolds.aide.config import load_config, parse_override
from scaffolds.aide.resume import saved_settings
from scaffolds.core.llm import LLM, Budget, ReplayDivergence
from scaffolds.core.llm.testing import Reply, ScriptedServer
from scaffolds.core.rundir import RunDir, RunDirBusy

from .child_run import build_agent
from .conftest import BACKEND, make_task
from .scripted import aide_rule, code_reply, is_review, review_reply
from .test_agent import journal_cost

REPO = Path(__file__).resolve().parents[2]


def config(*overrides: str):
    return load_config("default", None, [parse_override(o) for o in ("seed=0", *overrides)])


def scripted_llm(server: ScriptedServer, rd: RunDir, **kw) -> LLM:
    return LLM("openai/scripted", api_base=server.url, log_path=rd.llm_log, price=(1.0, 2.0), max_retries=0, **kw)


def prompt_text(body: dict) -> str:
    return "\n".join(str(m.get("content") or "") for m in body["messages"])


def code_requests(server: ScriptedServer) -> list[dict]:
    return [body for body in server.chat_requests if not is_review(body)]


# ---- account for everything -----------------------------------------------------------------
def test_an_attempt_abandoned_for_lack_of_time_keeps_its_cost(titanic, open_titanic_sandbox, tmp_path):
    """The second code reply comes so late that no time is left to run its script."""
    base = aide_rule(["sex_rule", "forest"])

    def rule(body):
        reply = base(body)
        left = re.search(r"Time left for the whole run: (\d+) seconds", prompt_text(body))
        if not is_review(body) and "# Memory" in prompt_text(body) and left:
            return Reply.slow(max(0.0, int(left.group(1)) - 3.0), reply)
        return reply

    rd = RunDir(tmp_path / "run")
    budget = Budget()
    with ScriptedServer(rule=rule) as server:
        sandbox = open_titanic_sandbox(rd.workspace)
        result = AideAgent(config("time_limit_s=20", "search.num_drafts=1", "search.debug_prob=0")).run(
            make_task(titanic, sandbox, steps=5), sandbox, scripted_llm(server, rd, budget=budget), rd)
        requests = len(server.chat_requests)
    journal = json.loads(rd.journal.read_text())
    assert result.reason == "time_exceeded" and len(journal["nodes"]) == 1
    (lost,) = journal["abandoned"]
    assert lost["step"] == 1 and lost["usage"]["calls"] == 1 and lost["usage"]["cost_usd"] > 0
    assert lost["abandoned_reason"].startswith("TimeExceeded while executing")
    assert result.cost_usd == pytest.approx(journal_cost(journal)) == pytest.approx(budget.spent_usd)
    assert result.extra["llm_calls"] == requests == budget.calls == 3


def test_a_code_answer_that_would_come_after_the_time_limit_is_not_waited_for(titanic, open_titanic_sandbox, tmp_path):
    """A local model can take minutes to answer; the run ends at its limit, with the attempt abandoned."""
    base = aide_rule(["sex_rule", "forest"])

    def rule(body):
        reply = base(body)
        if not is_review(body) and "# Memory" in prompt_text(body):
            return Reply.slow(120, reply)
        return reply

    rd = RunDir(tmp_path / "run")
    with ScriptedServer(rule=rule) as server:
        sandbox = open_titanic_sandbox(rd.workspace)
        t0 = time.monotonic()
        result = AideAgent(config("time_limit_s=20", "search.num_drafts=1", "search.debug_prob=0")).run(
            make_task(titanic, sandbox, steps=5), sandbox, scripted_llm(server, rd), rd)
        took = time.monotonic() - t0
    journal = json.loads(rd.journal.read_text())
    assert result.reason == "time_exceeded" and "while the model was answering" in result.message
    assert took < 35 and len(journal["nodes"]) == 1
    (lost,) = journal["abandoned"]
    assert lost["abandoned_reason"].startswith("LLMTimeUp while generating")


def test_a_failed_review_keeps_the_node_and_the_resumed_run_reviews_it(titanic, open_titanic_sandbox, tmp_path):
    rd = RunDir(tmp_path / "run")
    failing = {"review": True}

    def rule(body):
        if is_review(body) and failing["review"]:
            return Reply.fail(503, "reviewer down")
        return code_reply("forest", body) if not is_review(body) else review_reply(body)

    overrides = ("search.num_drafts=2", "llm.retry_for_s=0")
    with ScriptedServer(rule=rule) as server:
        sandbox = open_titanic_sandbox(rd.workspace)
        task = make_task(titanic, sandbox, steps=2)
        agent = build_agent(server.url, rd, steps=2, overrides=overrides, resume=False)
        first = agent.run(task, sandbox, agent.main_llm, rd)
        (node,) = json.loads(rd.journal.read_text())["nodes"]
        assert first.reason == "llm_error" and node["reviewed"] is False and node["exec_time_s"] > 0
        assert node["bug_reasons"][0].startswith("not reviewed yet: LLMUnavailable")
        failing["review"] = False
        budget = Budget()
        again = build_agent(server.url, rd, steps=2, overrides=overrides, resume=True, budget=budget)
        second = again.run(task, sandbox, again.main_llm, rd)
        total_requests = len(server.chat_requests)
    journal = json.loads(rd.journal.read_text())
    reviewed, other = journal["nodes"]
    assert second.reason == "limits_exceeded" and journal["sessions"] == 2
    assert reviewed["id"] == node["id"] and reviewed["reviewed"] and not reviewed["is_buggy"]
    assert reviewed["metric"] > 0.7 and reviewed["exec_time_s"] == node["exec_time_s"]  # not run again
    assert not other["is_buggy"] and second.submission is not None
    # failed calls cost nothing; every successful one counts, across both sessions
    assert budget.calls == journal_calls(journal) == total_requests - 1


def journal_calls(journal) -> int:
    return sum(n["usage"]["calls"] for n in journal["nodes"] + journal["abandoned"]) + journal["other_usage"]["calls"]


def _kill_scripts_of(run_dir: Path) -> None:
    """The killed process leaves its running script behind (own session); end exactly those processes."""
    marker = str(run_dir / "workspace" / "code")
    for proc in psutil.process_iter(["pid", "cmdline"]):
        if any(marker in part for part in proc.info["cmdline"] or []):
            proc.kill()


def _wait_for_phase(rd: RunDir, proc: subprocess.Popen, step: int, phase: str, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read()
        try:
            progress = json.loads((rd.root / "progress.json").read_text())
        except (OSError, ValueError):
            progress = {"node": {}}
        if progress["node"].get("step") == step and progress["node"].get("phase") == phase:
            return progress
        time.sleep(0.1)
    raise AssertionError(f"step {step} never reached {phase}")


def test_a_killed_run_resumes_with_its_clock_budget_and_lock(titanic, open_titanic_sandbox, tmp_path):
    rd = RunDir(tmp_path / "run")
    overrides = ("search.num_drafts=4", "exec.timeout_s=100")
    with ScriptedServer(rule=aide_rule(["sex_rule", "forest", "slow", "sex_rule", "forest"])) as server:
        settings = {"run_dir": str(rd.root), "data_dir": str(titanic.data_dir), "url": server.url, "steps": 4,
                    "overrides": overrides, "backend": BACKEND, "heartbeat_s": 0.3}
        proc = subprocess.Popen([sys.executable, "-m", "tests.aide.child_run", json.dumps(settings)], cwd=REPO,
                                text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            saved = _wait_for_phase(rd, proc, step=2, phase="executing")
            with pytest.raises(RunDirBusy, match="in use by another process"):
                AideAgent(config(), resume=True).run(None, None, None, rd)  # refused before touching anything
            time.sleep(4.0)  # the slow script runs; only the heartbeat knows
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        _kill_scripts_of(rd.root)
        spent_before = len(server.chat_requests)
        events, budget = [], Budget()
        sandbox = open_titanic_sandbox(rd.workspace)
        agent = build_agent(server.url, rd, steps=4, overrides=overrides, resume=True, budget=budget,
                            on_event=events.append)
        result = agent.run(make_task(titanic, sandbox, steps=4), sandbox, agent.main_llm, rd)
        total_requests, url = len(server.chat_requests), server.url
    journal = json.loads(rd.journal.read_text())
    assert result.reason == "limits_exceeded" and journal["sessions"] == 2
    assert [n["step"] for n in journal["nodes"]] == [0, 1, 2, 3] and not any(n["is_buggy"] for n in journal["nodes"])
    (killed,) = journal["abandoned"]
    assert killed["step"] == 2 and "time.sleep(120)" in killed["code"] and killed["usage"]["calls"] == 1
    assert killed["abandoned_reason"] == "the process stopped while executing"
    assert journal["nodes"][2]["id"] != killed["id"]
    # the clock: the 4 s the killed script ran count (the saves knew only up to its start)
    assert events[0].elapsed_s >= saved["elapsed_s"] + 3.0
    # the budget: every call of both sessions, including the killed attempt's code call
    assert spent_before == 5 and budget.calls == total_requests == journal_calls(journal) == 9
    assert result.cost_usd == pytest.approx(budget.spent_usd)
    saved = saved_settings(rd.root)  # what a front end needs to continue the run without repeating flags
    assert saved["api_base"] == url and saved["overrides"] == ["seed=0", *overrides]
    assert saved["models"] == {"main": "openai/scripted", "feedback": "openai/scripted"}
    assert saved["limits"]["max_steps"] == 4 and saved["preset"] == "default"


def test_best_files_are_written_only_after_the_journal_naming_them(titanic, open_titanic_sandbox, tmp_path,
                                                                   monkeypatch):
    real = aide_agent.atomic_write_json

    def failing_journal(path, data):
        if path.name == "journal.json" and data.get("nodes"):
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(aide_agent, "atomic_write_json", failing_journal)
    rd = RunDir(tmp_path / "run")
    with ScriptedServer(rule=aide_rule(["forest"])) as server:
        sandbox = open_titanic_sandbox(rd.workspace)
        with pytest.raises(OSError, match="No space left"):
            AideAgent(config("search.num_drafts=1")).run(make_task(titanic, sandbox, steps=1), sandbox,
                                                          scripted_llm(server, rd), rd)
    assert (rd.node_dir(aide_agent.Node.make_id(0, 0, 0)) / "submission.csv").exists()  # the node did run
    assert not rd.submission.exists() and not rd.best_solution.exists()


# ---- prompts that do not fit; debug prompts that explain --------------------------------------
def test_a_prompt_over_the_context_window_loses_memory_first_never_the_instructions(
        titanic, open_titanic_sandbox, tmp_path):
    base = aide_rule(["sex_rule", "forest"])
    sizes: list[int] = []

    def rule(body):
        if not is_review(body):
            size = len(prompt_text(body))
            sizes.append(size)
            if len(sizes) > 1 and size > sizes[0] + 40:  # room for the first draft, not for its memory too
                return Reply.fail(400, f"This model's maximum context length is 8192 tokens; the prompt has {size}")
        return base(body)

    rd = RunDir(tmp_path / "run")
    with ScriptedServer(rule=rule) as server:
        sandbox = open_titanic_sandbox(rd.workspace)
        AideAgent(config("search.num_drafts=2", "aids=false")).run(make_task(titanic, sandbox, steps=2), sandbox,
                                                      scripted_llm(server, rd), rd)
        first, refused, accepted = code_requests(server)
    assert "# Memory" in prompt_text(refused) and "# Memory" not in prompt_text(accepted)
    assert accepted["messages"][0] == first["messages"][0]  # the system message is untouched
    user = accepted["messages"][1]["content"]
    for kept in ("# Data overview", "# Task description", "## Implementation guideline",
                 f"{rd.workspace / 'submission'}/submission.csv"):
        assert kept in user, kept
    assert len(json.loads(rd.journal.read_text())["nodes"]) == 2


def test_the_debug_prompt_says_why_and_names_an_out_of_memory_kill(titanic, open_titanic_sandbox, tmp_path):

    rd = RunDir(tmp_path / "run")
    with ScriptedServer(rule=aide_rule(["oom", "sex_rule"])) as server:
        sandbox = open_titanic_sandbox(rd.workspace, memory_mb=300)
        if not sandbox.isolation.capabilities.memory_limited:
            pytest.fail("this backend cannot limit memory; the test needs a memory limit to be enforced")
        AideAgent(config("search.num_drafts=1", "search.debug_prob=1", "aids.skip_failed_review=false")).run(
            make_task(titanic, sandbox, steps=2), sandbox, scripted_llm(server, rd), rd)
        debug = prompt_text(code_requests(server)[1])
    oom = json.loads(rd.journal.read_text())["nodes"][0]
    assert oom["killed_reason"] == "memory" and "ran out of memory" in oom["output"]
    assert "Execution time" not in oom["output"]
    assert "Why this solution was judged buggy:\n- the reviewer found a bug\n- the script failed (MemoryError)" in debug
    assert "- no submission.csv was written" in debug and "ran out of memory" in debug
    assert "What the reviewer saw:\nfailed run" in debug


# ---- replay, report, MLE-bench's AIDE ---------------------------------------------------------
def test_a_recorded_run_replays_from_its_cassette_without_a_server(titanic, open_titanic_sandbox, tmp_path):
    rd = RunDir(tmp_path / "run")
    cassette = tmp_path / "run.cassette.jsonl"
    cfg = config("search.num_drafts=1", "search.debug_prob=0")
    with ScriptedServer(rule=aide_rule(["sex_rule", "forest", "crash"])) as server:
        sandbox = open_titanic_sandbox(rd.workspace)
        AideAgent(cfg).run(make_task(titanic, sandbox, steps=3), sandbox,
                           scripted_llm(server, rd, record_path=cassette), rd)
    sandbox.close()
    recorded = json.loads(rd.journal.read_text())
    rd.root.rename(tmp_path / "recorded")  # the replay runs in the same place, with no server at all

    sandbox = open_titanic_sandbox(rd.workspace)
    task = make_task(titanic, sandbox, steps=3)
    with pytest.raises(ReplayDivergence):  # exact matching trips over the execution times in prompts
        AideAgent(cfg).run(task, sandbox, LLM("openai/scripted", replay_path=cassette, price=(1.0, 2.0)), rd)
    sandbox.close()
    rd.root.rename(tmp_path / "exact")
    sandbox = open_titanic_sandbox(rd.workspace)
    replay = LLM("openai/scripted", replay_path=cassette, price=(1.0, 2.0), replay_match="lenient")
    result = AideAgent(cfg).run(make_task(titanic, sandbox, steps=3), sandbox, replay, rd)
    replayed = json.loads(rd.journal.read_text())
    keys = ("id", "step", "stage", "parent_id", "code", "metric", "is_buggy", "bug_reasons", "analysis")
    assert [[n[k] for k in keys] for n in replayed["nodes"]] == [[n[k] for k in keys] for n in recorded["nodes"]]
    assert result.cost_usd == pytest.approx(sum(n["usage"]["cost_usd"] for n in recorded["nodes"]))


def test_report_is_written_by_the_feedback_model_when_asked(titanic, open_titanic_sandbox, tmp_path):
    base = aide_rule(["forest"])

    def rule(body):
        if "technical report" in prompt_text(body):
            return Reply.text("# Report\n\nA random forest reached 0.8 accuracy.", prompt_tokens=500)
        return base(body)

    rd = RunDir(tmp_path / "run")
    with ScriptedServer(rule=rule) as server:
        sandbox = open_titanic_sandbox(rd.workspace)
        code = scripted_llm(server, rd)
        critic = LLM("openai/critic", api_base=server.url, price=(1.0, 2.0), max_retries=0)
        AideAgent(config("search.num_drafts=1", "report=true"), feedback_llm=critic).run(
            make_task(titanic, sandbox, steps=1), sandbox, code, rd)
        last = server.chat_requests[-1]
    assert last["model"] == "critic" and "RandomForestClassifier" in prompt_text(last)
    assert (rd.root / "report.md").read_text().startswith("# Report")
    assert json.loads(rd.journal.read_text())["other_usage"]["calls"] == 1
    assert load_config("default").report is False and load_config("mlebench").report is False


def test_deviations_off_runs_aide_as_mlebench_ran_it(titanic, open_titanic_sandbox, tmp_path):
    base = aide_rule(["sex_rule"])
    replies = [Reply.text("I would train a small model.")]

    def rule(body):
        return replies.pop(0) if replies and not is_review(body) else base(body)

    rd = RunDir(tmp_path / "run")
    with ScriptedServer(rule=rule) as server:
        sandbox = open_titanic_sandbox(rd.workspace)
        AideAgent(config("search.num_drafts=1", "deviations=false")).run(
            make_task(titanic, sandbox, steps=1), sandbox, scripted_llm(server, rd), rd)
        first, second, review = server.chat_requests
    assert [m["role"] for m in first["messages"]] == ["system"]  # one system message, no user message
    assert second["messages"] == first["messages"]  # re-asked with the same prompt, no reminder
    assert "`torch-geometric`" in prompt_text(first) and "`bayesian-optimization`" in prompt_text(first)
    assert "is_competition_metric" not in json.dumps(review["tools"])
    assert "Competition metric" not in prompt_text(review) and "File check" not in prompt_text(review)
    header = rd.config.read_text()
    assert "deviations.validate_submission]: off (as MLE-bench)" in header
    assert "deviations:\n  validate_submission: false" in header
