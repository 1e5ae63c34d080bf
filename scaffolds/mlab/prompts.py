"""The text MLAB's models read: the one-string research prompt (tools, problem, rules, format, the last
steps), the re-ask after a format error, and the prompts of the edit and fast models.

All wording lives in prompts.yaml; this module only assembles it. The layout follows MLAgentBench's
ResearchAgent: one user message, the past steps written after it as "Assistant:" turns each followed
by its observation in a ``` block.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PROMPTS_FILE = Path(__file__).parent / "prompts.yaml"
ENTRY_NAMES = ("Reflection", "Research Plan and Status", "Fact Check", "Thought", "Action", "Action Input")

# The actions MLE-bench showed its models, in MLAgentBench's order; the rest are accepted when named.
SHOWN_ACTIONS = ("List Files", "Copy File", "Undo Edit Script", "Execute Script", "Validate Submission",
                 "Final Answer", "Understand File", "Inspect Script Lines", "Edit Script (AI)")


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    return yaml.safe_load(PROMPTS_FILE.read_text())


def fill(text: str, **values: Any) -> str:
    return string.Template(text).safe_substitute({k: str(v) for k, v in values.items()})


def text(key: str, **values: Any) -> str:
    """The template `key` of prompts.yaml, filled with `values`."""
    return fill(templates()[key], **values)


def format_time(seconds: float) -> str:
    """'2hrs 5mins 3secs', the form of MLE-bench's <TIME_REMAINING> notes."""
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}hrs {(seconds % 3600) // 60}mins {seconds % 60}secs"


@dataclass(frozen=True)
class PromptFacts:
    """What the research prompt states about this run."""

    problem: str  # the task's instructions and description
    home: str  # the workspace root inside the sandbox
    data: str
    submission: str  # inside path of submission.csv
    time_limit_s: float
    step_limit: int
    execute_timeout_s: float | None  # None: Execute Script is not bounded (as MLE-bench ran it)
    gate_final_answer: bool
    inspect_max_lines: int
    schema: str = ""  # aids.data_schema: the columns and the submission format, read from the data files
    metric_name: str = ""
    example: str = ""  # aids.worked_example: a complete script for a made-up dataset
    example_reply: bool = False  # aids.example_reply: a filled-in first reply closes the first prompt
    task_lines: str = ""  # aids.task_lines: the example's "<- task" column lines written for this data


def usage_lines(name: str) -> str:
    """The JSON-like input template of an action, as shown in the tool list and in input errors."""
    usage = templates()["actions"][name]["usage"]
    body = ",\n    ".join(f'"{arg}": [{hint}]' for arg, hint in usage.items())
    return "{\n    " + body + "\n}"


def arg_names(name: str) -> tuple[str, ...]:
    return tuple(templates()["actions"][name]["usage"])


def _tool(name: str, facts: PromptFacts) -> str:
    spec = templates()["actions"][name]
    limit = ""
    if facts.execute_timeout_s is not None:
        limit = text("execute_limit", timeout=format_time(facts.execute_timeout_s))
    gate = text("final_answer_rule", submission=facts.submission) if facts.gate_final_answer else ""
    description = fill(spec["description"], execute_limit=limit, final_answer_rule=gate,
                       inspect_max_lines=facts.inspect_max_lines)
    return (f"- {name}:\n{description}\nUsage:\n```\nAction: {name}\nAction Input: {usage_lines(name)}\n"
            f"Observation: [{spec['returns']}]\n```")


def problem_text(task_text: str, facts: PromptFacts) -> str:
    """The research problem: the task's own text plus the notes MLE-bench's fork appended."""
    notes = templates()["notes"]
    items = [fill(item, time_limit=format_time(facts.time_limit_s), step_limit=facts.step_limit,
                  home=facts.home, data=facts.data) for item in notes["items"]]
    body = f"{task_text.strip()}\n\n{notes['title']}:\n" + "\n".join(f"- {item}" for item in items)
    return body + schema_section(facts)


def schema_section(facts: PromptFacts) -> str:
    """aids.data_schema: appended to the research problem ("" when off or the layout is not tabular)."""
    if not facts.schema:
        return ""
    aids = templates()["aids"]
    metric = fill(aids["metric"], metric=facts.metric_name) if facts.metric_name else ""
    return f"\n\n{aids['schema_title']}:\n{fill(aids['schema'], metric=metric).strip()}\n{facts.schema}"


def example_section(facts: PromptFacts) -> str:
    """aids.worked_example, as the first prompt and the edit model's prompt for a new script show it."""
    if not facts.example:
        return ""
    return f"{templates()['aids']['example'].strip()}\n```python\n{facts.example.rstrip()}\n```\n"


def first_prompt_aids(facts: PromptFacts) -> str:
    """What the first prompt shows before "Let's begin!": the example script, then a filled-in first reply
    (aids.worked_example, aids.example_reply; "" when both are off)."""
    reply = fill(templates()["aids"]["first_reply"], submission=facts.submission) if facts.example_reply else ""
    return "\n".join(part for part in (example_section(facts), reply) if part)


def new_script_help(facts: PromptFacts) -> str:
    """What the edit model reads after the instruction when it writes a script from nothing (the aids;
    "" when all are off): the schema and the example; with aids.task_lines, the example and a closing
    line that asks for it adapted and gives this data's column lines, without the schema. The closing
    line: the 1.5B model returned the example verbatim on three of four offline-lite tasks (the edit
    prompt ends "changing nothing else"). Without the schema, which the lines make redundant for a new
    script: with it, the model still returned the example verbatim after a wide table's long schema (a
    probe of recorded prompts: 5 of 11 replies valid, house-prices 0 of 5; without it 12 of 12)."""
    t = templates()["aids"]
    close = f"{t['edit_new_close']}\n{facts.task_lines}" if facts.task_lines and facts.example else ""
    parts = [schema_section(facts).strip() if not close else "", example_section(facts), close]
    body = "\n\n".join(p for p in parts if p)
    return f"{t['edit_new']}\n\n{body}" if body else ""


def edit_help(facts: PromptFacts) -> str:
    """What the edit model reads after the instruction when it changes an existing script (aids.data_schema;
    "" when off): an instruction such as "set the columns from the data files" has nothing to go on
    otherwise, and the 1.5B model made up columns for it."""
    return f"{templates()['aids']['edit_facts']}\n\n{schema_section(facts).strip()}" if facts.schema else ""


def research_prompt(facts: PromptFacts) -> str:
    """Everything before the past steps; the same at every step of a run."""
    t = templates()
    tools = "\n\n".join(_tool(name, facts) for name in SHOWN_ACTIONS)
    rules = "\n".join(f"- {rule}" for rule in t["rules"])
    limits = text("limits_note", time_limit=format_time(facts.time_limit_s), step_limit=facts.step_limit)
    entries = "\n".join(f"{name}: {t['entries'][name]}" for name in ENTRY_NAMES)
    return (f"{t['intro']}\n{tools}\n\n{t['problem_label']} {facts.problem}\n\n{t['start']}\n\n{rules}\n\n"
            f"{limits}\n\n{t['format_intro']}\n{entries}\n\n{t['observation_form']}\n")


@dataclass(frozen=True)
class ShownStep:
    """A past step as the prompt shows it."""

    entries: dict[str, str]
    observation: str


def render_entries(entries: dict[str, str]) -> str:
    return "\n".join(f"{name}: {entries.get(name, '').strip()}" for name in ENTRY_NAMES)


def with_history(base: str, steps: Sequence[ShownStep], first_shown: int, observation_steps: int,
                 example: str = "") -> str:
    """`base` followed by the shown steps; `first_shown` is the index of the first of them in the run.
    Steps older than the last `observation_steps` show <Done> instead of their observation. `example`
    (the aids of `first_prompt_aids`) is shown only in the first prompt, before any step, once."""
    t = templates()
    parts = [base]
    if first_shown == 0 and not steps and example:
        parts.append(f"\n{example}")
    if first_shown == 0:
        parts.append(f"\n{t['begin']}\n")
    for i, step in enumerate(steps):
        recent = len(steps) - i <= observation_steps
        body = f"\n```\n{step.observation}\n```\n" if recent else f" {t['done_marker']}\n"
        parts.append(f"\n{t['assistant_marker']}\n{render_entries(step.entries)}\n{t['observation_label']}{body}")
    return "\n".join(parts) + "\n"


def reask(reason: str | None) -> str:
    """What is appended to the prompt after a reply in the wrong format."""
    note = text("reask", entries=", ".join(ENTRY_NAMES))
    if reason:
        note += "\n" + text("reask_reason", reason=reason)
    return f"\n\n{note}\n\n"


def limits_suffix(time_left_s: float, steps_left: int) -> str:
    return text("limits_suffix", time_left=format_time(time_left_s), steps_left=max(steps_left, 0))
