"""MLAB end to end: a scripted model over real HTTP on 127.0.0.1, a real bubblewrap sandbox and the
real offline Titanic competition."""

from __future__ import annotations

import json
import time

import pytest

from scaffolds.core.llm.testing import Reply
from scaffolds.mlab.trajectory import TrajectoryError

from .conftest import FAITHFUL
from .scripted import SEX_RULE, Model, fenced, say

SUB = "submission/submission.csv"
CODE = SEX_RULE.format(data="data", submission=SUB)  # relative: scripts run from the workspace root


def edit(name="train.py", what="write a baseline"):
    return say("Edit Script (AI)", {"script_name": name, "edit_instruction": what, "save_name": name})


def grade(titanic, path):
    from bench.grade import grade_submission

    return grade_submission(titanic.comp, path, titanic.data_dir)


def test_edit_execute_validate_and_submit_a_valid_graded_submission(run_mlab, titanic):
    model = Model(main=[say("List Files", {"dir_path": "."}), edit(),
                        say("Execute Script", {"script_name": "train.py"}),
                        say("Validate Submission", {"submission_path": SUB}),
                        say("Final Answer", {"final_answer": "a sex-based baseline"})],
                  max_steps=8, edits=[fenced(CODE)])
    run = run_mlab(model, steps=8)
    assert run.result.reason == "submitted" and run.result.steps == 5
    listing, edited, executed, validated, final = run.steps
    assert "data/" in listing["observation"] and "<STEPS_REMAINING: 7>" in listing["observation"]
    assert "+accuracy = ((train" in edited["observation"]
    assert {f["path"] for f in edited["files"]} >= {"train.py"} and any(
        f["path"].startswith("backup/train.py_") for f in edited["files"])
    assert "Validation accuracy: 0.7" in executed["observation"] and executed["timing"]["exec_s"] > 0
    kept = {f["path"]: f for f in executed["files"]}
    assert (run.rd / kept[SUB]["copy"]).read_text().startswith("PassengerId,Survived")
    assert "is valid" in validated["observation"]
    # no submission until the script ran; valid from then on (a run's time to its first valid submission)
    assert [s["submission_valid"] for s in run.steps] == [None, None, True, True, True]
    assert final["final_answer"]["accepted"] and final["final_answer"]["validation"]["valid"]
    assert run.loaded.end["reason"] == "submitted" and run.loaded.end["validation"]["valid"]
    report = grade(titanic, run.result.submission)
    assert report.valid_submission and report.score > 0.7
    assert (run.rd / "code" / "train.py").read_text() == CODE and (run.rd / "config.yaml").exists()
    # the model sees the last steps: step 4's prompt holds the last three steps verbatim, not the first
    prompt = run.main_prompts()[-1]
    assert prompt.count("\nAssistant:\n") == 3 and "Action: List Files" not in prompt.split("Research Problem:")[1]
    assert "Action: Validate Submission" in prompt and "Let's begin!" not in prompt
    llm = run.steps[1]["llm"]
    assert llm["by_role"]["main"]["calls"] == 1 and llm["by_role"]["edit"]["calls"] == 1 and llm["cost_usd"] > 0
    assert run.result.cost_usd == pytest.approx(sum(s["llm"]["cost_usd"] for s in run.steps))


def test_format_errors_are_asked_again_and_end_the_run_when_tries_run_out(run_mlab):
    model = Model(main=[["I would start by looking at the files.", say("Look At Files", {"dir_path": "."}),
                         say("List Files", {"dir_path": "."})],
                        ["Still thinking."]], max_steps=5)
    run = run_mlab(model, steps=5, overrides=["format_retries=3"])
    first, = run.steps
    assert first["format_retries"] == 2 and first["action"] == "List Files"
    assert first["format_errors"][0] == 'the entry "Reflection:" is missing (or out of order)'
    assert first["format_errors"][1].startswith("the Action 'Look At Files' is not one of the tools")
    prompts = run.main_prompts()
    assert prompts[1].endswith("Reflection, Research Plan and Status, Fact Check, Thought, Action, Action Input\n"
                               "What was wrong: the entry \"Reflection:\" is missing (or out of order)\n\n")
    assert run.result.reason == "format_errors" and "no valid response after 3 tries" in run.result.message
    assert len(prompts) == 6 and run.loaded.end["reason"] == "format_errors"


