"""MLAB's parts without a sandbox: reply and Action Input parsing, the prompt, history, summaries,
edit extraction, config and roles, the trajectory file."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from scaffolds.core.agent import AgentOptions
from scaffolds.core.config import ConfigError
from scaffolds.core.llm import ChatResult, Usage
from scaffolds.core.task import TaskLimits
from scaffolds.mlab import prompts, trajectory
from scaffolds.mlab.agent import MlabAgent
from scaffolds.mlab.config import (
    Aids,
    load_config,
    parse_override,
    preset_names,
    resolve_roles,
)
from scaffolds.mlab.edits import (
    EditFailed,
    ask_for_code,
    backup_name,
    extract_complete_code,
)
from scaffolds.mlab.parsing import (
    FormatProblem,
    InputProblem,
    parse_action_input,
    parse_reply,
)
from scaffolds.mlab.summarize import file_blocks, summarize_observation, understand_file

TOOLS = ["List Files", "Execute Script", "Edit Script (AI)", "Final Answer"]


def reply(action="List Files", action_input='{"dir_path": "."}', bold=False) -> str:
    entries = {"Reflection": "nothing yet", "Research Plan and Status": "1. look at the data",
               "Fact Check": "none", "Thought": "list the files", "Action": action, "Action Input": action_input}
    fmt = "**{}:** {}" if bold else "{}: {}"
    return "\n".join(fmt.format(k, v) for k, v in entries.items())


def test_strict_parsing_needs_all_six_entries_and_an_exact_tool_name():
    parsed = parse_reply(reply() + "\nObservation: I imagine files", TOOLS, lenient=False)
    assert parsed.action == "List Files" and parsed.raw_input == '{"dir_path": "."}'
    assert parsed.entries["Research Plan and Status"].strip() == "1. look at the data"
    with pytest.raises(FormatProblem, match='"Fact Check:" is missing'):
        parse_reply(reply().replace("Fact Check:", "Facts:"), TOOLS, lenient=False)
    with pytest.raises(FormatProblem, match="not one of the tools"):
        parse_reply(reply(action="list files"), TOOLS, lenient=False)
    with pytest.raises(FormatProblem):
        parse_reply(reply(bold=True), TOOLS, lenient=False)


def test_lenient_parsing_accepts_markdown_and_case_around_names():
    parsed = parse_reply(reply(action="`execute script`", bold=True), TOOLS, lenient=True)
    assert parsed.action == "Execute Script"
    with pytest.raises(FormatProblem, match="'Run Shell' is not one of the tools; use one of: List Files"):
        parse_reply(reply(action="Run Shell"), TOOLS, lenient=True)


@pytest.mark.parametrize("raw, how", [
    ('{"script_name": "a.py", "edit_instruction": "x", "save_name": "a.py"}', "json"),
    ('```json\n{"script_name": "a.py", "edit_instruction": "match \\d+\nthen\tstop", "save_name": "a.py",}\n```',
     "sanitised"),
    ('{"script_name": "a.py", "edit_instruction": """say "hi" twice""", "save_name": "a.py"}', "sanitised"),
    ('{"script_name": "a.py", "edit_instruction": "say "hi" twice", "save_name": "a.py"}', "by_names"),
])
def test_action_input_is_read_as_json_then_sanitised_then_by_names(raw, how):
    args, method = parse_action_input(raw, ["script_name", "edit_instruction", "save_name"])
    assert method == how and args["script_name"] == "a.py" and args["save_name"] == "a.py"
    assert "hi" in args["edit_instruction"] or "\\d+" in args["edit_instruction"] or args["edit_instruction"] == "x"


def test_action_input_errors_say_what_is_wrong():
    with pytest.raises(InputProblem, match="missing save_name"):
        parse_action_input('{"script_name": "a.py", "edit_instruction": "x"}',
                           ["script_name", "edit_instruction", "save_name"])
    with pytest.raises(InputProblem, match="not valid JSON"):
        parse_action_input("run train.py please", ["script_name"])


def facts(**kw) -> prompts.PromptFacts:
    base = prompts.PromptFacts(problem="Predict survival.", home="/home", data="/home/data",
                               submission="/home/submission/submission.csv", time_limit_s=7200, step_limit=50,
                               execute_timeout_s=600.0, gate_final_answer=True, inspect_max_lines=100)
    return replace(base, **kw)


def test_prompt_shows_mlebench_tools_and_entries_and_hides_the_rest():
    text = prompts.research_prompt(facts())
    for name in prompts.SHOWN_ACTIONS:
        assert f"- {name}:\n" in text and f"Action: {name}\n" in text
    for hidden in ("Read File", "Write File", "Python REPL", "Edit Script Segment (AI)", "Reflection:\n"):
        assert f"- {hidden}" not in text
    assert text.index("Reflection: ") < text.index("Research Plan and Status: ") < text.index("Action Input: the")
    assert "2hrs 0mins 0secs" in text and "50 steps" in text and "0hrs 10mins 0secs" in text
    assert "refused unless /home/submission/submission.csv" in text
    faithful = prompts.research_prompt(facts(execute_timeout_s=None, gate_final_answer=False))
    assert "time limit (" not in faithful and "refused" not in faithful


def test_history_shows_the_last_steps_and_done_for_old_observations():
    steps = [prompts.ShownStep({"Action": f"a{i}"}, f"obs {i}") for i in range(3)]
    text = prompts.with_history("BASE", steps, first_shown=4, observation_steps=2)
    assert "Let's begin" not in text and text.count("Assistant:") == 3
    assert "Observation: <Done>" in text and "obs 0" not in text and "```\nobs 2\n```" in text
    assert "Let's begin!" in prompts.with_history("BASE", [], first_shown=0, observation_steps=3)
    assert prompts.limits_suffix(3725, 7) == "<TIME_REMAINING: 1hrs 2mins 5secs>\n<STEPS_REMAINING: 7>"


class FakeFast:
    def __init__(self):
        self.prompts = []

    def __call__(self, messages):
        self.prompts.append(messages[-1].content)
        return ChatResult(f"summary {len(self.prompts)}", (), Usage(1, 1), "fake", "stop")


def test_long_observation_is_summarised_in_capped_chunks_then_merged():
    fast = FakeFast()
    out = summarize_observation(fast, "Action: Execute Script", "x" * 2500, chunk_chars=1000, max_chunks=2)
    assert len(fast.prompts) == 3 and out == "summary 3"  # 2 chunks (third one dropped) + merge
    assert "WARNING" in fast.prompts[-1] and "character 1001 to character 2001" in fast.prompts[1]


def test_understand_file_reads_blocks_up_to_the_cap():
    fast = FakeFast()
    content = "\n".join(f"line {i} " + "y" * 50 for i in range(100))
    understand_file(fast, content, "the columns", block_chars=1000, max_blocks=2)
    assert len(fast.prompts) == 3 and "from line 1 " in fast.prompts[0] and "first 2 parts" in fast.prompts[2]
    blocks = file_blocks("a" * 250 + "\nb", 100)
    assert [(b.first_line, b.last_line, len(b.text)) for b in blocks] == [(1, 1, 100), (1, 1, 100), (1, 2, 52)]


def test_cut_off_edit_is_detected_and_asked_again():
    assert extract_complete_code("```python\nprint(1)\n```", "stop") == ("print(1)\n", False)
    assert extract_complete_code("```python\nprint(1)\nfor i in", "length") == (None, True)
    assert extract_complete_code("I would rather not.", "stop") == (None, False)
    replies = iter([ChatResult("```python\nimport os\nfor", (), Usage(1, 1), "m", "length"),
                    ChatResult("```python\nimport os\n```", (), Usage(1, 1), "m", "stop")])
    seen = []

    def ask(messages):
        seen.append(messages)
        return next(replies)

    assert ask_for_code(ask, "edit it", strict=True, retries=1) == "import os\n"
    assert "cut off" in seen[1][-1].content and seen[1][-2].content.endswith("for")
    cut = ChatResult("```python\nimport os\nfor", (), Usage(1, 1), "m", "length")
    with pytest.raises(EditFailed) as info:
        ask_for_code(lambda m: cut, "edit it", strict=True, retries=1)
    assert info.value.cut_off
    assert ask_for_code(lambda m: cut, "edit it", strict=False, retries=1) == "\nimport os\nfor"  # MLE-bench


def test_backup_names_sort_in_time_order():
    a, b = backup_name("code/train.py", 1700000000.25), backup_name("code/train.py", 1700000001.0)
    assert a.startswith("backup/code/train.py_2023-11-14_") and a < b


def test_presets_roles_and_limits():
    assert {"default", "mlebench", "mlebench-original"} <= set(preset_names())
    ml = load_config("mlebench")
    assert (ml.steps, ml.time_limit_s, ml.format_retries) == (2000, 86400.0, 10)
    assert ml.models.main.temperature == 1.0 and ml.models.main.max_tokens == 16384
    assert all(load_config("mlebench").fixes.__dict__.values())
    assert not any(load_config("mlebench-original").fixes.__dict__.values())
    roles = resolve_roles(ml, {"main": "m1", "feedback": "m2", "fast": "m3"})
    assert (roles["main"].model, roles["edit"].model, roles["fast"].model) == ("m1", "m2", "m3")
    assert resolve_roles(ml, {"main": "m1"})["edit"].model == "m1"
    with pytest.raises(ConfigError, match="unknown model role 'critic'"):
        resolve_roles(ml, {"critic": "x"})
    with pytest.raises(ConfigError, match="format_retries"):
        load_config("default", overrides=[parse_override("format_retries=0")])


def test_from_options_merges_user_limits_and_builds_one_llm_per_role():
    made = []

    def make_llm(model, temperature=None, max_tokens=None):
        made.append((model, temperature, max_tokens))
        return f"llm:{model}"

    options = AgentOptions(preset="mlebench", overrides=("actions.execute_timeout_s=2h",),
                           models={"main": "openai/a", "fast": "openai/b"}, seed=7,
                           limits=TaskLimits(max_steps=12, wall_time_s=600), make_llm=make_llm)
    agent = MlabAgent.from_options(options)
    assert agent.limits == TaskLimits(wall_time_s=600, max_steps=12, action_timeout_s=7200)
    assert agent.main_llm == "llm:openai/a" and agent.fast_llm == "llm:openai/b"
    assert made == [("openai/a", 1.0, 16384), ("openai/a", 0.2, 4000), ("openai/b", 0.01, 500)]
    cfg = agent.config_dict()
    assert cfg["seed"] == 7 and cfg["steps"] == 12 and cfg["models"]["edit"]["model"] == "openai/a"


def test_trajectory_drops_a_line_cut_by_a_crash_and_checks_the_format(tmp_path):
    path = tmp_path / trajectory.FILE_NAME
    writer = trajectory.Writer(path)
    writer.append(trajectory.header("c", {}, {}))
    writer.append({"type": "step", "step": 0})
    with open(path, "a") as handle:
        handle.write('{"type": "step", "step": 1, "obs')  # the crash
    loaded = trajectory.load(path)
    assert len(loaded.steps) == 1 and loaded.valid_bytes < path.stat().st_size
    trajectory.Writer(path, loaded.valid_bytes).append({"type": "step", "step": 1})
    assert [json.loads(line)["type"] for line in path.read_text().splitlines()] == ["header", "step", "step"]
    path.write_text(json.dumps({"type": "header", "format": "other", "version": 1}) + "\n")
    with pytest.raises(trajectory.TrajectoryError, match="not an mle-suite/mlab-trajectory v1 file"):
        trajectory.load(path)


def test_every_action_in_the_prompts_has_a_handler_with_the_same_arguments():
    import inspect

    from scaffolds.mlab.actions import Workbench

    bench = Workbench(None, load_config("default"), None, None, "")
    names = set(prompts.templates()["actions"])
    assert names == set(bench.handlers) | {"Final Answer"} and set(bench.names) == names
    for name, handler in bench.handlers.items():
        assert tuple(inspect.signature(handler).parameters) == prompts.arg_names(name), name


def test_aids_are_on_in_the_default_preset_only_and_switch_singly_or_together():
    assert load_config("default").aids == Aids(True, True, True, task_lines=True, example_reply=True)
    assert load_config("mlebench").aids == load_config("mlebench-original").aids == Aids()
    assert load_config("default", overrides=[parse_override("aids=false")]).aids == Aids()
    assert load_config("default", overrides=[parse_override("aids.worked_example=false")]).aids == \
        Aids(True, False, True, task_lines=True, example_reply=True)
