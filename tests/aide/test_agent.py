"""AIDE end to end with a scripted LLM (real HTTP on 127.0.0.1), a real sandbox and the real offline
Titanic competition: operators, bug detection, selection, limits, artifacts and grading."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from scaffolds.aide.agent import AideAgent
from scaffolds.aide.config import load_config, parse_override
from scaffolds.core.llm import LLM, Budget
from scaffolds.core.llm.testing import ScriptedServer
from scaffolds.core.rundir import RunDir

from .conftest import make_task
from .scripted import aide_rule


def run_aide(titanic, open_sandbox, tmp_path, plan, *, steps, overrides=(), flip_at=frozenset(),
             budget=None, lower_is_better=False):
    cfg = load_config("default", None, [parse_override(o) for o in ("seed=0", *overrides)])
    rd = RunDir(tmp_path / "run")
    with ScriptedServer(rule=aide_rule(plan, flip_at=flip_at)) as server:
        llm = LLM("openai/scripted", api_base=server.url, budget=budget, log_path=rd.llm_log,
                  price=(1.0, 2.0), max_retries=0)
        sandbox = open_sandbox(rd.workspace)
        task = make_task(titanic, sandbox, steps=steps, lower_is_better=lower_is_better)
        result = AideAgent(cfg).run(task, sandbox, llm, rd)
    journal = json.loads(rd.journal.read_text())
    return result, journal["nodes"], rd, journal


def journal_cost(journal) -> float:
    """Every LLM call the journal accounts for: nodes, abandoned attempts, the report."""
    nodes = journal["nodes"] + journal["abandoned"] + ([journal["in_progress"]] if journal["in_progress"] else [])
    return sum(n["usage"]["cost_usd"] for n in nodes) + journal["other_usage"]["cost_usd"]


def grade(titanic, path):
    from bench.grade import grade_submission

    return grade_submission(titanic.comp, path, titanic.data_dir)


def test_crashing_draft_gets_debugged(titanic, open_titanic_sandbox, tmp_path):
    result, nodes, rd, _ = run_aide(titanic, open_titanic_sandbox, tmp_path, ["crash", "sex_rule"], steps=2,
                                    overrides=["search.num_drafts=1", "search.debug_prob=1"])
    assert [n["stage"] for n in nodes] == ["draft", "debug"]
    crash, fix = nodes
    assert crash["is_buggy"] and crash["exc_type"] == "KeyError" and "Agee" in crash["output"]
    assert fix["parent_id"] == crash["id"] and not fix["is_buggy"] and fix["debug_depth"] == 1
    assert result.reason == "limits_exceeded" and result.submission is not None


def test_improvement_raises_the_metric_and_best_is_graded_not_last(titanic, open_titanic_sandbox, tmp_path):
    # draft: sex rule; improve: forest (better); improve again: sex rule (worse, but valid and last)
    result, nodes, rd, _ = run_aide(titanic, open_titanic_sandbox, tmp_path, ["sex_rule", "forest", "sex_rule"],
                                    steps=3, overrides=["search.num_drafts=1", "search.debug_prob=0"])
    assert [n["stage"] for n in nodes] == ["draft", "improve", "improve"]
    assert nodes[1]["parent_id"] == nodes[0]["id"] and nodes[1]["metric"] > nodes[0]["metric"]
    assert nodes[2]["parent_id"] == nodes[1]["id"]  # improve expands the best node
    assert not any(n["is_buggy"] for n in nodes)
    final = pd.read_csv(result.submission)
    assert final.equals(pd.read_csv(rd.node_dir(nodes[1]["id"]) / "submission.csv"))
    assert not final.equals(pd.read_csv(rd.node_dir(nodes[2]["id"]) / "submission.csv"))
    report = grade(titanic, result.submission)
    last = grade(titanic, rd.node_dir(nodes[2]["id"]) / "submission.csv")
    assert report.valid_submission and report.score > last.score
    assert rd.best_solution.read_text() == nodes[1]["code"]


def test_node_without_submission_or_with_bad_format_is_buggy(titanic, open_titanic_sandbox, tmp_path):
    result, nodes, rd, _ = run_aide(titanic, open_titanic_sandbox, tmp_path, ["no_submission", "bad_format"],
                                    steps=2, overrides=["search.num_drafts=2"])
    missing, bad = nodes
    assert missing["is_buggy"] and not missing["has_submission"] and missing["metric"] == 0.9
    assert "no submission.csv was written" in missing["bug_reasons"]
    assert "no submission file was found" in missing["output"]
    assert bad["is_buggy"] and bad["has_submission"] and bad["submission_valid"] is False
    assert any(r.startswith("invalid submission") for r in bad["bug_reasons"])
    assert result.submission is None and not rd.submission.exists()


def test_node_over_its_timeout_is_killed_and_marked(titanic, open_titanic_sandbox, tmp_path):
    result, nodes, rd, _ = run_aide(titanic, open_titanic_sandbox, tmp_path, ["slow"], steps=1,
                                    overrides=["exec.timeout_s=3"])
    (node,) = nodes
    assert node["timed_out"] and node["is_buggy"] and node["exc_type"] == "TimeoutError"
    assert node["exec_time_s"] < 30 and "ran longer than its time limit" in node["output"]
    assert "starting a long fit" in node["output"]


def test_review_contradicting_the_competitions_direction_is_a_bug(titanic, open_titanic_sandbox, tmp_path):
    # the forest draft scores higher; the second review claims lower is better, against the competition
    result, nodes, rd, journal = run_aide(titanic, open_titanic_sandbox, tmp_path, ["sex_rule", "forest"], steps=2,
                                          overrides=["search.num_drafts=2", "deviations.check_metric=true"], flip_at={1})
    assert journal["maximize"] is True and journal["direction_source"] == "task"
    assert nodes[1]["review_lower_is_better"] is True and nodes[1]["is_buggy"]
    assert nodes[1]["bug_reasons"] == ["the printed metric is not the competition's metric"]
    assert result.extra["best_node"] == nodes[0]["id"]  # the higher-scoring node does not count


def test_direction_comes_from_the_first_review_when_the_task_has_none(titanic, open_titanic_sandbox, tmp_path):
    result, nodes, rd, journal = run_aide(titanic, open_titanic_sandbox, tmp_path, ["sex_rule", "forest"], steps=2,
                                          overrides=["search.num_drafts=2"], flip_at={1}, lower_is_better=None)
    assert journal["maximize"] is True and journal["direction_source"] == "review"
    assert journal["direction_conflicts"] == 1 and result.extra["best_node"] == nodes[1]["id"]


def test_budget_exhaustion_ends_run_with_a_graded_best_submission(titanic, open_titanic_sandbox, tmp_path):
    budget = Budget(max_calls=5)  # two full steps (code + review each) and a code call; the 6th is refused
    result, nodes, rd, journal = run_aide(titanic, open_titanic_sandbox, tmp_path, ["forest", "sex_rule", "forest"],
                                          steps=10, budget=budget, overrides=["search.num_drafts=3"])
    assert result.reason == "limits_exceeded" and "budget" in result.message.lower()
    assert journal["end_reason"] == "limits_exceeded" and len(nodes) == 3
    # the third script ran before its review was refused: the node is kept, unreviewed
    assert nodes[2]["reviewed"] is False and nodes[2]["exec_time_s"] > 0 and nodes[2]["is_buggy"]
    assert nodes[2]["bug_reasons"][0].startswith("not reviewed yet: BudgetExceeded")
    assert result.cost_usd == pytest.approx(journal_cost(journal)) and budget.calls == 5
    report = grade(titanic, rd.submission)
    assert report.valid_submission and report.any_medal


def test_artifacts_tree_html_cost_and_timing(titanic, open_titanic_sandbox, tmp_path):
    result, nodes, rd, journal = run_aide(titanic, open_titanic_sandbox, tmp_path, ["crash", "forest", "sex_rule"],
                                          steps=3, overrides=["search.num_drafts=1", "search.debug_prob=1",
                                                              "aids.skip_failed_review=false"])
    page = rd.tree_html.read_text()
    for node in nodes:
        assert f'data-id="{node["id"]}"' in page and (rd.node_dir(node["id"]) / "solution.py").exists()
        usage, timing = node["usage"], node["timing"]
        assert usage["calls"] == 2 and usage["prompt_tokens"] == 1600 and usage["cost_usd"] > 0
        assert timing["step_s"] >= timing["exec_s"] > 0 and timing["overhead_s"] >= 0
    log_lines = rd.llm_log.read_text().splitlines()
    assert len(log_lines) == 6
    assert result.cost_usd == pytest.approx(sum(n["usage"]["cost_usd"] for n in nodes))
    assert rd.config.exists() and rd.best_solution.exists()


def test_scripted_good_code_reaches_a_medal(titanic, open_titanic_sandbox, tmp_path):
    result, nodes, rd, _ = run_aide(titanic, open_titanic_sandbox, tmp_path, ["sex_rule", "forest"], steps=2,
                                    overrides=["search.num_drafts=1", "search.debug_prob=0"])
    report = grade(titanic, result.submission)
    assert report.valid_submission and report.any_medal, report.to_dict()


def _rule_with_overrides(plan, first_replies):
    """`first_replies` answer the first requests verbatim; then the normal scripted rule."""
    base = aide_rule(plan)
    queue = list(first_replies)

    def rule(body):
        return queue.pop(0)(body) if queue else base(body)

    return rule


def test_reply_without_code_is_asked_again(titanic, open_titanic_sandbox, tmp_path):
    from scaffolds.core.llm.testing import Reply

    cfg = load_config("default", None, [parse_override("search.num_drafts=1")])
    rd = RunDir(tmp_path / "run")
    rule = _rule_with_overrides(["forest"], [lambda body: Reply.text("I would train a random forest.")])
    with ScriptedServer(rule=rule) as server:
        llm = LLM("openai/scripted", api_base=server.url, max_retries=0)
        sandbox = open_titanic_sandbox(rd.workspace)
        AideAgent(cfg).run(make_task(titanic, sandbox, steps=1), sandbox, llm, rd)
        second = server.chat_requests[1]["messages"]
    (node,) = json.loads(rd.journal.read_text())["nodes"]
    assert not node["is_buggy"] and "RandomForestClassifier" in node["code"] and node["usage"]["calls"] == 3
    assert "no Python code block" in second[-1]["content"]


def test_unreadable_review_marks_the_node_buggy_and_no_metric_is_scraped(titanic, open_titanic_sandbox, tmp_path):
    from scaffolds.core.llm.testing import Reply

    from .scripted import code_reply

    cfg = load_config("default", None, [parse_override("search.num_drafts=1")])
    rd = RunDir(tmp_path / "run")
    prose = Reply.text("The script ran fine and looks correct to me.")
    replies = [lambda body: code_reply("two_scores", body)] + [lambda body: prose] * 6
    with ScriptedServer(rule=_rule_with_overrides(["sex_rule"], replies)) as server:
        llm = LLM("openai/scripted", api_base=server.url, max_retries=0)
        sandbox = open_titanic_sandbox(rd.workspace)
        AideAgent(cfg).run(make_task(titanic, sandbox, steps=1), sandbox, llm, rd)
    (node,) = json.loads(rd.journal.read_text())["nodes"]
    assert "Validation RMSE: 0.51" in node["output"] and "Train score: 0.99" in node["output"]
    assert node["is_buggy"] and node["metric"] is None
    assert node["bug_reasons"] == ["review unusable"]


def test_script_timeout_is_capped_by_the_time_left_and_the_run_ends_on_time(titanic, open_titanic_sandbox,
                                                                           tmp_path):
    result, nodes, rd, _ = run_aide(titanic, open_titanic_sandbox, tmp_path, ["sex_rule", "slow"], steps=5,
                                    overrides=["time_limit_s=30", "exec.timeout_s=600", "search.num_drafts=5"])
    assert result.reason == "time_exceeded" and len(nodes) == 2, [n["exec_time_s"] for n in nodes]
    slow = nodes[1]
    assert slow["timed_out"] and slow["timeout_s"] < 30 and slow["exec_time_s"] < 35
    assert result.extra["best_node"] == nodes[0]["id"] and result.submission is not None


@pytest.mark.parametrize("aids", [True, False])
def test_small_model_aids_shape_the_prompts_and_switch_off(titanic, open_titanic_sandbox, tmp_path, aids):
    """The default preset shows the data schema and a worked example in drafts and leads debug prompts
    with the failing line; `aids=false` gives AIDE's own prompts (the data overview instead)."""
    cfg = load_config("default", None, [parse_override(o) for o in (
        "seed=0", "search.num_drafts=1", "search.debug_prob=1", f"aids={str(aids).lower()}")])
    rd = RunDir(tmp_path / "run")
    with ScriptedServer(rule=aide_rule(["crash", "sex_rule"])) as server:
        llm = LLM("openai/scripted", api_base=server.url, max_retries=0)
        sandbox = open_titanic_sandbox(rd.workspace)
        AideAgent(cfg).run(make_task(titanic, sandbox, steps=2), sandbox, llm, rd)
        prompts = [r["messages"][-1]["content"] for r in server.chat_requests if "tools" not in r
                   and "submit_review" not in json.dumps(r["messages"])]
    draft, debug = prompts[0], prompts[-1]
    assert ("# Data schema" in draft) is aids and ("header exactly `PassengerId,Survived`" in draft) is aids
    assert ("# Example solution for another task" in draft) is aids
    assert ('ID, TARGET = "PassengerId", "Survived"\n      NUMERIC = [' in draft) is aids  # aids.task_lines
    assert ('ID, TARGET = "egg_id", "hatched"\n      NUMERIC = [' in draft) is aids  # ...and the example's
    assert ("# Data overview" in draft) is not aids
    assert ("The previous script failed here" in debug) is aids
    if aids:
        assert "The script stopped at line" in debug and "KeyError" in debug and "Usual cause: a column" in debug
        assert "The data has no column `Agee`; the closest is `Age`." in debug  # read from the host's data
        assert debug.rstrip().endswith(debug.split("# The error to fix")[1].rstrip())  # the last section