def test_lenient_action_input_and_parsing_errors_leave_the_history(run_mlab):
    sloppy = ('{\n  "script_name": "train.py",\n  "edit_instruction": """Write a "baseline":\nmatch \\d+""",\n'
              '  "save_name": "train.py",\n}')
    model = Model(main=[say("Edit Script (AI)", sloppy), say("Execute Script", "train.py please"),
                        say("Execute Script", {"script_name": "train.py"}), say("List Files", {"dir_path": "."})],
                  max_steps=4, edits=[fenced(CODE)])
    run = run_mlab(model, steps=4)
    edited, broken, executed, _ = run.steps
    assert edited["input_parse"] == "sanitised" and "match \\d+" in edited["action_input"]["edit_instruction"]
    assert broken["input_parse"] == "error" and broken["observation"].startswith("ActionInputParsingError: ")
    assert '"script_name": [path of an existing Python script' in broken["observation"]
    assert executed["input_parse"] == "json" and "Validation accuracy" in executed["observation"]
    prompts = run.main_prompts()
    assert "ActionInputParsingError" in prompts[2] and "ActionInputParsingError" not in prompts[3]


@pytest.mark.parametrize("on", [True, False])
def test_a_step_repeated_unchanged_three_times_is_told_so(run_mlab, on):
    """The 1.5B model ran the same script 13 times in a row (issue 17); fixes.repeat_notice says so from
    the third identical step on. Another input, or another result, starts the count again."""
    same = say("List Files", {"dir_path": "."})
    model = Model(main=[same, same, say("List Files", {"dir_path": "data"}), same, same, same], max_steps=6)
    run = run_mlab(model, steps=6, overrides=[f"fixes.repeat_notice={str(on).lower()}"])
    noticed = ["taken this same action, with the same input, 3 times in a row" in s["observation"] for s in run.steps]
    assert noticed == [False, False, False, False, False, on]
    if on:
        assert run.steps[-1]["observation"].index("Note: you have") < run.steps[-1]["observation"].index(
            "<TIME_REMAINING:")


def test_an_llm_outage_is_waited_out_and_uses_no_format_retry(run_mlab):
    model = Model(main=[say("List Files", {"dir_path": "."}), say("List Files", {"dir_path": "data"})],
                  max_steps=2, outage={1: 4})  # two whole chat calls fail (each tries twice)
    run = run_mlab(model, steps=2, overrides=["format_retries=1"])
    assert run.result.reason == "limits_exceeded" and len(run.steps) == 2
    second = run.steps[1]
    assert second["outage_waits"] == 2 and second["format_retries"] == 0
    assert second["llm"]["by_role"]["main"]["failed_calls"] == 2 and "train.csv" in second["observation"]


@pytest.mark.parametrize("faithful", [False, True], ids=["default", "as-mlebench"])
def test_a_main_answer_that_would_come_after_the_time_limit_is_not_waited_for(run_mlab, faithful):
    # In both presets: neither a model failure (the default) nor a reply to re-ask (as MLE-bench ran it).
    late = Reply.slow(120, Reply.text(say("List Files", {"dir_path": "data"})))
    model = Model(main=[say("List Files", {"dir_path": "."}), late], max_steps=5)
    t0 = time.monotonic()
    run = run_mlab(model, steps=5, time_s=15, overrides=FAITHFUL if faithful else [])
    assert run.result.reason == "time_exceeded" and "while the model was answering" in run.result.message
    assert time.monotonic() - t0 < 30 and len(run.steps) == 1


def test_as_mlebench_ran_it_an_outage_uses_up_the_format_retries(run_mlab):
    model = Model(main=[say("List Files", {"dir_path": "."}), say("List Files", {"dir_path": "data"})],
                  max_steps=3, outage={1: 4})
    run = run_mlab(model, steps=3, overrides=["format_retries=2", *FAITHFUL])
    assert run.result.reason == "format_errors" and len(run.steps) == 1
    assert "scripted outage" in run.result.message


def test_a_prompt_over_the_context_window_is_sent_again_with_fewer_steps(run_mlab):
    model = Model(main=[say("List Files", {"dir_path": "."})] * 5, max_steps=5, too_long={4: 2})
    run = run_mlab(model, steps=5, overrides=["format_retries=1"])
    assert run.result.reason == "limits_exceeded" and len(run.steps) == 5
    last_three = run.main_prompts()[-3:]  # step 4: refused with 3 and 2 past steps, answered with 1
    assert [p.count("\nAssistant:\n") for p in last_three] == [3, 2, 1]
    assert run.steps[4]["format_retries"] == 0 and run.steps[4]["llm"]["by_role"]["main"]["failed_calls"] == 2


