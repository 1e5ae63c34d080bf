"""Parts of CodeAct on their own: the text-tag parser, the editor on a real sandbox, the config and the
runner-facing side (from_options, limits, registry), the trajectory file."""

from __future__ import annotations

import json

import pytest

from scaffolds.core.aids import AidSwitches
from scaffolds.aide.config import ConfigError
from scaffolds.core.agent import AgentOptions, ConfigurableAgent, get_agent_class
from scaffolds.core.llm import LLM
from scaffolds.core.task import TaskLimits
from scaffolds.openhands.actions import parse_tags
from scaffolds.openhands.agent import CodeActAgent, choose_mode
from scaffolds.openhands.config import load_config
from scaffolds.openhands.editor import Editor, EditorError
from scaffolds.openhands.trajectory import Trajectory, TrajectoryError


# ---- text tags -----------------------------------------------------------------------------------
@pytest.mark.parametrize("reply, tool, arg, kept", [
    ("Look first.\n<execute_bash>\nls\n</execute_bash>\nOBSERVATION: invented", "execute_bash", "ls",
     "Look first.\n<execute_bash>\nls\n</execute_bash>"),
    ("<execute_ipython>\nprint(1)", "execute_ipython_cell", "print(1)", "<execute_ipython>\nprint(1)</execute_ipython>"),
    # CodeAct's stop words end generation at the first closing tag: a later block was never sent
    ("<execute_ipython>a=1</execute_ipython> then <execute_bash>ls</execute_bash>", "execute_ipython_cell", "a=1",
     "<execute_ipython>a=1</execute_ipython>"),
    ("<execute_bash>ls</execute_bash> and finally <finish></finish>", "execute_bash", "ls",
     "<execute_bash>ls</execute_bash>"),
    ("<execute_bash>\nexit\n</execute_bash>", "finish", None, "<execute_bash>\nexit\n</execute_bash>"),
    ("Could you tell me which metric to use?", "message", None, "Could you tell me which metric to use?"),
    # a block that holds nothing but another block is that block: CodeAct looked for <finish> first
    ("<execute_ipython>\n<finish></finish></execute_ipython>", "finish", None,
     "<execute_ipython>\n<finish></finish></execute_ipython>"),
    ("<execute_ipython><execute_bash>ls</execute_bash></execute_ipython>", "execute_bash", "ls",
     "<execute_ipython><execute_bash>ls</execute_bash></execute_ipython>"),
    ("<execute_ipython>print('<finish></finish>')</execute_ipython>", "execute_ipython_cell",
     "print('<finish></finish>')", "<execute_ipython>print('<finish></finish>')</execute_ipython>"),
])
def test_text_tags_follow_codeact_1_8(reply, tool, arg, kept):
    action, history = parse_tags(reply)
    assert action.tool == tool and history == kept
    if arg is not None:
        assert next(iter(action.args.values())) == arg


# ---- editor --------------------------------------------------------------------------------------
@pytest.fixture
def editor(titanic_sandbox) -> Editor:
    return Editor(titanic_sandbox, view_max_chars=2000, max_file_mb=0.01)


def test_editor_create_view_replace_insert_undo(editor, titanic_sandbox):
    path = f"{titanic_sandbox.paths.code}/a.py"
    run = editor.run
    assert "Created" in run({"command": "create", "path": path, "file_text": "a = 1\nb = 2\nc = 3\n"})
    with pytest.raises(EditorError, match="already exists"):
        run({"command": "create", "path": path, "file_text": "x"})
    assert "     2\tb = 2" in run({"command": "view", "path": path, "view_range": [2, 2]})
    edited = run({"command": "str_replace", "path": path, "old_str": "b = 2", "new_str": "b = 20"})
    assert "     2\tb = 20" in edited
    assert "     1\t# top" in run({"command": "insert", "path": path, "insert_line": 0, "new_str": "# top"})
    assert titanic_sandbox.read_file(path) == "# top\na = 1\nb = 20\nc = 3\n"
    run({"command": "undo_edit", "path": path})
    run({"command": "undo_edit", "path": path})
    assert titanic_sandbox.read_file(path) == "a = 1\nb = 2\nc = 3\n"
    with pytest.raises(EditorError, match="no edit"):
        run({"command": "undo_edit", "path": path})


