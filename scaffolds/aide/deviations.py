"""Every way this AIDE differs from the AIDE that MLE-bench ran, so a run can be reported honestly.

The reference is MLE-bench's AIDE: openai/mle-bench `agents/aide` (config.yaml) running the
thesofakillers/aideml fork. Each difference names the config switch that turns it off (`deviations.*`,
all at once with `deviations: false`), or says why it has none (a crash or hang upstream, or a part that
is mle-suite's own by design). `config_header` writes the list into each run's config.yaml, marking which
differences were active in that run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scaffolds.aide.config import AideConfig


@dataclass(frozen=True)
class Deviation:
    name: str
    switch: str  # the config key that turns it off; "" when there is none
    ours: str
    mlebench: str
    active: Callable[[AideConfig], bool]


def _on(flag: str) -> Callable[[AideConfig], bool]:
    return lambda cfg: bool(getattr(cfg.deviations, flag))


def _always(cfg: AideConfig) -> bool:
    return True


DEVIATIONS: tuple[Deviation, ...] = (
    Deviation("submission format validation", "deviations.validate_submission",
              "a submission that fails the competition's format check makes the node buggy; the script's output "
              "and the review prompt say what the harness found",
              "only the file's existence (and the reviewer's has_csv_submission) is checked",
              _on("validate_submission")),
    Deviation("bounded memory", "deviations.bounded_memory",
              "the memory of earlier solutions keeps the best ones within prompt.memory_tokens and says how many "
              "were left out", "every working node, in journal order, without bound", _on("bounded_memory")),
    Deviation("system/user split", "deviations.split_messages",
              "the introduction is a system message, the task and instructions a user message",
              "the whole prompt is one system message (one user message with convert_system_to_user)",
              _on("split_messages")),
    Deviation("probed package list", "deviations.probe_packages",
              "the prompt lists the candidate packages that import inside the sandbox",
              "a fixed list of eleven packages, said to be installed", _on("probe_packages")),
    Deviation("metric direction from the competition", "deviations.direction_from_task",
              "the competition's known direction ranks every node; a review cannot change it",
              "each review states lower_is_better per node; mixed answers crash the best-node comparison "
              "(aideml #57); here the first review fixes the direction instead", _on("direction_from_task")),
    Deviation("metric check in the review", "deviations.check_metric",
              "the review prompt states the competition's metric and direction and asks whether the printed "
              "figure is that metric; a contradicting answer makes the node buggy",
              "the reviewer reports any printed number", _on("check_metric")),
    Deviation("metric parsing", "deviations.lenient_metric",
              "a JSON integer or an unambiguous numeric string is a metric; ambiguous text is no metric",
              "only a JSON float is a metric (an integer such as 1 makes the node buggy)", _on("lenient_metric")),
    Deviation("debug prompt explains the bug", "deviations.explain_bugs",
              "the debug prompt lists why the node was judged buggy and the reviewer's analysis; sandbox kills are "
              "named (out of memory, too many processes, file too large, time limit)",
              "only the output and an 'Execution time' footer", _on("explain_bugs")),
    Deviation("reminder when a reply has no code", "deviations.remind_on_no_code",
              "the re-ask appends the reply and a reminder to answer with one code block",
              "the same prompt is sent again", _on("remind_on_no_code")),
    Deviation("LLM retries", "llm.retry_for_s",
              "a failing LLM call is retried for llm.retry_for_s seconds, then the run ends gracefully",
              "retried without limit", lambda cfg: cfg.llm.retry_for_s is not None),
    Deviation("isolated scripts", "",
              "each script runs as a fresh process in the run's sandbox, under its memory, process and file-size "
              "limits (the runner's limits.memory_mb; sandbox default 4 GB)",
              "a child process of the agent in the task container, no memory limit", _always),
    Deviation("code calls end at the time limit", "",
              "a code-model call is cut when the run's time is up, and the run ends time_exceeded; a review call "
              "is not (its script has run)",
              "the harness kills the container at the limit, whatever the agent is doing", _always),
    Deviation("unusable reviews", "",
              "a review that cannot be read marks the node buggy ('review unusable'); a failed review call keeps "
              "the executed node, to be reviewed on resume", "a crash (aideml #40)", _always),
    Deviation("prompt over the context window", "",
              "memory, then data preview, then task text are shrunk; the instructions never",
              "the call fails", _always),
    Deviation("own wording", "",
              "prompts, data preview and report are mle-suite's own text with AIDE's sections and facts",
              "aideml's text (not redistributed here)", _always),
    Deviation("accounting and resume", "",
              "every call's cost counts toward the budget, across resumes; runs resume from the journal",
              "no cost accounting, no resume", _always),
)


def active(cfg: AideConfig) -> list[Deviation]:
    return [d for d in DEVIATIONS if d.active(cfg)]


def summary(cfg: AideConfig) -> list[str]:
    """One line per active difference, for the run record."""
    return [f"{d.name} ({d.switch or 'no switch'})" for d in active(cfg)]


def config_header(cfg: AideConfig) -> str:
    """YAML comments listing how this run differs from MLE-bench's AIDE (config.yaml stays loadable)."""
    lines = ["# How this run differs from the AIDE that MLE-bench ran (openai/mle-bench agents/aide).",
             "# 'deviations: false' turns off every switch below; entries without a switch cannot be turned off."]
    for d in DEVIATIONS:
        state = "ACTIVE" if d.active(cfg) else "off (as MLE-bench)"
        lines.append(f"# - {d.name} [{d.switch or 'no switch'}]: {state}")
        if d.active(cfg):
            lines.append(f"#     here: {d.ours}")
            lines.append(f"#     MLE-bench: {d.mlebench}")
    return "\n".join(lines) + "\n"
