"""Unit tests of AIDE's pure parts: metric order, journal, search policy, config, parsing, preview, HTML."""

from __future__ import annotations

import json
import random
from dataclasses import fields as dataclass_fields
from pathlib import Path

import pandas as pd
import pytest

from scaffolds.aide import prompts
from scaffolds.aide.config import AideConfig, ConfigError, SearchConfig, load_config, parse_override
from scaffolds.aide.journal import Journal, Node
from scaffolds.aide.metric import MetricValue
from scaffolds.aide.preview import data_preview
from scaffolds.aide.response import exception_type, extract_code, extract_plan, trim_output
from scaffolds.aide.review import parse_review, to_float
from scaffolds.aide.search import choose_parent, debuggable_nodes, step_rng
from scaffolds.aide.tree_html import render_tree_html


REPO = Path(__file__).resolve().parents[2]


def node(step, metric=None, buggy=False, parent=None, depth=0, plan="p", analysis="a"):
    return Node(id=f"n{step}", step=step, stage="draft" if parent is None else ("debug" if depth else "improve"),
                parent_id=parent, metric=metric, is_buggy=buggy, debug_depth=depth, plan=plan, analysis=analysis)


# ---- metric ---------------------------------------------------------------------------------
def test_metric_orders_by_better_not_larger():
    assert MetricValue(0.1, maximize=False) > MetricValue(0.5, maximize=False)
    assert MetricValue(0.9, maximize=True) > MetricValue(0.5, maximize=True)
    assert max([MetricValue(3.0, False), MetricValue(1.0, False), MetricValue(2.0, False)]).value == 1.0


def test_missing_or_nan_metric_ranks_worst():
    assert MetricValue(None, True) < MetricValue(-1e9, True)
    assert MetricValue(float("nan"), False).value is None
    assert MetricValue(None, False) < MetricValue(1e9, False)


def test_mixed_directions_refuse_to_compare():
    with pytest.raises(ValueError):
        _ = MetricValue(1.0, True) < MetricValue(2.0, False)


# ---- journal --------------------------------------------------------------------------------
def test_best_node_uses_run_direction_and_skips_buggy():
    j = Journal(nodes=[node(0, 0.3), node(1, 0.1), node(2, 0.05, buggy=True)], maximize=False)
    assert j.best_node().id == "n1"
    j.maximize = True
    assert j.best_node().id == "n0"


def test_journal_round_trips_through_json():
    j = Journal(nodes=[node(0, 0.3), node(1, None, buggy=True, parent="n0", depth=1)], maximize=True,
                direction_source="task", elapsed_s=12.5, sessions=2)
    j.nodes[0].usage.add(100, 20, 0.01, 1.5)
    j.nodes[0].timing.step_s = 3.0
    back = Journal.from_dict(json.loads(json.dumps(j.to_dict())))
    assert back.to_dict() == j.to_dict()
    assert back.nodes[0].usage.tokens == 120


def test_memory_is_bounded_by_token_budget_and_keeps_the_best():
    nodes = [node(i, metric=i / 100, plan="word " * 50, analysis="x " * 20) for i in range(60)]
    j = Journal(nodes=nodes, maximize=True)
    count = lambda text: len(text.split())  # noqa: E731
    memory = j.memory(count, budget_tokens=400)
    assert count(memory) <= 400 + 20
    assert "0.59" in memory  # the best node is kept
    assert "omitted" in memory
    full = j.memory(count, budget_tokens=10**6)
    assert "omitted" not in full and full.count("Plan:") == 60


# ---- search ---------------------------------------------------------------------------------
def test_search_drafts_first_then_improves_best():
    cfg = SearchConfig(num_drafts=2, debug_prob=0.0, max_debug_depth=3)
    j = Journal(maximize=True)
    assert choose_parent(j, cfg, random.Random(0)) is None
    j.nodes = [node(0, 0.5)]
    assert choose_parent(j, cfg, random.Random(0)) is None
    j.nodes.append(node(1, 0.7))
    assert choose_parent(j, cfg, random.Random(0)).id == "n1"


def test_search_debugs_only_buggy_leaves_within_depth():
    cfg = SearchConfig(num_drafts=1, debug_prob=1.0, max_debug_depth=1)
    j = Journal(nodes=[node(0, buggy=True), node(1, buggy=True, parent="n0", depth=1),
                       node(2, buggy=True, parent="n1", depth=2), node(3, 0.4)], maximize=True)
    # n0 and n1 have children; n2 is too deep -> nothing to debug -> improve the best working node
    assert debuggable_nodes(j, 1) == []
    assert choose_parent(j, cfg, random.Random(0)).id == "n3"
    j.nodes.append(node(4, buggy=True))
    assert choose_parent(j, cfg, random.Random(0)).id == "n4"


