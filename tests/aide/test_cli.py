"""`python -m scaffolds.aide` as a user runs it: clear errors, a full scripted run with grading, and a
run that is really killed mid-node and then resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from scaffolds.core.llm.testing import ScriptedServer

from .conftest import BACKEND
from .scripted import aide_rule

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str, env_extra: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "scaffolds.aide", *args], cwd=REPO, env=env, text=True,
                          capture_output=True, timeout=timeout)


def start_cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "scaffolds.aide", *args], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.mark.parametrize("args, fragment", [
    (["--comp", "titanic-ofline"], "titanic-offline"),  # unknown id: close ids suggested
    (["--model", "gpt-4o"], "OPENAI_API_KEY"),  # no key
    (["--preset", "fast"], "unknown preset"),
    (["search.debug_prob=3"], "debug_prob"),
    (["--resume", "/nonexistent/run"], "not a run directory"),
])
def test_user_errors_are_one_clear_line(args, fragment, tmp_path):
    done = cli(*args, "--data-dir", str(tmp_path), "--out", str(tmp_path / "runs"))
    text = done.stdout + done.stderr
    assert done.returncode == 2, text
    assert fragment in text and "Traceback" not in text


def test_kaggle_competition_without_data_says_how_to_prepare(tmp_path):
    done = cli("--comp", "spaceship-titanic", "--data-dir", str(tmp_path), "--out", str(tmp_path / "runs"))
    text = done.stdout + done.stderr
    assert done.returncode == 2 and "python -m bench prepare" in text and "Traceback" not in text


def _node_scripts(run_dir: Path) -> list[Path]:
    return sorted((run_dir / "workspace" / "code").glob("node_*.py"))


def _kill_scripts_of(run_dir: Path) -> None:
    """The killed CLI leaves its running script behind (own session); end exactly those processes."""
    marker = str(run_dir / "workspace" / "code")
    for proc in psutil.process_iter(["pid", "cmdline"]):
        if any(marker in part for part in proc.info["cmdline"] or []):
            proc.kill()


def test_run_is_killed_mid_node_then_resumed_without_losing_or_repeating_nodes(titanic, tmp_path):
    out = tmp_path / "runs"
    # steps 0, 1 finish; step 2 sleeps and is killed; the resumed run redoes step 2 with fresh code
    plan = ["sex_rule", "forest", "slow", "sex_rule", "forest"]
    with ScriptedServer(rule=aide_rule(plan)) as server:
        common = ["--model", "openai/scripted", "--api-base", server.url, "--sandbox", BACKEND, "--no-live"]
        proc = start_cli("--comp", "titanic-offline", "--data-dir", str(titanic.data_dir), "--out", str(out),
                         "--steps", "4", *common, "search.num_drafts=4", "exec.timeout_s=100")
        try:
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                runs = list(out.glob("*"))
                if runs and len(_node_scripts(runs[0])) >= 3:
                    break
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.2)
            (run_dir,) = out.glob("*")
            before = json.loads((run_dir / "journal.json").read_text())["nodes"]
            assert len(before) == 2
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        _kill_scripts_of(run_dir)
        done = cli("--resume", str(run_dir), *common)
    text = done.stdout + done.stderr
    assert done.returncode == 0, text
    journal = json.loads((run_dir / "journal.json").read_text())
    nodes = journal["nodes"]
    assert [n["step"] for n in nodes] == [0, 1, 2, 3] and journal["sessions"] == 2
    assert [n["id"] for n in nodes[:2]] == [n["id"] for n in before]
    assert len({n["id"] for n in nodes}) == 4
    assert "time.sleep(120)" not in nodes[2]["code"] and not any(n["is_buggy"] for n in nodes)
    grade = json.loads((run_dir / "record.json").read_text())["grade"]
    assert grade["valid_submission"] and grade["any_medal"]
    assert "Score" in text and "medal" in text
    for name in ("tree.html", "best_solution.py", "config.yaml", "llm_calls.jsonl", "task.json", "spec.json",
                 "record.json", "submission/submission.csv"):
        assert (run_dir / name).exists(), name


@pytest.mark.local_model
@pytest.mark.timeout(2700)
def test_smoke_run_with_the_embedded_local_model(titanic, tmp_path):
    # No --model: the embedded default. On 2 busy cores one step takes 1 to 10 minutes, so the run
    # may end on its time limit after the first node; either way it must finish cleanly and grade.
    out = tmp_path / "runs"
    done = cli("--comp", "titanic-offline", "--data-dir", str(titanic.data_dir), "--out", str(out), "--steps", "2",
               "--sandbox", BACKEND, "--no-live", "--time-limit", "30m", "--exec-timeout", "3m", timeout=2400)
    text = done.stdout + done.stderr
    assert done.returncode == 0, text
    (run_dir,) = out.glob("*")
    journal = json.loads((run_dir / "journal.json").read_text())
    assert journal["end_reason"] in ("limits_exceeded", "time_exceeded")
    assert 1 <= len(journal["nodes"]) <= 2
    for n in journal["nodes"]:  # the default preset skips the review of a script that raised or never came
        reviewed = n["code"] and not n["exc_type"]
        assert n["usage"]["calls"] >= (2 if reviewed else 1), n
    assert all(n["usage"]["prompt_tokens"] > 0 and n["timing"]["code_llm_s"] > 0 for n in journal["nodes"])
    assert "Run ended" in text and ("Score" in text or "No valid submission" in text)
    for name in ("tree.html", "config.yaml", "llm_calls.jsonl", "task.json", "record.json", "journal.json"):
        assert (run_dir / name).exists(), name