@pytest.mark.parametrize("whole_script", [True, False])
def test_a_debug_reply_with_a_fragment_of_the_script_is_asked_again(titanic, open_titanic_sandbox, tmp_path,
                                                                     whole_script):
    """aids.whole_script: a fix that is one line, not a script, is asked for again as a whole script;
    off, the line runs on its own (and writes nothing)."""
    result, nodes, rd, _ = run_aide(titanic, open_titanic_sandbox, tmp_path, ["crash", "fragment", "sex_rule"],
                                    steps=2, overrides=["search.num_drafts=1", "search.debug_prob=1",
                                                        f"aids.whole_script={str(whole_script).lower()}"])
    debug = nodes[1]
    assert debug["stage"] == "debug"
    if whole_script:
        assert not debug["is_buggy"] and "female" in debug["code"] and debug["usage"]["calls"] == 3  # 2 code + review
        calls = [json.loads(line) for line in rd.llm_log.read_text().splitlines()]
        assert any("only part of a script (1 lines" in json.dumps(c["requests"]) for c in calls)
    else:
        assert debug["is_buggy"] and debug["code"].strip() == "import pandas as pd"


@pytest.mark.parametrize("import_check", [True, False])
def test_a_missing_import_is_asked_for_before_the_script_runs(titanic, open_titanic_sandbox, tmp_path,
                                                              import_check):
    """aids.import_check: a script using `pd` and `Path` without importing them gets the import lines the
    model gives when asked (lines binding no missing name are dropped; a name the first answer missed is
    asked for again) and runs; off, it fails with NameError."""
    result, nodes, rd, _ = run_aide(titanic, open_titanic_sandbox, tmp_path,
                                    ["sex_rule_no_import", "pandas_import", "path_import"], steps=1,
                                    overrides=["search.num_drafts=1",
                                               f"aids.import_check={str(import_check).lower()}"])
    (node,) = nodes
    if import_check:
        assert not node["is_buggy"], node["output"]
        assert node["import_fixes"] == ["added: import pandas as pd", "added: from pathlib import Path"]
        assert "nosuchname" not in node["code"]
        assert node["code"].index("import pandas as pd") < node["code"].index("pd.read_csv")
        calls = [json.dumps(json.loads(line)["requests"]) for line in rd.llm_log.read_text().splitlines()]
        assert any("never imports or defines: `Path`, `pd`." in c for c in calls)
        assert any("never imports or defines: `Path`." in c for c in calls)
    else:
        assert node["is_buggy"] and node["exc_type"] == "NameError" and node["import_fixes"] == []