def test_search_falls_back_to_drafting_when_nothing_works():
    cfg = SearchConfig(num_drafts=1, debug_prob=0.0, max_debug_depth=3)
    j = Journal(nodes=[node(0, buggy=True)], maximize=True)
    assert choose_parent(j, cfg, random.Random(0)) is None


def test_step_rng_is_seeded_per_step():
    assert step_rng(1, 5).random() == step_rng(1, 5).random()
    assert step_rng(1, 5).random() != step_rng(2, 5).random()


# ---- config ---------------------------------------------------------------------------------
def test_presets_load_and_mlebench_matches_the_paper_setting():
    cfg = load_config("mlebench")
    assert (cfg.steps, cfg.time_limit_s, cfg.exec.timeout_s) == (500, 86400.0, 32400.0)
    assert (cfg.search.debug_prob, cfg.search.max_debug_depth) == (1.0, 20)
    assert cfg.feedback.model.startswith("gpt-4o")
    assert isinstance(load_config("default"), AideConfig)


def test_config_file_and_overrides_merge_in_order(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text("steps: 3\nsearch: {num_drafts: 1}\n")
    cfg = load_config("default", f, [parse_override("steps=7"), parse_override("exec.timeout_s=2m")])
    assert cfg.steps == 7 and cfg.search.num_drafts == 1 and cfg.exec.timeout_s == 120.0


@pytest.mark.parametrize("override, fragment", [
    ("search.debug_prob=2", "debug_prob"),
    ("steps=many", "steps"),
    ("serch.debug_prob=1", "serch"),
    ("exec.timeout_s=soon", "duration"),
    ("nonsense", "key.sub=value"),
])
def test_bad_config_values_get_clear_errors(override, fragment):
    with pytest.raises(ConfigError, match=fragment):
        load_config("default", None, [parse_override(override)])


def test_unknown_preset_lists_the_available_ones():
    with pytest.raises(ConfigError, match="mlebench"):
        load_config("nope")


# ---- reply parsing --------------------------------------------------------------------------
def test_plan_and_code_extraction():
    reply = "I will fit a model.\n\n```python\nimport os\nprint(1)\n```\nthanks"
    assert extract_plan(reply) == "I will fit a model."
    assert extract_code(reply) == "import os\nprint(1)"


def test_code_extraction_joins_valid_blocks_and_keeps_a_broken_one_when_alone():
    two = "a\n```python\nx = 1\n```\nb\n```\nprint(x)\n```"
    assert extract_code(two) == "x = 1\n\nprint(x)"
    assert extract_code("```python\ndef f(:\n```") == "def f(:"
    assert extract_code("no code here") == ""
    assert extract_code("```bash\npip install x\n```") == ""
    assert extract_code("```python\nprint('unterminated')") == "print('unterminated')"


def test_trim_output_keeps_head_and_tail_like_aide():
    text = "A" * 3000 + "B" * 3000
    out = trim_output(text, 5100, 2500)
    assert out.startswith("A" * 2500) and out.endswith("B" * 2500) and "1000 characters" in out
    assert trim_output("short", 5100, 2500) == "short"


def test_exception_type_from_traceback():
    out = "hi\nTraceback (most recent call last):\n  File x\nKeyError: 'Age'\n"
    assert exception_type(out) == "KeyError"
    assert exception_type("all fine") is None


# ---- review parsing -------------------------------------------------------------------------
@pytest.mark.parametrize("metric, expected", [(1, 1.0), (0.83, 0.83), ("0.75", 0.75), ("accuracy: 0.8", 0.8),
                                              (None, None), ("N/A", None), ("nan", None), (True, None),
                                              ("0,85", None), ("top-5 accuracy 0.8", None), ("85%", None),
                                              ("1,234.5", None), ("-0.25", -0.25), ("1e-3", 0.001)])
def test_review_metric_coercion(metric, expected):
    r = parse_review({"is_bug": False, "summary": "s", "metric": metric, "lower_is_better": False,
                      "has_csv_submission": True})
    assert r.metric == expected and r.usable


def test_ambiguous_metric_text_is_no_metric_and_aide_mode_takes_only_floats():
    # "0,85" read as 85, "top-5 accuracy 0.8" as -5 and "85%" as 0.85 beside nodes that said 85: all refused
    for text in ("0,85", "top-5 accuracy 0.8", "85%"):
        assert to_float(text) is None, text
    assert to_float(1, lenient=False) is None and to_float("0.8", lenient=False) is None
    assert to_float(0.8, lenient=False) == 0.8


def test_review_from_json_text_and_from_prose():
    r = parse_review(None, 'Sure: {"is_bug": "false", "summary": "ok", "metric": "0.9", "lower_is_better": "no"}')
    assert (r.is_bug, r.metric, r.lower_is_better, r.usable) == (False, 0.9, False, True)
    prose = parse_review(None, "The run looks good, accuracy about 0.8.")
    assert not prose.usable and prose.is_bug and prose.metric is None
    no_verdict = parse_review({"summary": "fine", "metric": 0.8})
    assert not no_verdict.usable and no_verdict.metric is None


# ---- prompts --------------------------------------------------------------------------------
def ctx(neutral=False):
    return prompts.PromptContext(task_text="Predict y.", data_dir="/home/data",
                                 submission_path="/home/submission/submission.csv", working_dir="/home/working",
                                 timeout="5 minutes", time_remaining="20 minutes",
                                 steps_remaining=7, k_fold=5, packages=["numpy", "pandas"], neutral=neutral)


def parts(memory="", preview=""):
    return prompts.PromptParts("Predict y.", memory, preview)


def test_prompts_render_sections_with_facts():
    p = prompts.draft_prompt(ctx(), parts("Plan: x", "train.csv (10 lines)"))
    assert p.system.startswith("# Introduction")
    for fragment in ("# Task description", "# Memory", "# Instructions", "## Response format",
                     "## Implementation guideline", "# Data overview", "/home/submission/submission.csv",
                     "20 minutes", "steps left: 7", "5-fold", "numpy, pandas"):
        assert fragment in p.user or fragment in p.system, fragment
    assert "${" not in p.user


def test_improve_has_code_and_no_preview_debug_has_output_and_no_memory():
    imp = prompts.improve_prompt(ctx(), parts("mem"), "print(1)")
    assert "# Previous solution" in imp.user and "# Data overview" not in imp.user
    dbg = prompts.debug_prompt(ctx(), parts(preview="preview"), "print(1)", "KeyError")
    assert "KeyError" in dbg.user and "# Memory" not in dbg.user and "# Data overview" in dbg.user


def test_package_probe_lists_only_importable_packages(tmp_path):
    import json
    import subprocess
    import sys

    script = tmp_path / "probe.py"
    script.write_text(prompts.package_probe_script())
    found = json.loads(subprocess.run([sys.executable, str(script)], capture_output=True, text=True).stdout)
    assert "numpy" in found and "scikit-learn" in found
    assert set(found) <= set(prompts.templates()["package_candidates"])
    shuffled = prompts.shuffled_packages(found, random.Random(1))
    assert sorted(shuffled) == sorted(found)


def test_obfuscated_mode_drops_kaggle_framing():
    for op in (prompts.draft_prompt(ctx(True), parts(preview="x")),
               prompts.review_prompt(ctx(True), parts(), "c", "o", "ok")):
        assert "kaggle" not in (op.system + op.user).lower()
    assert "Kaggle" in prompts.draft_prompt(ctx(False), parts(preview="x")).system


# ---- data preview ---------------------------------------------------------------------------
def test_data_preview_describes_csv_columns_and_is_bounded(tmp_path):
    pd.DataFrame({"id": range(50), "age": [float(i) for i in range(50)], "sex": ["m", "f"] * 25}).to_csv(
        tmp_path / "train.csv", index=False)
    (tmp_path / "notes.txt").write_text("read me\n")
    (tmp_path / "meta.json").write_text('{"k": [{"a": 1}]}')
    text = data_preview(tmp_path, 6000)
    assert "train.csv has 50 rows and 3 columns" in text and "sex" in text and "[f, m]" in text
    assert "read me" in text and '"a": "int"' in text
    wide = pd.DataFrame({f"col{i}": range(300) for i in range(80)})
    wide.to_csv(tmp_path / "wide.csv", index=False)
    small = data_preview(tmp_path, 1500)
    assert len(small) <= 1500 and "Columns: col0" in small  # simple mode


# ---- tree HTML ------------------------------------------------------------------------------
def test_tree_html_is_self_contained_and_has_every_node():
    j = Journal(nodes=[node(0, 0.3), node(1, buggy=True, parent="n0", depth=1), node(2, 0.5, parent="n0"),
                       node(3, None, buggy=True, plan="</script><b>x</b>")], maximize=True)
    page = render_tree_html(j)
    assert page.count("<circle") == 4
    for n in j.nodes:
        assert f'data-id="{n.id}"' in page
    assert "http://" not in page and "https://" not in page
    assert page.count("</script>") == 2  # the plan's tag is escaped inside the JSON block


def test_tree_html_handles_a_chain_deeper_than_the_recursion_limit():
    chain = [node(0, 0.1)] + [node(i, 0.1 + i / 10000, parent=f"n{i - 1}") for i in range(1, 1500)]
    page = render_tree_html(Journal(nodes=chain, maximize=True))
    assert page.count("<circle") == 1500


# ---- review verdicts, debug diagnosis, kills ----------------------------------------------
def test_review_prompt_states_the_competition_metric_and_asks_if_the_figure_is_it():
    from scaffolds.aide.review import review_parameters

    checked = prompts.PromptContext(**{**ctx().__dict__, "metric_name": "accuracy", "lower_is_better": False})
    p = prompts.review_prompt(checked, parts(), "print(1)", "Validation score: 0.8", "a submission file was written")
    assert "# Competition metric" in p.user and "scored with accuracy, where higher is better" in p.user
    assert "is_competition_metric" in p.user
    assert "is_competition_metric" in review_parameters(True)["properties"]
    assert "is_competition_metric" not in review_parameters(False)["properties"]
    unchecked = prompts.review_prompt(ctx(), parts(), "print(1)", "out", None)
    assert "Competition metric" not in unchecked.user and "File check" not in unchecked.user


def test_a_contradicting_direction_or_metric_is_a_bug_reason():
    from scaffolds.aide.review import NOT_THE_METRIC, REVIEW_UNUSABLE, Review, bug_reasons

    ok = Node(id="a", step=0, stage="draft", code="x", has_submission=True, submission_valid=True)
    kw = {"validate_submission": True, "check_metric": True}
    fine = Review(False, "good", 0.8, False, True, is_competition_metric=True)
    assert bug_reasons(ok, fine, run_maximize=True, **kw) == []
    flipped = Review(False, "good", 0.8, True, True)
    assert bug_reasons(ok, flipped, run_maximize=True, **kw) == [NOT_THE_METRIC]
    assert bug_reasons(ok, flipped, run_maximize=None, **kw) == []  # direction unknown: nothing to contradict
    other = Review(False, "good", 0.99, False, True, is_competition_metric=False)
    assert bug_reasons(ok, other, run_maximize=True, **kw) == [NOT_THE_METRIC]
    assert bug_reasons(ok, other, run_maximize=True, validate_submission=True, check_metric=False) == []
    unusable = Review(True, "prose", None, None, None, usable=False)
    assert bug_reasons(ok, unusable, run_maximize=True, **kw) == [REVIEW_UNUSABLE]


def test_debug_prompt_says_why_the_node_was_buggy():
    why = ["the script failed (MemoryError)", "no submission.csv was written"]
    p = prompts.debug_prompt(ctx(), parts(), "x = 1", "boom", why, "It ran out of memory while loading.")
    assert "Why this solution was judged buggy:\n- the script failed (MemoryError)" in p.user
    assert "It ran out of memory while loading." in p.user
    plain = prompts.debug_prompt(ctx(), parts(), "x = 1", "boom")
    assert "judged buggy" not in plain.user


@pytest.mark.parametrize("reason, fragment", [("memory", "ran out of memory"), ("pids", "too many processes"),
                                              ("file_size", "a file larger"), ("wall_time", "total time ran out"),
                                              ("kernel_died", "(kernel_died)")])
def test_sandbox_kills_are_named_in_the_footer(reason, fragment):
    footer = prompts.exec_footer(reason, reason == "wall_time", 12.3, 300, explain=True)
    assert fragment in footer and "Execution time" not in footer
    assert prompts.exec_footer(None, True, 300.0, 300, explain=True).endswith("time limit of 5 minutes.")
    assert prompts.exec_footer(reason, False, 12.3, 300, explain=False).startswith("Execution time: 12.3 seconds")


# ---- shrinking a prompt over the context window ---------------------------------------------
def test_shrinking_cuts_memory_then_preview_then_task_never_instructions():
    p = prompts.PromptParts(task_text="T" * 8000, memory="M" * 3000, preview="P" * 2000)
    seen = []
    while p is not None:
        seen.append((len(p.memory), len(p.preview), len(p.task_text)))
        p = prompts.shrink(p)
    memory_gone = next(i for i, s in enumerate(seen) if s[0] == 0)
    preview_gone = next(i for i, s in enumerate(seen) if s[1] == 0)
    task_cut = next(i for i, s in enumerate(seen) if s[2] < 8000)
    assert memory_gone < preview_gone < task_cut
    assert all(s[1] == 2000 for s in seen[:memory_gone]) and all(s[2] == 8000 for s in seen[:preview_gone])
    assert seen[-1][2] >= prompts.MIN_TASK_CHARS
    small = prompts.draft_prompt(ctx(), prompts.PromptParts("T" * 1500))
    assert "/home/submission/submission.csv" in small.user  # instructions are not part of what is cut


# ---- deviations from MLE-bench's AIDE ---------------------------------------------------------
def test_mlebench_preset_lists_every_difference_with_its_switch():
    from scaffolds.aide import deviations
    from scaffolds.aide.config import PRESET_DIR

    text = (PRESET_DIR / "mlebench.yaml").read_text()
    for d in deviations.DEVIATIONS:
        key = d.switch.rsplit(".", 1)[-1] if d.switch else d.name
        assert key in text, d.name
    cfg = load_config("mlebench")
    switches = [d for d in deviations.DEVIATIONS if d.switch.startswith("deviations.")]
    assert len(switches) == len(dataclass_fields(cfg.deviations)) and all(d.active(cfg) for d in switches)


def test_one_setting_runs_aide_as_mlebench_ran_it():
    from scaffolds.aide import deviations

    cfg = load_config("mlebench", None, [parse_override("deviations=false")])
    assert not any(getattr(cfg.deviations, f.name) for f in dataclass_fields(cfg.deviations))
    header = deviations.config_header(cfg)
    assert "validate_submission]: off (as MLE-bench)" in header and "isolated scripts [no switch]: ACTIVE" in header
    one = load_config("mlebench", None, [parse_override("deviations.bounded_memory=false")])
    assert not one.deviations.bounded_memory and one.deviations.validate_submission
    import yaml

    back = load_config("default", None, [yaml.safe_load(header + cfg.to_yaml())])
    assert back == cfg  # the config.yaml a run writes loads back (the list is YAML comments)


def test_memory_without_bound_is_every_good_node_in_journal_order():
    j = Journal(nodes=[node(0, 0.3, plan="first"), node(1, 0.9, plan="second"), node(2, None, buggy=True)],
                maximize=True)
    full = j.memory(lambda t: len(t.split()), None)
    assert full.index("first") < full.index("second") and "omitted" not in full
    bounded = j.memory(lambda t: len(t.split()), 1000)
    assert bounded.index("second") < bounded.index("first")  # best first


# ---- options: preset -> overrides -> models -> limits ---------------------------------------
class FakeLLM:
    def __init__(self, model, temperature=None, max_tokens=None):
        self.model, self.temperature = model, temperature
        self.derived = {}

    def derive(self, **changes):
        twin = FakeLLM(self.model, self.temperature)
        twin.derived = changes
        return twin


def test_from_options_resolves_in_order_and_user_limits_win():
    from scaffolds.aide.agent import AideAgent
    from scaffolds.core.agent import AgentOptions, ConfigurableAgent
    from scaffolds.core.task import TaskLimits

    made = []

    def make_llm(model, temperature=None, max_tokens=None):
        made.append((model, temperature))
        return FakeLLM(model, temperature)

    options = AgentOptions(preset="mlebench", overrides=("steps=40", "code.model=ignored", "exec.timeout_s=2h"),
                           models={"main": "openai/coder"}, limits=TaskLimits(max_steps=12, max_llm_calls=99),
                           make_llm=make_llm, seed=7)
    agent = AideAgent.from_options(options)
    assert isinstance(agent, ConfigurableAgent)
    cfg = agent.config
    assert (cfg.code.model, cfg.feedback.model) == ("openai/coder", "openai/coder")  # reviewer follows
    assert (cfg.steps, cfg.exec.timeout_s, cfg.time_limit_s, cfg.seed) == (12, 7200.0, 86400.0, 7)
    assert agent.limits == TaskLimits(wall_time_s=86400.0, max_steps=12, max_llm_calls=99, action_timeout_s=7200.0)
    assert made == [("openai/coder", 0.5)]  # same model and temperature: one LLM for both roles
    assert agent.main_llm.derived == {"retry_for_s": 3600.0, "replay_match": "lenient", "constrain_tools": False}
    assert agent.config_dict()["steps"] == 12 and agent.config_dict()["differences_from_mlebench"]

    made.clear()
    two = AideAgent.from_options(AgentOptions(models={"main": "openai/a", "feedback": "openai/b"}, make_llm=make_llm,
                                              limits=TaskLimits(wall_time_s=60, action_timeout_s=30)))
    assert made == [("openai/a", 0.2), ("openai/b", 0.1)] and two.feedback_llm.model == "openai/b"
    assert (two.config.time_limit_s, two.config.exec.timeout_s, two.config.steps) == (60.0, 30.0, 20)
    assert two.feedback_llm.derived["constrain_tools"] is True  # the default preset's aids.json_review


def test_feedback_keeps_its_own_model_when_the_preset_has_one():
    from scaffolds.aide.options import resolve
    from scaffolds.core.agent import AgentOptions

    cfg, _ = resolve(AgentOptions(overrides=("feedback.model=openai/judge",), models={"main": "openai/coder"}))
    assert (cfg.code.model, cfg.feedback.model) == ("openai/coder", "openai/coder")  # models win over overrides
    cfg, _ = resolve(AgentOptions(preset="default", models={"main": "openai/coder", "feedback": "openai/judge"}))
    assert cfg.feedback.model == "openai/judge"


# ---- journal files: versions, corruption, missing dirs, locks ---------------------------------
def _rd(tmp_path):
    from scaffolds.core.rundir import RunDir

    return RunDir(tmp_path / "run")


def test_resume_errors_are_one_actionable_line(tmp_path):
    from scaffolds.aide.resume import ResumeError, open_journal

    rd = _rd(tmp_path)
    cases = []
    with pytest.raises(ResumeError) as info:
        open_journal(rd, resume=True)
    cases.append((info.value, "no such directory"))
    rd.root.mkdir()
    with pytest.raises(ResumeError) as info:
        open_journal(rd, resume=True)
    cases.append((info.value, "holds no journal.json"))
    rd.journal.write_text('{"version": 1, "nodes": []}')
    with pytest.raises(ResumeError) as info:
        open_journal(rd, resume=True)
    cases.append((info.value, "journal format 1 but this mle-suite reads format 2"))
    rd.journal.write_text('{"version": 2, "nodes": [')
    with pytest.raises(ResumeError) as info:
        open_journal(rd, resume=True)
    cases.append((info.value, "is corrupt (not valid JSON"))
    rd.journal.write_text('{"version": 2, "nodes": [{"id": "x"}]}')
    with pytest.raises(ResumeError) as info:
        open_journal(rd, resume=True)
    cases.append((info.value, "is corrupt (TypeError"))
    with pytest.raises(ResumeError) as info:
        open_journal(rd, resume=False)
    cases.append((info.value, "continue it with --resume"))
    for exc, fragment in cases:
        text = str(exc)
        assert fragment in text and "\n" not in text, text
        assert any(word in text for word in ("start a new run", "check", "--resume")), text


def test_run_lock_is_exclusive_between_processes_and_reentrant_within_one(tmp_path):
    import subprocess
    import sys

    from scaffolds.core.rundir import RunLock

    root = tmp_path / "run"
    with RunLock(root), RunLock(root):  # the runner and then the agent, in one process
        code = ("import sys; from scaffolds.core.rundir import RunLock, RunDirBusy\n"
                f"try:\n    RunLock({str(root)!r}).acquire()\nexcept RunDirBusy as e:\n    print(e); sys.exit(3)\n")
        other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
        assert other.returncode == 3 and "in use by another process" in other.stdout
    free = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert free.returncode == 0, free.stdout + free.stderr
    lock = RunLock(root)
    lock.acquire()
    lock.release()


def test_node_ids_follow_seed_step_and_attempt():
    assert Node.make_id(0, 3, 0) == Node.make_id(0, 3, 0)
    assert len({Node.make_id(0, 3, 0), Node.make_id(1, 3, 0), Node.make_id(0, 4, 0), Node.make_id(0, 3, 1)}) == 4
