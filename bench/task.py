"""Build the `Task` an agent receives: benchmark rules, paths, validation, hardware, limits, and the
competition description, in a plain and an obfuscated variant (no Kaggle framing, no name).

The rules are MLE-bench's, written here in our own words; the paths default to the inside-sandbox
ones MLE-bench uses, so an agent written for MLE-bench reads the same locations.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from bench.competition import Competition
from bench.paths import ensure_prepared
from scaffolds.core.task import Task, TaskLimits

OBFUSCATED_VIEW = "public-obfuscated"


@dataclass(frozen=True)
class TaskPaths:
    data: str = "/home/data"
    submission: str = "/home/submission/submission.csv"
    code: str = "/home/code"
    logs: str = "/home/logs"
    validate_url: str = "http://localhost:5000/validate"
    validate_script: str = "/home/validate_submission.sh"


_RULES = """\
You are taking part in a machine-learning {venue}. Your job is to train a model on the provided
training data and use it to predict the test set, then save those predictions in the required
format. Work on your own: there is nobody to ask for help.

Rules (they take precedence over anything in the {venue} description):
- Produce the predictions with a model or program you build. Labelling test examples by hand,
  or by any means other than your own code, is not allowed.
- Do not look up or copy other people's solutions to this {venue_short}, and do not use
  external sources that contain its answers. Submissions that copy other work are disqualified.
- The train/test split is this benchmark's own, so the test set may differ from any public one.

Where things are:
- The data is in `{data}/` (read-only). Start with `{data}/description.md`, which explains the
  {venue_short}, its files, the metric and the submission format.
- Write your final predictions to `{submission}`. That file, and only that file, is graded;
  nothing else you write counts, so make sure it exists before you stop.
- Keep your code in `{code}/` and any notes or logs in `{logs}/`.

Checking your submission:
- Send a candidate file to the validator before you finish, e.g.
  `curl -X POST -F "file=@{submission}" {validate_url}` or `bash {validate_script} {submission}`.
  It says whether the file has the right format (columns, ids, values). It never returns a score,
  and it does not tell you how well you did.

Resources and limits:
- Hardware: {hardware}.
{limits}
"""


def _format_limits(limits: TaskLimits) -> str:
    lines = []
    if limits.wall_time_s is not None:
        hours = limits.wall_time_s / 3600
        lines.append(f"- Total time: {hours:g} hour(s) of wall-clock time; the run stops when it is used up.")
    if limits.max_steps is not None:
        lines.append(f"- At most {limits.max_steps} steps (actions).")
    lines.append(f"- Each single action (command, cell or script) times out after {limits.action_timeout_s:g} s.")
    if limits.max_cost_usd is not None:
        lines.append(f"- LLM budget: at most ${limits.max_cost_usd:g}.")
    if limits.max_tokens is not None:
        lines.append(f"- At most {limits.max_tokens} LLM tokens.")
    lines.append("- The internet is not reachable from your environment; use the packages already installed.")
    return "\n".join(lines)


def instructions(limits: TaskLimits, obfuscated: bool = False, hardware: str | None = None,
                 paths: TaskPaths | None = None) -> str:
    """The rules text; the obfuscated variant says "task" instead of "Kaggle competition"."""
    paths = paths or TaskPaths()
    venue, venue_short = ("task", "task") if obfuscated else ("competition modelled on a Kaggle competition",
                                                              "competition")
    return _RULES.format(venue=venue, venue_short=venue_short, data=paths.data, submission=paths.submission,
                         code=paths.code, logs=paths.logs, validate_url=paths.validate_url,
                         validate_script=paths.validate_script,
                         hardware=hardware or "CPU only (no GPU), as provided by the sandbox",
                         limits=_format_limits(limits)).strip()


def public_description(comp: Competition, obfuscated: bool) -> str:
    """The text an agent sees as `<data>/description.md`: for an obfuscated run the obfuscated
    variant, never the plain one (a competition without one falls back to the plain text)."""
    if obfuscated:
        return comp.description_obfuscated or comp.description
    return comp.description


def public_view(comp: Competition, data_dir: Path | None, obfuscated: bool) -> Path:
    """The folder to mount as the agent's data dir. A plain run gets `prepared/public/` (whose
    `description.md` is the plain text). An obfuscated run gets `prepared/public-obfuscated/`: the
    same files as hard links (copies where the file system refuses links), with `description.md`
    the obfuscated text, so the plain description is nowhere in what the agent can read. The view
    is built once per prepare (a new prepare replaces `prepared/`, view included)."""
    paths = ensure_prepared(comp, data_dir)
    if not obfuscated:
        return paths.public
    view = paths.prepared / OBFUSCATED_VIEW
    text = public_description(comp, True)
    if not view.is_dir() or (view / "description.md").read_text(encoding="utf-8") != text:
        _build_view(paths.public, view, text)
    return view


def _build_view(public: Path, view: Path, description: str) -> None:
    staging = view.with_name(view.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    for folder, _dirs, files in os.walk(public, followlinks=False):
        rel = Path(folder).relative_to(public)
        (staging / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            source, target = Path(folder) / name, staging / rel / name
            if source.is_symlink() or (rel == Path(".") and name == "description.md"):
                continue  # a link is never followed; the description is replaced below
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
    (staging / "description.md").write_text(description, encoding="utf-8")
    shutil.rmtree(view, ignore_errors=True)
    os.replace(staging, view)


def build_task(comp: Competition, data_dir: Path | None = None, limits: TaskLimits | None = None,
               obfuscated: bool = False, hardware: str | None = None, paths: TaskPaths | None = None) -> Task:
    """The `Task` for one competition (both variants filled; `obfuscated` picks the one shown)."""
    limits = limits or TaskLimits()
    description = comp.description
    if data_dir is not None:  # prefer the prepared copy (an MLE-bench dir may carry its own text)
        prepared = Path(data_dir) / comp.id / "prepared" / "public" / "description.md"
        if prepared.is_file():
            description = prepared.read_text()
    return Task(
        competition_id=comp.id,
        instructions=instructions(limits, False, hardware, paths),
        description=description,
        limits=limits,
        lower_is_better=comp.metric.lower_is_better,
        metric_name=comp.metric.name,
        instructions_obfuscated=instructions(limits, True, hardware, paths),
        description_obfuscated=public_description(comp, True),
        obfuscated=obfuscated,
    )
