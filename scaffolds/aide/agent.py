"""The AIDE agent: one loop of draft / improve / debug steps over a journal of whole-script solutions.

Each step: pick a parent (search.py), ask the code model for a plan and a script (prompts.py), run the
script as a fresh process in the sandbox, check the submission file on disk, ask the feedback model
for a review (review.py), append the node and save the journal atomically. The run ends by one of the
exceptions of scaffolds.core.agent; the best working node's submission is then put in place.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from sandbox.errors import SandboxError, SandboxPathError
from scaffolds.aide import prompts
from scaffolds.aide.config import AideConfig, load_config
from scaffolds.aide.journal import Journal, Node
from scaffolds.aide.preview import data_preview
from scaffolds.aide.response import exception_type, extract_code, extract_plan, trim_output
from scaffolds.aide.review import REVIEW_PARAMETERS, REVIEW_TOOL_NAME, Review, metric_from_output, parse_review
from scaffolds.aide.search import choose_parent, debug_depth_for, stage_for, step_rng
from scaffolds.aide.tree_html import render_tree_html
from scaffolds.core.agent import AgentResult, AgentStop, LimitsExceeded, LLMFailed, TimeExceeded
from scaffolds.core.rundir import RunDir, atomic_write_json, atomic_write_text, read_json

if TYPE_CHECKING:
    from sandbox import Sandbox
    from scaffolds.core.llm import LLM, ChatResult
    from scaffolds.core.task import Task

logger = logging.getLogger(__name__)

MIN_STEP_SECONDS = 5.0  # below this much time left, a step cannot do anything useful


@dataclass
class StepEvent:
    """Progress report for a live display: `phase` is generating | executing | reviewing | done."""

    step: int
    phase: str
    stage: str
    node: Node | None
    best_metric: float | None
    cost_usd: float
    elapsed_s: float
    max_steps: int
    time_limit_s: float


class AideAgent:
    """AIDE over the shared Sandbox and LLM contracts. `feedback_llm` reviews runs (default: `llm`)."""

    name = "aide"

    def __init__(
        self,
        config: AideConfig | None = None,
        *,
        feedback_llm: LLM | None = None,
        on_event: Callable[[StepEvent], None] | None = None,
    ) -> None:
        self.config = config or load_config("default")
        self.feedback_llm = feedback_llm
        self.on_event = on_event

    def run(self, task: Task, sandbox: Sandbox, llm: LLM, run_dir: Path | RunDir) -> AgentResult:
        rd = run_dir if isinstance(run_dir, RunDir) else RunDir(Path(run_dir))
        session = _Session(self.config, task, sandbox, llm, self.feedback_llm or llm, rd, self.on_event)
        return session.run()


def load_journal(rd: RunDir) -> Journal:
    return Journal.from_dict(read_json(rd.journal)) if rd.journal.exists() else Journal()


class _Session:
    """State of one (possibly resumed) run of the loop."""

    def __init__(self, config, task, sandbox, llm, feedback_llm, rd: RunDir, on_event) -> None:
        self.cfg: AideConfig = config
        self.task, self.sandbox, self.llm, self.feedback_llm = task, sandbox, llm, feedback_llm
        self.rd, self.on_event = rd, on_event
        self.journal = load_journal(rd)
        self.started = time.monotonic()
        self.elapsed_before = self.journal.elapsed_s
        self.max_steps = min(config.steps, task.limits.max_steps or config.steps)
        self.time_limit = min(config.time_limit_s, task.limits.wall_time_s or config.time_limit_s)
        self._preview: str | None = None
        self._installed: list[str] | None = None
        self.neutral = config.prompt.obfuscate or task.obfuscated

    # ---- the loop -------------------------------------------------------------------------
    def run(self) -> AgentResult:
        self.journal.sessions += 1
        if self.journal.maximize is None and self.task.lower_is_better is not None:
            self.journal.maximize = not self.task.lower_is_better
            self.journal.direction_source = "task"
        self.rd.root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.rd.config, self.cfg.to_yaml())
        reason, message = "stopped", ""
        try:
            while True:
                self._check_limits()
                self._step()
        except AgentStop as stop:
            reason, message = stop.reason, stop.message
        except Exception as exc:
            stop = _as_stop(exc)
            if stop is None:
                reason, message = "error", f"{type(exc).__name__}: {exc}"
                raise
            reason, message = stop.reason, stop.message
        except KeyboardInterrupt:
            reason, message = "interrupted", "interrupted; resume from the journal"
            raise
        finally:
            self.journal.end_reason = reason
            self._save()
            submission = self._finalize()
        logger.info("AIDE run ended (%s): %s", reason, message)
        return self._result(reason, message, submission)

    def elapsed(self) -> float:
        return self.elapsed_before + time.monotonic() - self.started

    def remaining(self) -> float:
        return self.time_limit - self.elapsed()

    def _check_limits(self) -> None:
        if len(self.journal) >= self.max_steps:
            raise LimitsExceeded(f"step limit reached ({self.max_steps} steps)")
        if self.remaining() < MIN_STEP_SECONDS:
            raise TimeExceeded(f"time limit reached ({self.time_limit:.0f} s)")
        spent = self.journal.totals().cost_usd
        if self.cfg.max_cost_usd is not None and spent >= self.cfg.max_cost_usd:
            raise LimitsExceeded(f"cost limit reached (${spent:.4f} of ${self.cfg.max_cost_usd})")

    def _step(self) -> None:
        t0 = time.monotonic()
        step = len(self.journal)
        rng = step_rng(self.cfg.seed, step)
        parent = choose_parent(self.journal, self.cfg.search, rng)
        node = Node(id=Node.new_id(), step=step, stage=stage_for(parent),
                    parent_id=parent.id if parent else None, debug_depth=debug_depth_for(parent))
        ctx = self._context(rng)
        self._emit("generating", node)
        self._generate(node, self._prompt(node, parent, ctx))
        self._emit("executing", node)
        self._execute(node)
        self._emit("reviewing", node)
        self._review(node, ctx)
        node.timing.step_s = time.monotonic() - t0
        self.journal.nodes.append(node)
        self._store_node(node)
        self._save()
        node.timing.step_s = time.monotonic() - t0  # include the saves; persisted by the next save
        self._emit("done", node)

    # ---- prompts and generation -------------------------------------------------------------
    def _context(self, rng) -> prompts.PromptContext:
        paths = self.sandbox.paths
        timeout = max(0.0, min(self.cfg.exec.timeout_s, self.remaining()))
        return prompts.PromptContext(
            task_text=self.task.prompt_text(),
            data_dir=str(paths.data),
            submission_path=f"{paths.submission}/submission.csv",
            working_dir=str(paths.working),
            timeout=prompts.humanize_seconds(timeout),
            time_remaining=prompts.humanize_seconds(self.remaining()),
            steps_remaining=self.max_steps - len(self.journal),
            k_fold=self.cfg.prompt.k_fold_validation,
            packages=prompts.shuffled_packages(self._packages(), rng),
            neutral=self.neutral,
        )

    def _packages(self) -> list[str]:
        """Which candidate packages the sandbox's python can import (asked once, inside the sandbox)."""
        if self._installed is None:
            self.sandbox.write_file("logs/aide_package_probe.py", prompts.package_probe_script())
            result = self.sandbox.run_script("logs/aide_package_probe.py", timeout=120)
            try:
                self._installed = json.loads(result.output.strip().splitlines()[-1])
            except (ValueError, IndexError):
                logger.warning("could not list the sandbox's packages: %s", result.output[-500:])
                self._installed = list(prompts.templates()["package_candidates"])
        return self._installed

    def _data_preview(self) -> str:
        if not self.cfg.prompt.data_preview:
            return ""
        if self._preview is None:
            self._preview = data_preview(Path(self.sandbox.host_paths.data), self.cfg.prompt.preview_chars)
        return self._preview

    def _prompt(self, node: Node, parent: Node | None, ctx: prompts.PromptContext) -> prompts.Prompt:
        memory = self.journal.memory(self.llm.count_tokens, self.cfg.prompt.memory_tokens)
        if parent is None:
            return prompts.draft_prompt(ctx, memory, self._data_preview())
        if node.stage == "debug":
            return prompts.debug_prompt(ctx, parent.code, parent.output, self._data_preview())
        return prompts.improve_prompt(ctx, memory, parent.code)

    def _messages(self, prompt: prompts.Prompt) -> list:
        from scaffolds.core.llm import Message

        if self.cfg.prompt.convert_system_to_user:
            return [Message(role="user", content=f"{prompt.system}\n\n{prompt.user}")]
        return [Message(role="system", content=prompt.system), Message(role="user", content=prompt.user)]

    def _chat(self, llm: LLM, node: Node, messages: list, **kwargs) -> tuple[ChatResult, float]:
        """One LLM call, recorded on the node. A prompt over the context window is halved (its
        middle cut) and re-sent, up to 3 times, rather than ending the run."""
        from dataclasses import replace as copy_with

        from scaffolds.core.llm import ContextWindowExceeded

        t0 = time.monotonic()
        for attempt in range(4):
            try:
                result = llm.chat(messages, **kwargs)
                break
            except ContextWindowExceeded:
                if attempt == 3:
                    raise
                last = messages[-1]
                size = len(last.content) // 2
                logger.warning("prompt too long for %s; cutting it to %d characters", llm.model, size)
                messages = [*messages[:-1], copy_with(last, content=trim_output(last.content, size, size // 2))]
        seconds = time.monotonic() - t0
        u = result.usage
        node.usage.add(u.prompt_tokens, u.completion_tokens, u.cost_usd, seconds)
        return result, seconds

    def _generate(self, node: Node, prompt: prompts.Prompt) -> None:
        """Plan and code from the code model; re-ask (with a reminder) when the reply has no code."""
        from scaffolds.core.llm import Message

        messages = self._messages(prompt)
        text = ""
        for _ in range(self.cfg.prompt.code_retries + 1):
            result, seconds = self._chat(self.llm, node, messages)
            node.timing.code_llm_s += seconds
            text = result.text or ""
            node.code = extract_code(text)
            if node.code:
                break
            messages = [*messages, Message(role="assistant", content=text), Message(
                role="user", content="Your reply had no Python code block. Reply again with the plan "
                "and the complete script in one ```python code block.")]
        node.plan = extract_plan(text) if node.code else text.strip()[:2000]

    # ---- execution --------------------------------------------------------------------------
    # The workspace is the agent's: it is only ever read, cleared and written through the sandbox API,
    # which never follows a link the agent planted (a submission linked to the answers is no submission).
    SUBMISSION = "submission/submission.csv"

    def _clear_submission(self) -> None:
        self.sandbox.clear("submission")

    def _execute(self, node: Node) -> None:
        """Run the node's script as a fresh process; record output, errors and its submission."""
        self._clear_submission()
        if not node.code:
            node.output = "The reply contained no Python code, so nothing was run."
            node.exc_type = "NoCode"
            return
        timeout = min(self.cfg.exec.timeout_s, self.remaining())
        if self.remaining() < MIN_STEP_SECONDS:
            raise TimeExceeded("no time left to run another script")
        script = f"code/node_{node.step:04d}_{node.id}.py"
        self.sandbox.write_file(script, node.code)
        node.timeout_s = timeout
        result = self.sandbox.run_script(script, timeout=timeout)
        node.exit_code, node.timed_out = result.exit_code, result.timed_out
        node.killed_reason, node.exec_time_s = result.killed_reason, result.duration_s
        node.timing.exec_s = result.duration_s
        node.exc_type = _exc_type(result)
        footer = (
            f"TimeoutError: the script ran longer than its limit of {prompts.humanize_seconds(timeout)} and was killed."
            if result.timed_out
            else f"Execution time: {result.duration_s:.1f} seconds (limit {prompts.humanize_seconds(timeout)})."
        )
        notes = self._check_submission(node)
        output = "\n".join(p for p in (result.output.rstrip(), footer, notes) if p)
        node.output = trim_output(output, self.cfg.exec.output_threshold, self.cfg.exec.output_keep)

    def _check_submission(self, node: Node) -> str:
        """Is there a submission on disk, and is its format valid? Returns a note for the prompts."""
        node.has_submission = self.sandbox.exists(self.SUBMISSION)
        if not node.has_submission:
            return (f"Harness check: no submission file was found at {self.sandbox.paths.submission}/submission.csv "
                    "(it must be a regular file; links are not followed).")
        try:
            kept = self.sandbox.copy_out(self.SUBMISSION, self.rd.node_dir(node.id) / "submission.csv")
        except SandboxPathError as exc:  # over the size cap, or replaced since the check
            node.has_submission = False
            return f"Harness check: the submission file could not be kept: {exc}"
        check = self.sandbox.validate_copy(kept)  # the copy kept is the copy checked
        node.submission_valid, node.validation_message = check.valid, check.message
        if not check.valid:
            return f"Harness check: the submission file is not valid: {check.message}"
        return ""

    # ---- review -----------------------------------------------------------------------------
    def _review(self, node: Node, ctx: prompts.PromptContext) -> None:
        review = self._ask_review(node, ctx) if node.code else Review(True, "", None, None, None, usable=False)
        node.analysis = review.summary or node.analysis
        node.review_lower_is_better = review.lower_is_better
        metric = review.metric
        if not review.usable and node.code:
            metric = metric_from_output(node.output)
            node.analysis = (node.analysis + "\n" if node.analysis else "") + (
                "The review was unusable; the metric was read from the script output." if metric is not None
                else "The review was unusable and the output shows no metric.")
        node.metric = metric
        reasons = []
        if review.usable and review.is_bug:
            reasons.append("the reviewer found a bug")
        if node.exc_type:
            reasons.append(f"the script failed ({node.exc_type})")
        if metric is None:
            reasons.append("no validation metric was reported")
        if not node.has_submission:
            reasons.append("no submission.csv was written")
        elif node.submission_valid is False:
            reasons.append(f"invalid submission: {node.validation_message}")
        node.bug_reasons, node.is_buggy = reasons, bool(reasons)
        if not node.is_buggy:
            self._settle_direction(review.lower_is_better)

    def _ask_review(self, node: Node, ctx: prompts.PromptContext) -> Review:
        from scaffolds.core.llm import ToolSpec

        status = "a submission file was written" if node.has_submission else "NO submission file was written"
        if node.submission_valid is False:
            status += f", but it is invalid: {node.validation_message}"
        prompt = prompts.review_prompt(ctx, node.code, node.output, status)
        tool = ToolSpec(name=REVIEW_TOOL_NAME, description="Report your review of the script's run.",
                        parameters=REVIEW_PARAMETERS)
        result, seconds = self._chat(self.feedback_llm, node, self._messages(prompt), tools=[tool],
                                     tool_choice=REVIEW_TOOL_NAME)
        node.timing.review_llm_s += seconds
        call = next((c for c in result.tool_calls if c.name == REVIEW_TOOL_NAME), None)
        return parse_review(call.arguments if call else None, result.text or "")

    def _settle_direction(self, lower_is_better: bool | None) -> None:
        """Fix the metric direction once; later reviews that disagree are counted, never obeyed."""
        if lower_is_better is None:
            return
        if self.journal.maximize is None:
            self.journal.maximize = not lower_is_better
            self.journal.direction_source = "review"
        elif self.journal.maximize == lower_is_better:
            self.journal.direction_conflicts += 1
            logger.warning("a review says lower_is_better=%s; keeping the run's direction (%s)",
                           lower_is_better, "maximize" if self.journal.maximize else "minimize")

    # ---- saving -----------------------------------------------------------------------------
    def _store_node(self, node: Node) -> None:
        folder = self.rd.node_dir(node.id)
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(folder / "solution.py", node.code)
        atomic_write_text(folder / "output.txt", node.output)
        self._place_best()

    def _place_best(self) -> Path | None:
        """Put the best working node's CSV in the workspace submission dir and in the run dir."""
        best = self.journal.best_node(only_good=True)
        self._clear_submission()
        if best is None:
            return None
        source = self.rd.node_dir(best.id) / "submission.csv"
        if not source.exists():
            return None
        self.sandbox.copy_in(source, self.SUBMISSION)
        self.rd.submission.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, self.rd.submission)  # both are the harness's own run-dir files
        atomic_write_text(self.rd.best_solution, best.code)
        return self.rd.submission

    def _save(self) -> None:
        self.journal.elapsed_s = self.elapsed()
        atomic_write_json(self.rd.journal, self.journal.to_dict())
        atomic_write_text(self.rd.tree_html, render_tree_html(self.journal, f"AIDE: {self.task.competition_id}"))

    def _finalize(self) -> Path | None:
        try:
            return self._place_best()
        except (OSError, SandboxError) as exc:  # a finally-block must not mask the original error
            logger.error("could not place the best submission: %s", exc)
            return None

    def _result(self, reason: str, message: str, submission: Path | None) -> AgentResult:
        best = self.journal.best_node()
        totals = self.journal.totals()
        return AgentResult(
            reason=reason, message=message, submission=submission, steps=len(self.journal),
            cost_usd=totals.cost_usd, tokens=totals.tokens,
            extra={"best_node": best.id if best else None, "best_metric": best.metric if best else None,
                   "direction_conflicts": self.journal.direction_conflicts, "run_dir": str(self.rd.root)},
        )

    def _emit(self, phase: str, node: Node) -> None:
        if self.on_event is None:
            return
        best = self.journal.best_node()
        self.on_event(StepEvent(
            step=node.step, phase=phase, stage=node.stage, node=node,
            best_metric=best.metric if best else None,
            cost_usd=self.journal.totals().cost_usd + (0.0 if phase == "done" else node.usage.cost_usd),
            elapsed_s=self.elapsed(), max_steps=self.max_steps, time_limit_s=self.time_limit))


def _exc_type(result) -> str | None:
    if result.timed_out:
        return "TimeoutError"
    if result.killed_reason == "memory":
        return "MemoryError"
    if result.killed_reason:
        return f"Killed({result.killed_reason})"
    if result.exit_code == 0:
        return None  # a traceback the script caught and printed is not a failure
    return exception_type(result.output) or f"ExitCode({result.exit_code})"


def _as_stop(exc: Exception) -> AgentStop | None:
    """Map the LLM layer's and the sandbox's terminal errors onto loop-ending reasons."""
    from sandbox.errors import WallTimeExceeded
    from scaffolds.core.llm import BudgetExceeded, LLMError

    if isinstance(exc, BudgetExceeded):
        return LimitsExceeded(f"LLM budget exhausted: {exc}")
    if isinstance(exc, WallTimeExceeded):
        return TimeExceeded(f"sandbox wall time exhausted: {exc}")
    if isinstance(exc, LLMError):
        return LLMFailed(f"LLM call failed: {exc}")
    return None