def test_editor_refusals_explain_what_to_do(editor, titanic_sandbox):
    code, data = titanic_sandbox.paths.code, titanic_sandbox.paths.data
    titanic_sandbox.write_file(f"{code}/dup.py", "x = 1\nx = 1\n")
    cases = [
        ({"command": "view", "path": "code/dup.py"}, "must be absolute"),
        ({"command": "view", "path": f"{code}/../data"}, "'..'"),
        ({"command": "view", "path": f"{code}/missing.py"}, "does not exist"),
        ({"command": "str_replace", "path": f"{code}/dup.py", "old_str": "x = 1", "new_str": "y"}, "occurs 2 times"),
        ({"command": "str_replace", "path": f"{code}/dup.py", "old_str": "zzz", "new_str": "y"}, "does not occur"),
        ({"command": "insert", "path": f"{code}/dup.py", "insert_line": 9, "new_str": "y"}, "from 0 to 3"),
        ({"command": "view", "path": f"{code}/dup.py", "view_range": [3, 1]}, "before its start"),
        ({"command": "view", "path": f"{data}/train.csv"}, "too big for the editor"),
        ({"command": "create", "path": f"{data}/new.csv", "file_text": "a"}, "read-only"),
        ({"command": "delete", "path": f"{code}/dup.py"}, "unknown command"),
    ]
    for args, message in cases:
        with pytest.raises(EditorError, match=message):
            editor.run(args)


def test_editor_never_follows_a_planted_link_out(editor, titanic_sandbox):
    titanic_sandbox.shell.run(f"ln -s /etc/passwd {titanic_sandbox.paths.code}/link")
    with pytest.raises(EditorError):
        editor.run({"command": "str_replace", "path": f"{titanic_sandbox.paths.code}/link", "old_str": "root",
                    "new_str": "x"})


def test_editor_lists_a_directory_two_levels_deep(editor, titanic_sandbox):
    titanic_sandbox.write_file(f"{titanic_sandbox.paths.code}/pkg/mod.py", "")
    titanic_sandbox.write_file(f"{titanic_sandbox.paths.code}/.hidden", "")
    listing = editor.run({"command": "view", "path": titanic_sandbox.paths.home})
    assert f"{titanic_sandbox.paths.code}/pkg/" in listing and ".hidden" not in listing
    assert f"{titanic_sandbox.paths.data}/train.csv" in listing


# ---- config and the runner's side ----------------------------------------------------------------
def test_presets_and_overrides():
    assert load_config().main.model == "local"
    mle = load_config("mlebench")
    assert (mle.max_steps, mle.time_limit_s, mle.actions.bash_timeout_s) == (500, 86400.0, 86400.0)
    original = load_config("mlebench-original")
    assert original.max_steps == 500 and original.actions.function_calling == "tags"
    assert not any([original.fixes.refuse_early_finish, original.fixes.condense, original.fixes.cap_timeout_by_time_left,
                    original.fixes.limits_in_observations]) and original.fixes.stuck_detector == "original"
    assert load_config("default", ["actions.bash_timeout_s=10m"]).actions.bash_timeout_s == 600.0
    assert load_config("default", ["fixes.stuck_detector=off"]).fixes.stuck_detector == "off"
    with pytest.raises(ConfigError, match="unknown config key"):
        load_config("default", ["fixes.nope=1"])
    with pytest.raises(ConfigError, match="function_calling"):
        load_config("default", ["actions.function_calling=xml"])
    assert load_config("default").condenser.target_fraction == 0.45 and mle.condenser.target_fraction is None
    with pytest.raises(ConfigError, match="target_fraction must be null or in"):
        load_config("default", ["condenser.target_fraction=0.9"])  # above the trigger: it would never fit
    with pytest.raises(ConfigError, match="unknown preset"):
        load_config("fast")