def test_early_final_answer_is_refused_until_a_valid_submission_exists(run_mlab):
    model = Model(main=[say("Final Answer", {"final_answer": "done already"}), edit(),
                        say("Execute Script", {"script_name": "train.py"}),
                        say("Final Answer", {"final_answer": "baseline submitted"})],
                  max_steps=6, edits=[fenced(CODE)])
    run = run_mlab(model, steps=6)
    refused = run.steps[0]
    assert refused["final_answer"]["accepted"] is False and refused["observation"].startswith("Final Answer refused")
    assert "no such file" in refused["final_answer"]["reason"]
    assert run.result.reason == "submitted" and len(run.steps) == 4 and run.steps[3]["final_answer"]["accepted"]


def test_as_mlebench_ran_it_a_final_answer_ends_the_run_at_once(run_mlab):
    model = Model(main=[say("Final Answer", {"final_answer": "done already"})], max_steps=6)
    run = run_mlab(model, steps=6, overrides=list(FAITHFUL))
    assert run.result.reason == "submitted" and len(run.steps) == 1 and run.result.submission is None
    assert run.steps[0]["final_answer"] == {"text": "done already", "accepted": True, "validation": None}


def cut_off(code: str) -> Reply:
    return Reply.text("```python\n" + code[: len(code) // 2], finish_reason="length", completion_tokens=2048)


def test_an_edit_cut_at_the_token_limit_is_asked_again_then_refused(run_mlab):
    model = Model(main=[edit(), edit(what="add a model"), edit(what="add features")], max_steps=3,
                  edits=[fenced(CODE), cut_off(CODE), fenced(CODE + "print('more')\n"),
                         cut_off(CODE), cut_off(CODE)])
    run = run_mlab(model, steps=3)
    retried, refused = run.steps[1], run.steps[2]
    assert retried["llm"]["by_role"]["edit"]["calls"] == 2 and "+print('more')" in retried["observation"]
    assert refused["observation"].startswith("EnvError: the edit was not applied")
    assert "(2048 tokens)" in refused["observation"]  # the default preset's models.edit.max_tokens
    assert "cut off at its length limit" in refused["observation"] and refused["files"] == []
    assert run.sandbox.read_file("train.py") == CODE + "print('more')\n"


def test_as_mlebench_ran_it_a_cut_off_edit_is_saved_truncated(run_mlab):
    model = Model(main=[edit()], max_steps=1, edits=[cut_off(CODE)])
    run = run_mlab(model, steps=1, overrides=list(FAITHFUL))
    assert run.sandbox.read_file("train.py").strip() == CODE[: len(CODE) // 2].strip()


FAILING = 'print("loaded the data")\nraise ValueError("bad column")\n'
SLOW = 'import time\nprint("training", flush=True)\ntime.sleep(60)\n'
CHATTY = 'print("\\n".join(f"row {i}: " + "x" * 60 for i in range(2000)))\n'


def write(name, content):
    return say("Write File", {"file_name": name, "content": content})


def test_failing_slow_and_chatty_scripts(run_mlab):
    model = Model(main=[write("fail.py", FAILING), say("Execute Script", {"script_name": "fail.py"}),
                        write("slow.py", SLOW), say("Execute Script", {"script_name": "slow.py"}),
                        write("chatty.py", CHATTY), say("Execute Script", {"script_name": "chatty.py"}),
                        say("Inspect Script Lines", {"script_name": "chatty.py", "start_line_number": 1,
                                                     "end_line_number": 1}),
                        say("Understand File", {"file_name": "chatty.py", "things_to_look_for": "what it prints"})],
                  max_steps=8)
    run = run_mlab(model, steps=8, overrides=["actions.execute_timeout_s=3", "actions.inspect_line_chars=40",
                                              "actions.understand_max_chars=600"])
    failed, slow, chatty, inspected, understood = (run.steps[i]["observation"] for i in (1, 3, 5, 6, 7))
    assert "failed with exit code 1" in failed and "loaded the data" in failed and "ValueError: bad column" in failed
    assert "stopped after 0hrs 0mins 3secs" in slow and "training" in slow
    assert run.steps[3]["timing"]["exec_s"] < 15
    assert run.steps[5]["summarized"] and chatty.startswith("[Observation]: a short summary")
    summaries = model.fast_prompts[:3]  # 2 chunks of the long output + their merge; then Understand File
    assert "row 0: xxx" in summaries[0] and "summarised in parts" in summaries[2] and len(model.fast_prompts) == 4
    assert "...[" in inspected and "more characters]" in inspected
    assert understood.startswith("The file prints rows.") and "characters truncated" in understood
    assert run.steps[7]["raw_observation_chars"] <= 600  # the fast model wrote about 3,600 characters


def test_as_mlebench_ran_it_a_failing_script_shows_only_stderr(run_mlab):
    model = Model(main=[write("fail.py", FAILING), say("Execute Script", {"script_name": "fail.py"})], max_steps=2)
    run = run_mlab(model, steps=2, overrides=list(FAITHFUL))
    observation = run.steps[1]["observation"]
    assert "ValueError: bad column" in observation and "loaded the data" not in observation


def test_trajectory_lines_are_json_with_the_documented_fields(run_mlab):
    model = Model(main=[say("List Files", {"dir_path": "."})], max_steps=1)
    run = run_mlab(model, steps=1)
    lines = [json.loads(line) for line in (run.rd / "trajectory.jsonl").read_text().splitlines()]
    assert [line["type"] for line in lines] == ["header", "session", "step", "end"]
    assert lines[0]["format"] == "mle-suite/mlab-trajectory" and lines[0]["version"] == 1
    step = lines[2]
    for key in ("entries", "action", "action_input", "observation", "llm", "timing", "elapsed_s", "files"):
        assert key in step
    assert set(step["timing"]) == {"step_s", "llm_s", "exec_s", "harness_s"}
    with pytest.raises(TrajectoryError, match="already holds an MLAB run; resume it"):
        run_mlab(model, steps=1, rd=run.rd)
    again = run_mlab(model, steps=1, rd=run.rd, resume=True)  # nothing left to do: the step limit is reached
    assert again.result.reason == "limits_exceeded" and again.result.steps == 1
    assert [s["session"] for s in again.loaded.sessions] == [1, 2] and again.requests == []


def test_copy_undo_and_the_plan_shown_without_update_marks(run_mlab):
    first, second = 'print("first")\n', 'print("second")\n'
    model = Model(main=[say("Edit Script (AI)", {"script_name": "a.py", "edit_instruction": "x", "save_name": "a.py"},
                            plan="1. write a.py **started**"),
                        edit("a.py"), say("Copy File", {"source": "a.py", "destination": "working/b.py"}),
                        say("Undo Edit Script", {"script_name": "a.py"}),
                        say("Copy File", {"source": "data/../data/train.csv", "destination": "c.csv"}),
                        say("List Files", {"dir_path": "backup"})],
                  max_steps=6, edits=[fenced(first), fenced(second)])
    run = run_mlab(model, steps=6)
    copied, undone, outside, listed = (run.steps[i]["observation"] for i in (2, 3, 4, 5))
    assert copied.startswith("File a.py copied to working/b.py.") and run.sandbox.read_file("working/b.py") == second
    assert undone.startswith("Content of a.py after undoing its latest edit:\nprint(\"first\")")
    assert run.sandbox.read_file("a.py") == first and outside.startswith("EnvError: ") and "'..'" in outside
    assert len([n for n in listed.splitlines() if n.startswith("a.py_")]) == 1  # the used backup is gone
    assert "**started**" in run.steps[0]["entries"]["Research Plan and Status"]  # kept as written
    assert "1. write a.py started" in run.main_prompts()[1] and "**started**" not in run.main_prompts()[1]


CRASH = 'import pandas as pd\n\ntrain = pd.read_csv("data/train.csv")\nprint(train["Fares"].mean())\n'


@pytest.mark.parametrize("on", [True, False])
def test_small_model_aids_are_shown_when_on_and_absent_when_off(run_mlab, on):
    """The default preset's aids: the data schema and the metric in the research problem, the worked
    example in the first prompt only and for the edit model writing a new script, and a failed script's
    observation led by its failing line. `aids=false` gives MLAB's own prompts."""
    model = Model(main=[say("List Files", {"dir_path": "."}), edit(),
                        say("Execute Script", {"script_name": "train.py"})], max_steps=3, edits=[fenced(CRASH)])
    run = run_mlab(model, steps=3, overrides=[f"aids={str(on).lower()}"])
    first, second, third = run.main_prompts()
    problem = first.split("Research Problem:")[1]
    assert ("The data files, as read by the harness" in problem) is on
    assert ("header exactly `PassengerId,Survived`" in problem) is on
    assert ("scored with the metric `accuracy`" in problem) is on
    assert ('ID, TARGET = "PassengerId", "Survived"\n      NUMERIC = [' in problem) is on  # aids.task_lines
    assert ("solves a different, made-up task" in first) is on and "made-up task" not in second + third
    reply = "A good first reply for this task looks like this"
    assert (reply in first) is on and reply not in second + third
    if on:  # the filled-in reply sits last before "Let's begin!", and its action is one the model may take
        shown = first.split(reply)[1].split("Let's begin!")[0]
        assert "Action: Edit Script (AI)\nAction Input: {\"script_name\": \"train.py\"" in shown
        assert "Check /home/submission/submission.csv with Validate Submission" in shown
    edit_prompt = next(r["messages"][0]["content"] for r in run.requests
                       if str(r["messages"][0]["content"]).startswith("Here is a Python script"))
    assert ("Facts that help" in edit_prompt) is on and ("egg_id" in edit_prompt) is on
    assert ('ID, TARGET = "PassengerId", "Survived"' in edit_prompt) is on  # the task lines, for a new script
    executed = run.steps[2]["observation"]
    assert "KeyError" in executed and ("Fix this first" in executed) is on
    if on:
        assert executed.startswith("The script failed. Fix this first:\n"
                                   "The script stopped at line 4: `print(train[\"Fares\"].mean())`\n"
                                   "with KeyError: 'Fares'")
        assert "The data has no column `Fares`; the closest is `Fare`." in executed  # read from the host's data


@pytest.mark.parametrize("task_lines", [True, False])
def test_the_edit_model_gets_this_datas_facts_for_a_new_script_and_for_a_change(run_mlab, task_lines):
    """A new script's help ends by asking for the example adapted, with this data's column lines, and
    leaves the schema out (aids.task_lines; with the schema the 1.5B model returned the example verbatim
    after a wide table's); a change to an existing script gets the data schema (aids.data_schema), so an
    instruction such as "set the columns from the data files" has something to go on."""
    model = Model(main=[edit(), edit(what="set the columns from the data files")], max_steps=2,
                  edits=[fenced(COPIED), fenced(COPIED)])
    run = run_mlab(model, steps=2, overrides=[f"aids.task_lines={str(task_lines).lower()}"])
    new, change = (str(r["messages"][0]["content"]) for r in run.requests
                   if str(r["messages"][0]["content"]).startswith("Here is a Python script"))
    close = "Now write the script for this task: the example above with every line marked `<- task` changed"
    assert (close in new) is task_lines and close not in change
    if task_lines:  # last before MLAB's own reply line, after the example
        tail = new.split(close)[1]
        assert 'ID, TARGET = "PassengerId", "Survived"' in tail and tail.index("NUMERIC = [") < tail.index(
            "Reply with the complete script after the change")
        assert new.index("made-up task") < new.index(close)
    assert ("header exactly `PassengerId,Survived`" in new) is not task_lines  # the schema, without the lines
    assert "Facts about this task's data that help" in change and "header exactly `PassengerId,Survived`" in change
    assert "made-up task" not in change and "Facts about this task's data" not in new


COPIED = 'import pandas as pd\n\ntrain = pd.read_csv("data/train.csv")\nprint(train[["feed", "coop"]].mean())\n'


def test_a_failed_script_run_again_unchanged_is_called_so_and_example_columns_get_the_task_lines(run_mlab):
    """aids.error_focus: the 1.5B model re-ran a failing train.py nine times, each reflection claiming the
    fix was made; with aids.task_lines a KeyError on the worked example's columns shows this data's lines."""
    run_ = say("Execute Script", {"script_name": "train.py"})
    model = Model(main=[edit(), run_, run_, edit(what="fix it"), run_], max_steps=5,
                  edits=[fenced(COPIED), fenced(COPIED.replace("coop", "Coop"))])
    run = run_mlab(model, steps=5, overrides=["aids.task_lines=true"])
    first, again, after_edit = (run.steps[i]["observation"] for i in (1, 2, 4))
    unchanged = "train.py has not changed since its last run, which failed too"
    assert unchanged not in first and unchanged not in after_edit
    assert again.startswith(f"The script failed. Fix this first:\n{unchanged}")
    assert "`feed`, `coop` are columns of the worked example's made-up data" in first
    assert 'ID, TARGET = "PassengerId", "Survived"' in first and "closest" not in first
