"""Prompt building: nested sections (from prompts.yaml) rendered to markdown, one builder per operator.

Builders return a `Prompt(system, user)`; the agent turns it into LLM messages. The parts of a prompt
that may be cut when it does not fit the model's context (memory, data preview, task text, in that
order) travel as `PromptParts`; the instructions, which hold the submission path, are never cut.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PROMPTS_FILE = Path(__file__).parent / "prompts.yaml"
# import names differ from package names for a few candidates
_IMPORT_NAME = {"scikit-learn": "sklearn"}


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    return yaml.safe_load(PROMPTS_FILE.read_text())


@dataclass(frozen=True)
class Prompt:
    system: str
    user: str


@dataclass(frozen=True)
class PromptContext:
    """Facts filled into the templates for one step."""

    task_text: str
    data_dir: str
    submission_path: str
    working_dir: str
    timeout: str
    time_remaining: str
    steps_remaining: int
    k_fold: int
    packages: list[str]
    neutral: bool = False  # obfuscated mode: no Kaggle framing
    aide_packages: bool = False  # name packages the way MLE-bench's AIDE did (a fixed "for example" list)
    metric_name: str = ""  # the competition's metric, for the review's metric check ("" = no check)
    lower_is_better: bool | None = None
    schema: str = ""  # aids.data_schema: the columns and the submission format, read from the files
    example: str = ""  # aids.worked_example: a complete script for a made-up dataset...
    example_schema: str = ""  # ...and that dataset's schema, in the words of `schema`


@dataclass(frozen=True)
class PromptParts:
    """The shrinkable parts of one prompt."""

    task_text: str
    memory: str = ""
    preview: str = ""


MIN_TASK_CHARS = 1500  # the task text is never cut below this
_SHRINK_ORDER = ("memory", "preview", "task_text")


def shrink(parts: PromptParts) -> PromptParts | None:
    """The parts with the first shrinkable one halved (memory, then preview, then the task text, which
    keeps at least MIN_TASK_CHARS); None when nothing is left to cut. A memory or preview under 400
    characters is dropped rather than halved."""
    for name in _SHRINK_ORDER:
        text = getattr(parts, name)
        if name != "task_text" and 0 < len(text) < 400:
            return replace(parts, **{name: ""})
        floor = MIN_TASK_CHARS if name == "task_text" else 0
        keep = max(floor, len(text) // 2)
        if len(text) - keep < 200:  # too little left to cut to be worth a marker
            continue
        head = keep // 2
        short = (f"{text[:head]}\n... [{len(text) - keep} characters cut to fit the context window] ...\n"
                 f"{text[len(text) - (keep - head):]}")
        return replace(parts, **{name: short})
    return None


def render(sections: dict[str, Any], level: int = 1) -> str:
    """Nested dict -> markdown: keys become headings, lists become bullets, empty sections vanish."""
    parts = []
    for title, body in sections.items():
        if body is None or body == "" or body == [] or body == {}:
            continue
        heading = "#" * level + " " + title
        if isinstance(body, dict):
            parts.append(f"{heading}\n\n{render(body, level + 1)}")
        elif isinstance(body, list):
            parts.append(heading + "\n\n" + "\n".join(f"- {item}" for item in body))
        else:
            parts.append(f"{heading}\n\n{str(body).strip()}")
    return "\n\n".join(parts)


def fill(text: str, ctx: PromptContext) -> str:
    values = {
        "data_dir": ctx.data_dir,
        "submission_path": ctx.submission_path,
        "working_dir": ctx.working_dir,
        "timeout": ctx.timeout,
        "time_remaining": ctx.time_remaining,
        "steps_remaining": str(ctx.steps_remaining),
        "k_fold": str(ctx.k_fold),
        "packages": ", ".join(ctx.packages),
    }
    return string.Template(text).safe_substitute(values)


def humanize_seconds(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 7200:
        return f"{seconds // 60} minutes"
    return f"{seconds / 3600:.1f} hours"


def package_probe_script() -> str:
    """A script that prints (as JSON) which candidate packages import in the sandbox's python."""
    pairs = {name: _IMPORT_NAME.get(name, name) for name in templates()["package_candidates"]}
    return ("import importlib.util, json\n"
            f"pairs = {pairs!r}\n"
            "print(json.dumps([n for n, m in pairs.items() if importlib.util.find_spec(m)]))\n")


def shuffled_packages(names: list[str], rng: random.Random) -> list[str]:
    """The installed package list, shuffled per step as AIDE does."""
    names = list(names)
    rng.shuffle(names)
    return names


def _instructions(op: str, ctx: PromptContext) -> dict[str, Any]:
    t = templates()
    implementation = [fill(line, ctx) for line in t["implementation"]]
    if ctx.k_fold > 1:
        implementation.append(fill(t["k_fold"], ctx))
    if ctx.aide_packages:
        names = replace(ctx, packages=[f"`{name}`" for name in ctx.packages])
        packages = fill(t["aide_packages_text"], names)
    else:
        packages = fill(t["packages"], ctx)
    return {
        "Response format": t["response_format"],
        "Solution sketch guideline": list(t["guideline"][op]),
        "Implementation guideline": implementation,
        "Installed packages": packages,
    }


def _intro(op: str, ctx: PromptContext) -> str:
    return templates()["introduction"][op]["neutral" if ctx.neutral else "kaggle"]


def _prompt(op: str, ctx: PromptContext, body: dict[str, Any]) -> Prompt:
    return Prompt(system=render({"Introduction": _intro(op, ctx)}), user=render(body))


