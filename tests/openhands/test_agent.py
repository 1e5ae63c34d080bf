"""CodeAct end to end: a scripted model (real HTTP on 127.0.0.1), a real sandbox and the real offline
Titanic competition."""

from __future__ import annotations

import json

import pytest

from scaffolds.core.llm.testing import Reply

from .conftest import grade, task_for
from .scripted import bash, editor, finish, ipython, run_agent, solution, tool_messages, trajectory, turns

TOOL_NAMES = {"execute_bash", "execute_ipython_cell", "str_replace_editor", "think", "finish"}


def test_editor_bash_kernel_validate_finish_gives_a_graded_submission(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    script = f"{sb.paths.code}/train.py"
    sub = f"{sb.paths.submission}/submission.csv"
    replies = [
        editor("create", script, file_text=solution(sb), content="First a simple baseline."),
        bash(f"cd {sb.paths.code} && python train.py"),
        ipython(f"import pandas as pd\ndf = pd.read_csv('{sub}')\nprint(df.shape, df.Survived.mean().round(2))"),
        bash(f'curl -s -X POST -F "file=@{sub}" {sb.validation_url}'),
        finish("Sex-rule baseline written and validated."),
    ]
    run_dir = tmp_path / "run"
    result, requests = run_agent(sb, task_for(titanic, sb), run_dir, replies)

    assert result.reason == "submitted" and result.steps == 5
    assert result.extra["submission_valid"] is True and result.extra["mode"] == "native"
    report = grade(titanic, result.submission)
    assert report.valid_submission and 0.7 < report.score < 0.85
    # the model was offered OpenHands' tools, and saw each result
    assert {t["function"]["name"] for t in requests[0]["tools"]} == TOOL_NAMES
    task_message = requests[0]["messages"][1]["content"]
    assert sb.paths.data in task_message and sub in task_message and sb.validation_url in task_message
    created, ran, cell, validated, finished = tool_messages(requests[-1]) + [None]
    assert f"Created {script}" in created
    assert "Validation accuracy: 0.7" in ran and "[Command finished with exit code 0]" in ran
    assert f"[Current working directory: {sb.paths.code}]" in ran
    assert "(" in cell and ", 2)" in cell
    assert '"valid": true' in validated
    assert all("[Time left:" in m and "| Steps left:" in m for m in tool_messages(requests[-1]))
    # the trajectory: one line per turn, the end with the validation at the end
    records = trajectory(run_dir)
    assert [r["type"] for r in records] == ["header", "turn", "turn", "turn", "turn", "turn", "end"]
    steps = [r for r in records if r["type"] == "turn"]
    assert [s["action"]["tool"] for s in steps] == ["str_replace_editor", "execute_bash", "execute_ipython_cell",
                                                      "execute_bash", "finish"]
    assert steps[0]["action"]["thought"] == "First a simple baseline."
    # no submission until the script ran; valid from then on (a run's time to its first valid submission)
    assert [s["submission_valid"] for s in steps] == [None, True, True, True, True]
    assert steps[-1]["events"] == ["finish_accepted"] and "valid:" in steps[-1]["observation"]["text"]
    assert all(s["llm"]["prompt_tokens"] == 10 and s["llm"]["cost_usd"] > 0 for s in steps)
    assert all(set(s["timing"]) == {"llm_s", "exec_s", "condense_s", "harness_s", "total_s"} for s in steps)
    assert records[-1]["submission"]["valid"] is True and records[-1]["reason"] == "submitted"
    assert (run_dir / "config.yaml").exists()


def test_several_tool_calls_in_one_reply_run_only_the_first(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    two = Reply(tool_calls=(("execute_bash", {"command": "echo one"}), ("execute_bash", {"command": "echo two"})))
    result, requests = run_agent(sb, task_for(titanic, sb, steps=2), tmp_path / "run", [two, bash("echo three")])
    first, second = tool_messages(requests[1])
    assert first.startswith("one") and "one action per turn" in second
    assert result.reason == "limits_exceeded" and result.steps == 2


def test_plain_text_reply_gets_the_continue_prompt(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    result, requests = run_agent(sb, task_for(titanic, sb, steps=2), tmp_path / "run",
                                 [Reply.text("Should I use a random forest?"), bash("echo ok")])
    assert requests[1]["messages"][-1]["role"] == "user"
    assert "Nobody will answer questions" in requests[1]["messages"][-1]["content"]
    assert [t["action"]["tool"] for t in turns(tmp_path / "run")] == ["message", "execute_bash"]


def test_figures_are_saved_in_the_run_dir_and_described(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    code = ("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], label='train'); plt.plot([3, 2, 1], label='val')\n"
            "plt.title('loss'); plt.xlabel('epoch'); plt.legend(); plt.show()")
    run_dir = tmp_path / "run"
    run_agent(sb, task_for(titanic, sb, steps=1), run_dir, [ipython(code)])
    (turn,) = turns(run_dir)
    obs = turn["observation"]
    assert obs["images"] == ["images/step-0000-1.png"]
    assert (run_dir / "images" / "step-0000-1.png").read_bytes()[:4] == b"\x89PNG"
    assert "'loss'" in obs["text"] and "x axis 'epoch'" in obs["text"] and "2 lines" in obs["text"]
    assert "legend: train, val" in obs["text"] and " px)" in obs["text"]


def test_config_and_trajectory_are_json_clean(titanic, titanic_sandbox, tmp_path):
    sb = titanic_sandbox
    run_dir = tmp_path / "run"
    run_agent(sb, task_for(titanic, sb, steps=1), run_dir, [Reply.tool("think", {"thought": "plan: baseline"})])
    header, turn, end = trajectory(run_dir)
    assert header["version"] == 1 and header["agent"] == "openhands" and header["competition"] == "titanic-offline"
    assert [m["role"] for m in header["messages"]] == ["system", "user"]
    assert turn["observation"]["text"].startswith("[Thought recorded.]")
    assert end["reason"] == "limits_exceeded" and end["submission"]["exists"] is False
    json.dumps(header["config"])


CRASH = 'import pandas as pd\n\ntrain = pd.read_csv("{data}/train.csv")\nprint(train["Fares"].mean())\n'


@pytest.mark.parametrize("on", [True, False])
def test_small_model_aids_are_shown_when_on_and_absent_when_off(titanic, titanic_sandbox, tmp_path, on):
    """The default preset's aids: the data schema, the metric and the worked example in the task message,
    and a traceback's failing line (of a script in the workspace, or of a cell) leading its observation.
    `aids=false` gives CodeAct's own messages."""
    sb = titanic_sandbox
    script = f"{sb.paths.code}/train.py"
    replies = [editor("create", script, file_text=CRASH.format(data=sb.paths.data)),
               bash(f"cd {sb.paths.code} && python train.py"),
               ipython("import pandas as pd\nframe = pd.DataFrame({'a': [1]})\nframe['coop'].sum()")]
    run_dir = tmp_path / "run"
    _, requests = run_agent(sb, task_for(titanic, sb, steps=3), run_dir, replies, overrides=[f"aids={str(on).lower()}"])
    task_message = requests[0]["messages"][1]["content"]
    assert ("The data files, as the harness read them" in task_message) is on
    assert ("header exactly `PassengerId,Survived`" in task_message) is on
    assert ("scored with the metric `accuracy`" in task_message) is on
    assert ('ID, TARGET = "PassengerId", "Survived"\n      NUMERIC = [' in task_message) is on  # aids.task_lines
    assert ("solves a different, made-up task" in task_message) is on and ("egg_id" in task_message) is on
    assert ("Reply now with your version of this script in one execute_ipython_cell call" in task_message) is on
    _, ran, cell = (t["observation"]["text"] for t in turns(run_dir))
    assert "KeyError" in ran and "KeyError" in cell
    assert ran.startswith("Fix this first:\nThe script stopped at line 4: `print(train[\"Fares\"].mean())`\n"
                          "with KeyError: 'Fares'\nUsual cause: a column or key") is on
    assert ("The data has no column `Fares`; the closest is `Fare`." in ran) is on  # read from the host's data
    assert cell.startswith("Fix this first:\nThe script stopped at line 3: `frame['coop'].sum()`\n"
                           "with KeyError: 'coop'") is on
    # aids.task_lines: the worked example's column, answered with this data's lines
    assert ("`coop` is a column of the worked example's made-up data, not of this data. Replace" in cell) is on
    assert ('\n      ID, TARGET = "PassengerId", "Survived"\n      NUMERIC = [' in cell) is on
    assert cell.endswith("send this whole cell again as a new cell, with the error fixed. A cell is not saved "
                         "in any\nfile, so no shell command can run it.]") is on
    assert "send this whole cell again" not in ran  # a script in a file is fixed in its file