def test_from_options_merges_user_limits_over_the_preset():
    made = []

    def make_llm(model, temperature=None, max_tokens=None):
        made.append((model, temperature, max_tokens))
        return LLM("openai/scripted", api_base="http://127.0.0.1:9/v1", price=(0, 0))

    options = AgentOptions(preset="mlebench", overrides=("condenser.summary_tokens=300",),
                           models={"main": "openai/x", "condenser": "openai/y"}, make_llm=make_llm,
                           limits=TaskLimits(max_steps=7, action_timeout_s=30.0), resume=True, seed=3)
    agent = CodeActAgent.from_options(options)
    assert isinstance(agent, ConfigurableAgent) and agent.resume and agent.config.seed == 3
    assert agent.limits.max_steps == 7 and agent.limits.action_timeout_s == 30.0
    assert agent.limits.wall_time_s == 86400.0  # not set by the user: the preset's
    assert made == [("openai/x", 0.0, None), ("openai/y", 0.0, 300)]
    assert agent.config_dict()["main"]["model"] == "openai/x"
    assert get_agent_class("openhands") is CodeActAgent


def test_mode_follows_the_model():
    cfg = load_config("default")
    assert choose_mode(cfg, LLM("openai/scripted", api_base="http://127.0.0.1:9/v1", price=(0, 0))) == "native"
    assert choose_mode(load_config("default", ["actions.function_calling=tags"]), None) == "tags"


def test_a_run_dir_with_a_run_is_not_overwritten(titanic, titanic_sandbox, tmp_path):
    from .conftest import task_for

    run_dir = tmp_path / "run"
    Trajectory(run_dir / "trajectory.jsonl").append("header", mode="native", messages=[])
    llm = LLM("openai/scripted", api_base="http://127.0.0.1:9/v1", price=(0, 0))
    with pytest.raises(ValueError, match="already holds a CodeAct run"):
        CodeActAgent(load_config()).run(task_for(titanic, titanic_sandbox), titanic_sandbox, llm, run_dir)
    assert len(Trajectory(run_dir / "trajectory.jsonl").records()) == 1


# ---- trajectory ----------------------------------------------------------------------------------
def test_trajectory_drops_a_torn_last_line_and_refuses_damage(tmp_path):
    traj = Trajectory(tmp_path / "t.jsonl")
    traj.append("header", mode="native")
    traj.append("turn", step=0)
    with open(traj.path, "a") as handle:
        handle.write('{"type": "turn", "step": 1, "obs')  # kill -9 during a write
    assert [r["type"] for r in traj.records()] == ["header", "turn"]
    traj.append("turn", step=1)
    assert [r.get("step") for r in traj.records()] == [None, 0, 1]
    lines = traj.path.read_text().splitlines()
    traj.path.write_text("\n".join([lines[0], "garbage", *lines[1:]]) + "\n")
    with pytest.raises(TrajectoryError, match="line 2"):
        traj.records()
    traj.path.write_text(json.dumps({"type": "header", "version": 99}) + "\n")
    with pytest.raises(TrajectoryError, match="version 99"):
        traj.records()


def test_the_first_tag_block_written_is_the_action_not_a_later_finish():
    # Seen with the embedded model: a bash block, then a <finish>. Generation would have stopped at the
    # bash block's closing tag, so the bash command is the action and the finish is cut away.
    from scaffolds.openhands.actions import parse_tags

    action, kept = parse_tags("Look first.\n<execute_bash>\nls /home/data\n</execute_bash>\nDone.\n<finish></finish>")
    assert action.tool == "execute_bash" and action.args == {"command": "ls /home/data"}
    assert kept.endswith("</execute_bash>") and "<finish>" not in kept


def test_aids_are_on_in_the_default_preset_only_and_switch_singly_or_together():
    assert load_config("default").aids == AidSwitches(True, True, True)
    assert load_config("mlebench").aids == load_config("mlebench-original").aids == AidSwitches()
    assert load_config("default", ["aids=false"]).aids == AidSwitches()
    assert load_config("default", ["aids.error_focus=false"]).aids == AidSwitches(True, True, False)
    assert load_config("mlebench", ["aids=true"]).aids == AidSwitches(True, True, True, task_lines=True)
    assert load_config("default", ["aids.task_lines=true"]).aids.shows_task_lines  # off in default until measured
