"""Prompt building: nested sections (from prompts.yaml) rendered to markdown, one builder per operator.

Builders return a `Prompt(system, user)`; the agent turns it into LLM messages.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
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
    return {
        "Response format": t["response_format"],
        "Solution sketch guideline": list(t["guideline"][op]),
        "Implementation guideline": implementation,
        "Installed packages": fill(t["packages"], ctx),
    }


def _intro(op: str, ctx: PromptContext) -> str:
    return templates()["introduction"][op]["neutral" if ctx.neutral else "kaggle"]


def _prompt(op: str, ctx: PromptContext, body: dict[str, Any]) -> Prompt:
    return Prompt(system=render({"Introduction": _intro(op, ctx)}), user=render(body))


def draft_prompt(ctx: PromptContext, memory: str, data_preview: str) -> Prompt:
    return _prompt("draft", ctx, {
        "Task description": ctx.task_text,
        "Memory": memory,
        "Instructions": _instructions("draft", ctx),
        "Data overview": data_preview,
    })


def improve_prompt(ctx: PromptContext, memory: str, parent_code: str) -> Prompt:
    return _prompt("improve", ctx, {
        "Task description": ctx.task_text,
        "Memory": memory,
        "Previous solution": {"Code": f"```python\n{parent_code}\n```"},
        "Instructions": _instructions("improve", ctx),
    })


def debug_prompt(ctx: PromptContext, parent_code: str, parent_output: str, data_preview: str) -> Prompt:
    return _prompt("debug", ctx, {
        "Task description": ctx.task_text,
        "Previous (buggy) implementation": f"```python\n{parent_code}\n```",
        "Execution output": f"```\n{parent_output}\n```",
        "Instructions": _instructions("debug", ctx),
        "Data overview": data_preview,
    })


def review_prompt(ctx: PromptContext, code: str, output: str, submission_status: str) -> Prompt:
    check = fill(templates()["review_submission_check"], ctx)
    check = string.Template(check).safe_substitute(submission_status=submission_status)
    return _prompt("review", ctx, {
        "Task description": ctx.task_text,
        "Implementation": f"```python\n{code}\n```",
        "Execution output": f"```\n{output}\n```",
        "Submission file": check,
    })
