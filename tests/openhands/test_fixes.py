"""The text-tag fallback and the fixes (each also switched off, as MLE-bench ran it): refused early
finish, command timeouts and waiting on background jobs, the stuck detector."""

from __future__ import annotations

import time

from scaffolds.core.llm.testing import Reply

from .conftest import grade, task_for
from .scripted import bash, finish, ipython, run_agent, solution, tool_messages, trajectory, turns


def write_submission(sb) -> Reply:
    return bash(f"cat > {sb.paths.code}/s.py <<'EOF'\n{solution(sb)}EOF\npython {sb.paths.code}/s.py")


def test_text_tags_for_models_without_tool_calls(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    replies = [
        Reply.text(f"Let me look at the data.\n<execute_bash>\nls {sb.paths.data}\n</execute_bash>\n"
                   "OBSERVATION:\nmade-up output"),
        Reply.text(f"<execute_ipython>\nimport pandas as pd\nprint(pd.read_csv('{sb.paths.data}/train.csv').shape)"),
        Reply.text(f"Now the model.\n<execute_bash>\ncat > {sb.paths.code}/s.py <<'EOF'\n{solution(sb)}EOF\n"
                   f"python {sb.paths.code}/s.py\n</execute_bash>"),
        Reply.text("The submission is written. <finish></finish>"),
    ]
    run_dir = tmp_path / "run"
    result, requests = run_agent(sb, task_for(titanic, sb), run_dir, replies,
                                 overrides=["actions.function_calling=tags"])
    assert result.reason == "submitted" and result.extra["mode"] == "tags"
    assert grade(titanic, result.submission).valid_submission
    assert all("tools" not in r for r in requests)
    assert "<execute_bash>" in requests[0]["messages"][0]["content"]
    history = requests[1]["messages"]
    assert history[-2] == {"role": "assistant", "content":
                           f"Let me look at the data.\n<execute_bash>\nls {sb.paths.data}\n</execute_bash>"}
    assert history[-1]["content"].startswith("OBSERVATION:\n") and "train.csv" in history[-1]["content"]
    assert "(" in requests[2]["messages"][-1]["content"]  # the missing closing tag was tolerated
    assert [t["action"]["tool"] for t in turns(run_dir)] == ["execute_bash", "execute_ipython_cell",
                                                               "execute_bash", "finish"]


def test_early_finish_is_refused_until_a_valid_submission_exists(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    run_dir = tmp_path / "run"
    result, requests = run_agent(sb, task_for(titanic, sb), run_dir,
                                 [finish("nothing to do"), write_submission(sb), finish("now done")])
    refused = tool_messages(requests[1])[0]
    assert "finish refused" in refused and "no valid submission" in refused and "no such file" in refused
    assert result.reason == "submitted" and result.steps == 3 and result.extra["submission_valid"]
    assert [t["events"] for t in turns(run_dir)] == [["finish_refused"], [], ["finish_accepted"]]


def test_refusals_are_bounded(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    result, _ = run_agent(sb, task_for(titanic, sb), tmp_path / "run", [finish(), finish()],
                          overrides=["fixes.max_finish_refusals=1"])
    assert result.reason == "submitted" and result.steps == 2 and result.submission is None


def test_as_mlebench_ran_it_an_early_finish_ends_the_run(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    run_dir = tmp_path / "run"
    replies = [Reply.text("<execute_bash>ls</execute_bash>"), Reply.text("<finish></finish>")]
    result, requests = run_agent(sb, task_for(titanic, sb), run_dir, replies, preset="mlebench-original")
    assert result.reason == "submitted" and result.steps == 2 and result.submission is None
    observed = requests[1]["messages"][-1]["content"]
    assert "ENVIRONMENT REMINDER: 19 turns are left" in observed and "[Time left" not in observed
    end = trajectory(run_dir)[-1]
    assert end["submission"]["exists"] is False and end["submission"]["valid"] is False
    assert end["submission"]["message"].startswith("invalid: ") and "no such file" in end["submission"]["message"]


def test_a_command_past_its_timeout_is_interrupted_and_the_shell_lives_on(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    replies = [bash("cd /tmp && export MARK=kept && sleep 30 && echo never", timeout=1), bash("echo $MARK; pwd")]
    result, requests = run_agent(sb, task_for(titanic, sb, steps=2), tmp_path / "run", replies)
    (timed_out,) = tool_messages(requests[1])
    assert "did not finish within 1 s and was interrupted" in timed_out and "never" not in timed_out
    (first, second) = turns(tmp_path / "run")
    assert first["observation"]["timed_out"] and first["observation"]["exec_s"] < 10
    assert second["observation"]["text"].startswith("kept\n/tmp")


def test_timeouts_are_capped_by_the_time_left(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    t0 = time.monotonic()
    result, _ = run_agent(sb, task_for(titanic, sb, time_s=9), tmp_path / "run", [bash("sleep 60", timeout=600)],
                          rule=lambda body: bash("echo more"))
    (turn,) = turns(tmp_path / "run")
    assert turn["observation"]["timed_out"] and turn["observation"]["exec_s"] < 9
    assert result.reason == "time_exceeded" and time.monotonic() - t0 < 20


def test_a_slow_model_answer_is_capped_by_the_time_left(titanic, titanic_sandbox, tmp_path):
    """A local model's answer can take minutes; the run ends at its limit, not when the answer comes."""
    sb = titanic_sandbox
    t0 = time.monotonic()
    result, requests = run_agent(sb, task_for(titanic, sb, time_s=9), tmp_path / "run",
                                 [Reply.slow(60, bash("echo too late"))])
    assert result.reason == "time_exceeded" and "while the model was answering" in result.message
    assert time.monotonic() - t0 < 20 and len(requests) == 1 and turns(tmp_path / "run") == []


def test_waiting_on_a_background_job_is_not_a_loop(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    replies = [bash("sleep 3 > /dev/null 2>&1 &"), *[bash("", timeout=0.3) for _ in range(5)], bash("", timeout=20),
               bash("sleep 100 > /dev/null 2>&1 &"), Reply.tool("execute_bash", {"command": "C-c", "is_input": True}),
               bash("")]
    run_dir = tmp_path / "run"
    result, _ = run_agent(sb, task_for(titanic, sb, steps=len(replies)), run_dir, replies,
                          overrides=["fixes.stuck_repeats=3"])
    obs = [t["observation"] for t in turns(run_dir)]
    assert result.reason == "limits_exceeded" and not any(r["type"] == "stuck" for r in trajectory(run_dir))
    assert all(o["waiting"] and "still running" in o["text"] and "sleep 3" in o["text"] for o in obs[1:6])
    assert "ended with exit code 0" in obs[6]["text"] and not obs[6]["waiting"]
    assert "[Stopped background job" in obs[8]["text"]
    assert "No background job is running" in obs[9]["text"]


def test_input_other_than_ctrl_c_is_explained(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    run_agent(sb, task_for(titanic, sb, steps=1), tmp_path / "run",
              [Reply.tool("execute_bash", {"command": "y", "is_input": True})])
    (turn,) = turns(tmp_path / "run")
    assert turn["observation"]["error"] and "no program is waiting for input" in turn["observation"]["text"]


def test_stuck_detector_redirects_then_stops_on_real_repetition(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    run_dir = tmp_path / "run"
    same = bash(f"wc -l {sb.paths.data}/train.csv")
    result, requests = run_agent(sb, task_for(titanic, sb), run_dir, [same] * 8)
    assert result.reason == "stuck" and result.steps == 8 and "wc -l" in result.message
    stuck = [r for r in trajectory(run_dir) if r["type"] == "stuck"]
    assert [(s["step"], s["response"]) for s in stuck] == [(3, "redirect"), (7, "stop")]
    warning = requests[4]["messages"][-1]
    assert warning["role"] == "user" and "Loop warning" in warning["content"]


def test_the_same_failing_cell_sent_again_is_a_repeat_although_ipython_numbers_it_anew(titanic, titanic_sandbox,
                                                                                      tmp_path):
    run_dir = tmp_path / "run"
    same = ipython("import pandas as pd\nframe = pd.DataFrame({'a': [1]})\nframe['b'].sum()")
    result, _ = run_agent(titanic_sandbox, task_for(titanic, titanic_sandbox), run_dir, [same] * 8,
                          overrides=["fixes.condense=false"])  # every scripted reply is a step
    assert result.reason == "stuck" and result.steps == 8
    texts = [t["observation"]["text"] for t in turns(run_dir)]
    assert "Cell In[2]" in texts[0] and "Cell In[3]" in texts[1]  # the kernel really numbered them anew
    assert [(s["step"], s["response"]) for s in trajectory(run_dir) if s["type"] == "stuck"] == [(3, "redirect"),
                                                                                                (7, "stop")]


def test_same_command_with_changing_output_is_not_stuck(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    run_dir = tmp_path / "run"
    result, _ = run_agent(sb, task_for(titanic, sb, steps=6), run_dir, [bash("date +%s%N")] * 6)
    assert result.reason == "limits_exceeded" and not any(r["type"] == "stuck" for r in trajectory(run_dir))


def test_original_stuck_detector_ignores_output_and_ends_the_run(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    run_dir = tmp_path / "run"
    result, _ = run_agent(sb, task_for(titanic, sb), run_dir, [bash("date +%s%N")] * 6,
                          overrides=["fixes.stuck_detector=original"])
    assert result.reason == "stuck" and result.steps == 4
    assert [r["response"] for r in trajectory(run_dir) if r["type"] == "stuck"] == ["stop"]