def _example(ctx: PromptContext) -> str:
    """The worked example as a pair: the made-up task's schema, then the script written from it."""
    if not ctx.example:
        return ""
    t = templates()["aids"]
    schema = f"{t['example_schema']}\n\n{ctx.example_schema}\n\n" if ctx.example_schema else ""
    return f"{t['example'].strip()}\n\n{schema}{t['example_script']}\n\n```python\n{ctx.example.rstrip()}\n```"


def _schema(ctx: PromptContext) -> str:
    """The data schema; with the worked example shown, it ends by saying how to combine the two."""
    if not ctx.schema:
        return ""
    t = templates()["aids"]
    tail = f"\n\n{t['schema_then_example'].strip()}" if ctx.example else ""
    return f"{t['schema'].strip()}\n\n{ctx.schema}{tail}"


def draft_prompt(ctx: PromptContext, parts: PromptParts) -> Prompt:
    """With the aids, the worked example and then the data schema come last: the columns to use are
    the last thing a small model reads before it writes."""
    return _prompt("draft", ctx, {
        "Task description": parts.task_text,
        "Memory": parts.memory,
        "Instructions": _instructions("draft", ctx),
        "Example solution for another task": _example(ctx),
        "Data overview": parts.preview,
        "Data schema": _schema(ctx),
    })


def improve_prompt(ctx: PromptContext, parts: PromptParts, parent_code: str) -> Prompt:
    return _prompt("improve", ctx, {
        "Task description": parts.task_text,
        "Memory": parts.memory,
        "Previous solution": {"Code": f"```python\n{parent_code}\n```"},
        "Instructions": _instructions("improve", ctx),
        "Data schema": _schema(ctx),
    })


def debug_prompt(ctx: PromptContext, parts: PromptParts, parent_code: str, parent_output: str,
                 why: list[str] | tuple[str, ...] = (), analysis: str = "", focus: str = "") -> Prompt:
    """`why` (the bug reasons) and `analysis` (the reviewer's) tell the model what to fix; empty for
    AIDE's own debug prompt. `focus` (aids.error_focus) names the failing line and the exception."""
    t = templates()
    diagnosis = ""
    if why:
        diagnosis = t["debug_why"] + "\n" + "\n".join(f"- {reason}" for reason in why)
        if analysis.strip():
            diagnosis += f"\n\n{t['debug_analysis']}\n{analysis.strip()}"
    return _prompt("debug", ctx, {
        "Task description": parts.task_text,
        "Previous (buggy) implementation": f"```python\n{parent_code}\n```",
        "Execution output": f"```\n{parent_output}\n```",
        "Diagnosis": diagnosis,
        "Instructions": _instructions("debug", ctx),
        "Data overview": parts.preview,
        "Data schema": _schema(replace(ctx, example="")),
        # last, so a small model reads it right before it writes (aids.error_focus)
        "The error to fix": f"{templates()['aids']['focus'].strip()}\n{focus}" if focus else "",
    })


def review_prompt(ctx: PromptContext, parts: PromptParts, code: str, output: str,
                  submission_status: str | None) -> Prompt:
    """`submission_status` None leaves out the harness's file check (as MLE-bench's AIDE did);
    `ctx.metric_name` adds the question whether the printed figure is the competition's metric."""
    t = templates()
    check = None
    if submission_status is not None:
        check = string.Template(fill(t["review_submission_check"], ctx)).safe_substitute(
            submission_status=submission_status)
    metric = None
    if ctx.metric_name and ctx.lower_is_better is not None:
        metric = string.Template(t["review_metric_check"]).safe_substitute(
            metric_name=ctx.metric_name, direction="lower" if ctx.lower_is_better else "higher")
    return _prompt("review", ctx, {
        "Task description": parts.task_text,
        "Competition metric": metric,
        "Implementation": f"```python\n{code}\n```",
        "Execution output": f"```\n{output}\n```",
        "Submission file": check,
    })


def report_prompt(parts: PromptParts, best_code: str) -> Prompt:
    return Prompt(system=render({"Introduction": templates()["report"]["introduction"]}), user=render({
        "Task description": parts.task_text,
        "Working solutions": parts.memory or "(none worked)",
        "Code of the best solution": f"```python\n{best_code}\n```" if best_code else "",
    }))


def no_code_reminder() -> str:
    return templates()["no_code_reminder"].strip()


def fragment_reminder(lines: int, parent_lines: int) -> str:
    return string.Template(templates()["aids"]["fragment"].strip()).safe_substitute(
        lines=lines, parent_lines=parent_lines)


def missing_imports(names: list[str]) -> str:
    return string.Template(templates()["aids"]["missing_imports"].strip()).safe_substitute(
        names=", ".join(f"`{n}`" for n in names))


def failed_import(statement: str, exception: str) -> str:
    return string.Template(templates()["aids"]["failed_import"].strip()).safe_substitute(
        statement=statement, exception=exception)


def exec_footer(killed_reason: str | None, timed_out: bool, seconds: float, limit_s: float,
                explain: bool) -> str:
    """The line after a script's output: how long it ran, or which sandbox limit stopped it. With
    `explain` off, AIDE's own footer (time, or a TimeoutError)."""
    t = templates()["footer"]
    values = {"seconds": f"{seconds:.1f}", "limit": humanize_seconds(limit_s), "reason": killed_reason or ""}
    if not explain:
        key = "aide_timeout" if timed_out else "aide_ok"
    elif killed_reason:
        key = killed_reason if killed_reason in t else "other"
    else:
        key = "timeout" if timed_out else "ok"
    return string.Template(t[key]).safe_substitute(values)