def test_an_import_that_fails_in_the_sandbox_is_replaced_before_the_script_runs(titanic, open_titanic_sandbox,
                                                                                tmp_path):
    """aids.import_check: the script's imports run alone in the sandbox first; the failing one is shown
    to the model with its exception, and the model's corrected line takes its place."""
    result, nodes, rd, _ = run_aide(titanic, open_titanic_sandbox, tmp_path,
                                    ["sex_rule_wrong_import", "compose_import"], steps=1,
                                    overrides=["search.num_drafts=1"])
    (node,) = nodes
    assert not node["is_buggy"], node["output"]
    assert node["code"].startswith("from sklearn.compose import ColumnTransformer\n")
    assert node["import_fixes"] == ["replaced: from sklearn.preprocessing import ColumnTransformer"
                                    " -> from sklearn.compose import ColumnTransformer"]
    calls = [json.dumps(json.loads(line)["requests"]) for line in rd.llm_log.read_text().splitlines()]
    assert any("fails when run: `from sklearn.preprocessing import ColumnTransformer` (ImportError: cannot import"
               in c for c in calls)


@pytest.mark.parametrize("skip", [True, False])
def test_a_script_that_raised_is_judged_without_a_review_call(titanic, open_titanic_sandbox, tmp_path, skip):
    """aids.skip_failed_review: the exception already makes the node buggy, so no review is asked for it
    (the script that works is still reviewed); off, every script is reviewed, as AIDE did."""
    result, nodes, rd, _ = run_aide(titanic, open_titanic_sandbox, tmp_path, ["crash", "sex_rule"], steps=2,
                                    overrides=["search.num_drafts=1", "search.debug_prob=1",
                                               f"aids.skip_failed_review={str(skip).lower()}"])
    crash, fix = nodes
    assert crash["is_buggy"] and "the script failed (KeyError)" in crash["bug_reasons"]
    assert ("the reviewer found a bug" in crash["bug_reasons"]) is not skip
    assert crash["usage"]["calls"] == (1 if skip else 2) and fix["usage"]["calls"] == 2
    assert not fix["is_buggy"] and fix["metric"] is not None
