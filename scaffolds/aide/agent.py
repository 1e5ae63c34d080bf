"""The AIDE agent: one loop of draft / improve / debug steps over a journal of whole-script solutions.

Each step: pick a parent (search.py), ask the code model for a plan and a script (prompts.py), run the
script as a fresh process in the sandbox, check the submission file on disk, ask the feedback model
for a review (review.py), append the node and save the journal atomically; only then is the best
node's submission put in place. The run ends by one of the exceptions of scaffolds.core.agent.

Nothing is lost on the way: an attempt abandoned part-way keeps its LLM spending in the journal, a
node whose review call failed is kept and reviewed on resume, and a resumed run (resume.py) restores
the time and budget the earlier sessions used.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from sandbox.errors import SandboxError, SandboxPathError
from scaffolds.aide import deviations, prompts
from scaffolds.aide.config import AideConfig, load_config
from scaffolds.aide.journal import Journal, Node
from scaffolds.aide.options import limits_of, resolve
from scaffolds.aide.preview import data_preview
from scaffolds.aide.response import exception_type, extract_code, extract_plan, trim_output
from scaffolds.aide.resume import Heartbeat, carry_over_spending, open_journal, recover, save_progress
from scaffolds.aide.review import REVIEW_TOOL_NAME, Review, bug_reasons, parse_review, review_parameters
from scaffolds.aide.search import choose_parent, debug_depth_for, stage_for, step_rng
from scaffolds.aide.tree_html import render_tree_html
from scaffolds.core import aids, import_check
from scaffolds.core.agent import (AgentOptions, AgentResult, AgentStop, LimitsExceeded, TimeExceeded,
                                   stop_for)
from scaffolds.core.llm import (LLM, Budget, BudgetExceeded, ChatResult, ContextWindowExceeded, LLMError, Message,
                                ToolSpec)
from scaffolds.core.rundir import RunDir, RunLock, atomic_write_json, atomic_write_text

if TYPE_CHECKING:
    from sandbox import Sandbox
    from scaffolds.core.task import Task, TaskLimits

logger = logging.getLogger(__name__)

MIN_STEP_SECONDS = 5.0  # below this much time left, a step cannot do anything useful
HEARTBEAT_S = 10.0  # how often the elapsed time is written while a run works (bounds what a kill loses)
IMPORT_ROUNDS = 2  # questions for missing import lines per script (aids.import_check)
IMPORT_CHECK_S = 60.0  # running a script's import lines alone (aids.import_check) takes seconds
MAX_REPLY_ECHO = 2000  # characters of a code-less reply sent back when re-asking


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
    """AIDE over the shared Sandbox and LLM contracts. `feedback_llm` reviews runs (default: `llm`).

    `resume`: True continues the journal in the run directory (it must exist), False starts a new run
    (the directory must not hold one), None continues when there is a journal."""

    name = "aide"

    def __init__(self, config: AideConfig | None = None, *, feedback_llm: LLM | None = None,
                 on_event: Callable[[StepEvent], None] | None = None, resume: bool | None = None) -> None:
        self.config = config or load_config("default")
        self.feedback_llm = feedback_llm
        self.on_event = on_event
        self.resume = resume
        self.limits: TaskLimits = limits_of(self.config)
        self.main_llm: LLM | None = None
        self.origin: dict[str, Any] = {}  # preset, overrides: saved so a run can be continued

    @classmethod
    def from_options(cls, options: AgentOptions) -> AideAgent:
        """Preset -> overrides -> models ("main": code, "feedback": reviewer) -> the user's limits; LLMs
        from `options.make_llm`, with this config's retry window."""
        cfg, limits = resolve(options)
        make = options.make_llm or _standalone_factory()
        # only the review forces a tool call, so constraining those (aids.json_review) leaves code replies alone
        def build(m):
            return _for_run(make(m.model, temperature=m.temperature, max_tokens=m.max_tokens), cfg,
                            constrain_tools=cfg.aids.json_review)

        code = build(cfg.code)
        same = (cfg.feedback.model, cfg.feedback.temperature, cfg.feedback.max_tokens) == \
            (cfg.code.model, cfg.code.temperature, cfg.code.max_tokens)
        feedback = code if same else build(cfg.feedback)
        agent = cls(cfg, feedback_llm=feedback, on_event=options.on_event, resume=options.resume)
        agent.limits, agent.main_llm = limits, code
        agent.origin = {"preset": options.preset or "default", "overrides": list(options.overrides)}
        return agent

    def config_dict(self) -> dict[str, Any]:
        return {**self.config.to_dict(), "differences_from_mlebench": deviations.summary(self.config)}

    def run(self, task: Task, sandbox: Sandbox, llm: LLM, run_dir: Path | RunDir) -> AgentResult:
        rd = run_dir if isinstance(run_dir, RunDir) else RunDir(Path(run_dir))
        open_journal(rd, self.resume)  # the one-line errors come before anything is created
        with RunLock(rd.root):
            journal = open_journal(rd, self.resume)
            session = _Session(self, task, sandbox, llm, self.feedback_llm or llm, rd, journal)
            return session.run()


def _for_run(llm: LLM, cfg: AideConfig, constrain_tools: bool = False) -> LLM:
    """The run's retry window on an LLM the runner built; lenient replay (prompts hold clock readings);
    with `constrain_tools`, forced tool calls constrained to their JSON schema (aids.json_review)."""
    derive = getattr(llm, "derive", None)
    if derive is None:
        return llm
    return derive(retry_for_s=cfg.llm.retry_for_s, replay_match="lenient", constrain_tools=constrain_tools)


def _standalone_factory() -> Callable[..., LLM]:
    """LLMs sharing one budget, for `from_options` without a runner."""
    budget, made = Budget(), {}

    def make(model: str, temperature: float | None = None, max_tokens: int | None = None) -> LLM:
        key = (model, temperature, max_tokens)
        if key not in made:
            made[key] = LLM(model, temperature=temperature, max_tokens=max_tokens, budget=budget)
        return made[key]

    return make


class _Session:
    """State of one (possibly resumed) run of the loop."""

    def __init__(self, agent: AideAgent, task: Task, sandbox: Sandbox, llm: LLM, feedback_llm: LLM, rd: RunDir,
                 journal: Journal) -> None:
        self.agent, self.cfg, self.dev = agent, agent.config, agent.config.deviations
        self.task, self.sandbox, self.llm, self.feedback_llm = task, sandbox, llm, feedback_llm
        self.rd, self.on_event, self.journal = rd, agent.on_event, journal
        self.resumed = journal.sessions > 0
        self.recovered = recover(journal, rd.root) if self.resumed else None
        self.started = time.monotonic()
        self.elapsed_before = journal.elapsed_s
        self.max_steps = min(self.cfg.steps, task.limits.max_steps or self.cfg.steps)
        self.time_limit = min(self.cfg.time_limit_s, task.limits.wall_time_s or self.cfg.time_limit_s)
        self._preview: str | None = None
        self._data_aids: aids.DataAids | None = None
        self._installed: list[str] | None = None
        self.neutral = self.cfg.prompt.obfuscate or task.obfuscated

    # ---- the loop -------------------------------------------------------------------------
    def run(self) -> AgentResult:
        self._begin()
        reason, message = "stopped", ""
        try:
            with Heartbeat(self.rd.root, self.elapsed, HEARTBEAT_S):
                self._review_pending()
                while True:
                    self._check_limits()
                    self._step()
        except AgentStop as stop:
            reason, message = stop.reason, stop.message
        except Exception as exc:
            stop = stop_for(exc)
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
        self._write_report(reason)
        logger.info("AIDE run ended (%s): %s", reason, message)
        return self._result(reason, message, submission)

    def _begin(self) -> None:
        """Start (or continue) the run: budget of earlier sessions, direction, settings, config.yaml."""
        if self.resumed:
            carry_over_spending(self.journal, (self.llm, self.feedback_llm))
            self._note_changed_config()
        self.journal.sessions += 1
        if self.journal.maximize is None and self.task.lower_is_better is not None and self.dev.direction_from_task:
            self.journal.maximize = not self.task.lower_is_better
            self.journal.direction_source = "task"
        self.journal.settings = self._settings()
        self.rd.root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.rd.config, deviations.config_header(self.cfg) + self.cfg.to_yaml())
        if self.recovered is not None:
            self._store_node(self.recovered)
        self._save()

    def _settings(self) -> dict[str, Any]:
        config = getattr(self.llm, "config", None)
        return {**self.agent.origin, "models": {"main": self.cfg.code.model, "feedback": self.cfg.feedback.model},
                "api_base": getattr(config, "api_base", None), "seed": self.cfg.seed,
                "limits": asdict(self.task.limits), "competition": self.task.competition_id}

    def _note_changed_config(self) -> None:
        try:
            saved = yaml.safe_load(self.rd.config.read_text())
        except (OSError, yaml.YAMLError):
            return
        for key, (old, new) in _differences(saved or {}, self.cfg.to_dict()).items():
            logger.warning("resumed with a changed setting %s: %r -> %r", key, old, new)

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
        node = Node(id=Node.make_id(self.cfg.seed, step, self.journal.attempts_at(step)), step=step,
                    stage=stage_for(parent), parent_id=parent.id if parent else None,
                    debug_depth=debug_depth_for(parent))
        self.journal.in_progress = node
        try:
            ctx = self._context(rng)
            self._phase(node, "generating", save=False)
            self._generate(node, parent, ctx)
            self._phase(node, "executing")  # the code call's cost is on disk before a long script runs
            self._execute(node)
            self._phase(node, "reviewing")  # ...and the script's result before a long review
            self._review(node, ctx)
        except BaseException as exc:
            self._keep_attempt(node, exc)
            raise
        finally:
            node.timing.step_s = time.monotonic() - t0
        node.phase = ""
        self._add_node(node)
        node.timing.step_s = time.monotonic() - t0  # include the saves; persisted by the next save
        self._emit("done", node)

    def _phase(self, node: Node, phase: str, save: bool = True) -> None:
        node.phase = phase
        if save:  # a small file, not the whole journal: this happens twice per step
            save_progress(self.rd.root, node, self.elapsed())
        self._emit(phase, node)

    def _keep_attempt(self, node: Node, exc: BaseException) -> None:
        """An attempt that ends in an exception: kept unreviewed if its script ran, else abandoned."""
        if self.journal.in_progress is not node:
            return
        why = f"{type(exc).__name__} while {node.phase}: {str(exc)[:300]}".rstrip(": ")
        if node.phase == "reviewing":
            node.reviewed, node.is_buggy = False, True
            node.bug_reasons = [f"not reviewed yet: {why}"]
            self.journal.in_progress = None
            self.journal.nodes.append(node)
            self._store_node(node)
        else:
            self.journal.abandon(node, why)

    def _review_pending(self) -> None:
        """Review the nodes whose script ran but whose review never came (a failed call, a killed process)."""
        for node in [n for n in self.journal.nodes if not n.reviewed]:
            self._review(node, self._context(step_rng(self.cfg.seed, node.step)))
            self._store_node(node)
            self._save()
            self._place_best()
            self._emit("done", node)

    # ---- prompts and generation -------------------------------------------------------------
    def _context(self, rng) -> prompts.PromptContext:
        paths = self.sandbox.paths
        timeout = max(0.0, min(self.cfg.exec.timeout_s, self.remaining()))
        packages = self._packages() if self.dev.probe_packages else list(prompts.templates()["aide_packages"])
        checked = self.dev.check_metric and self.journal.direction_source == "task" and self.task.metric_name
        submission = f"{paths.submission}/submission.csv"
        return prompts.PromptContext(
            task_text=self.task.prompt_text(),
            data_dir=str(paths.data),
            submission_path=submission,
            working_dir=str(paths.working),
            timeout=prompts.humanize_seconds(timeout),
            time_remaining=prompts.humanize_seconds(self.remaining()),
            steps_remaining=self.max_steps - len(self.journal),
            k_fold=self.cfg.prompt.k_fold_validation,
            packages=prompts.shuffled_packages(packages, rng),
            neutral=self.neutral,
            aide_packages=not self.dev.probe_packages,
            metric_name=self.task.metric_name if checked else "",
            lower_is_better=(not self.journal.maximize) if checked else None,
            schema=self._schema(),
            example=aids.worked_example(str(paths.data), submission) if self.cfg.aids.worked_example else "",
            example_schema=aids.example_schema(str(paths.data), submission, self.cfg.aids.shows_task_lines)
            if self.cfg.aids.worked_example and self.cfg.aids.data_schema else "",
        )

    def _schema(self) -> str:
        return self._read_data_aids().schema

    def _task_lines(self) -> str:
        return self._read_data_aids().task_lines

    def _read_data_aids(self) -> aids.DataAids:
        """aids.data_schema and aids.task_lines (for the error focus), read once from the public data."""
        if self._data_aids is None:
            paths = self.sandbox.paths
            self._data_aids = aids.host_data_aids(self.sandbox, self.cfg.aids, str(paths.data),
                                                  f"{paths.submission}/submission.csv", self.task.metric_name)
        return self._data_aids

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

    def _parts(self, node: Node, ctx: prompts.PromptContext) -> prompts.PromptParts:
        memory = ""
        if node.stage != "debug":
            budget = self.cfg.prompt.memory_tokens if self.dev.bounded_memory else None
            memory = self.journal.memory(self.llm.count_tokens, budget)
        preview = self._data_preview() if node.stage != "improve" and not ctx.schema else ""
        return prompts.PromptParts(ctx.task_text, memory, preview)

    def _prompt(self, node: Node, parent: Node | None, ctx: prompts.PromptContext,
                parts: prompts.PromptParts) -> prompts.Prompt:
        if parent is None:
            return prompts.draft_prompt(ctx, parts)
        if node.stage == "debug":
            why, analysis = (parent.bug_reasons, parent.analysis) if self.dev.explain_bugs else ((), "")
            focus = aids.host_error_focus(self.sandbox, parent.code, parent.output, self._script(parent).name,
                                          self._task_lines()) if self.cfg.aids.error_focus else ""
            return prompts.debug_prompt(ctx, parts, parent.code, parent.output, why, analysis, focus)
        return prompts.improve_prompt(ctx, parts, parent.code)

    def _messages(self, prompt: prompts.Prompt) -> list:
        role = "user" if self.cfg.prompt.convert_system_to_user else "system"
        if not self.dev.split_messages or self.cfg.prompt.convert_system_to_user:
            return [Message(role=role, content=f"{prompt.system}\n\n{prompt.user}")]
        return [Message(role="system", content=prompt.system), Message(role="user", content=prompt.user)]

    def _chat(self, llm: LLM, node: Node, messages: list, **kwargs) -> tuple[ChatResult, float]:
        """One LLM call, recorded on the node (its time also when it fails)."""
        t0 = time.monotonic()
        try:
            result = llm.chat(messages, **kwargs)
        except Exception:
            node.usage.llm_s += time.monotonic() - t0
            raise
        seconds = time.monotonic() - t0
        u = result.usage
        node.usage.add(u.prompt_tokens, u.completion_tokens, u.cost_usd, seconds)
        return result, seconds

    def _chat_prompt(self, llm: LLM, node: Node, build: Callable[[prompts.PromptParts], prompts.Prompt],
                     parts: prompts.PromptParts, extra: tuple = (), **kwargs) -> tuple[ChatResult, float]:
        """A call whose prompt is shrunk (memory, then preview, then task text) until it fits the
        model's context window: before sending when the window is known, and when the model says so."""
        while True:
            messages = [*self._messages(build(parts)), *extra]
            smaller = None if _fits(llm, messages) else prompts.shrink(parts)
            if smaller is None:
                try:
                    return self._chat(llm, node, messages, **kwargs)
                except ContextWindowExceeded:
                    smaller = prompts.shrink(parts)
                    if smaller is None:
                        raise
            logger.warning("prompt too long for %s; shrinking it (memory, then data preview, then task text)",
                           getattr(llm, "model", "the model"))
            parts = smaller

    def _generate(self, node: Node, parent: Node | None, ctx: prompts.PromptContext) -> None:
        """Plan and code from the code model; re-ask when the reply has no code, or (aids.whole_script)
        only a fragment of the parent's script."""
        parts, extra, text = self._parts(node, ctx), (), ""
        for _ in range(self.cfg.prompt.code_retries + 1):
            # A code-model call is cut at the time limit: its script could not run anyway. A review is
            # not: the script it judges has run, and its submission counts only once reviewed.
            result, seconds = self._chat_prompt(self.llm, node, lambda p: self._prompt(node, parent, ctx, p),
                                                parts, extra, within_s=self.remaining())
            node.timing.code_llm_s += seconds
            text = result.text or ""
            node.code = extract_code(text)
            reminder = self._reminder(node.code, parent)
            if node.code and reminder is None:
                break
            if reminder is not None:  # else (MLE-bench's AIDE) the same prompt is sent again
                extra = (Message(role="assistant", content=text[:MAX_REPLY_ECHO]),
                         Message(role="user", content=reminder))
        node.plan = extract_plan(text) if node.code else text.strip()[:2000]
        if node.code and self.cfg.aids.import_check:
            self._check_imports(node, lambda p: self._prompt(node, parent, ctx, p), parts, text)

    def _check_imports(self, node: Node, build: Callable[[prompts.PromptParts], prompts.Prompt],
                       parts: prompts.PromptParts, reply: str) -> None:
        """aids.import_check: before the script runs, ask for the import lines it lacks (names it uses but
        never defines; a second time for those the first answer missed), then for a fix of an import
        that fails in the sandbox. The model writes the lines; the scaffold puts them in place."""
        for _ in range(IMPORT_ROUNDS):  # a small model asked for four imports may give three
            names = import_check.undefined_names(node.code)
            if not names:
                break
            lines = self._ask_lines(node, build, parts, reply, prompts.missing_imports(list(names)))
            added = [s for s in lines if import_check.bound_names(s) & names.keys()]
            if not added:  # what is left is no import (a variable never defined): the run will say so
                break
            node.code = import_check.with_imports(node.code, added)
            node.import_fixes += [f"added: {s}" for s in added]
        check, statements = import_check.check_script(node.code)
        if not statements or self.remaining() < MIN_STEP_SECONDS:
            return
        script = f"code/imports_{node.step:04d}_{node.id}.py"
        self.sandbox.write_file(script, check)
        result = self.sandbox.run_script(script, timeout=min(IMPORT_CHECK_S, self.remaining()))
        failed = import_check.failed_import(result.output, Path(script).name, statements)
        if failed is None:
            return
        lines = self._ask_lines(node, build, parts, reply,
                                prompts.failed_import(failed.statement, failed.exception))
        node.code = import_check.replace_import(node.code, failed.statement, lines)
        node.import_fixes += [f"replaced: {failed.statement} -> {'; '.join(lines)}"] if lines else []

    def _ask_lines(self, node: Node, build: Callable[[prompts.PromptParts], prompts.Prompt],
                   parts: prompts.PromptParts, reply: str, question: str) -> list[str]:
        """The import statements of the code model's answer to `question`, asked after its `reply` in the
        same conversation (a local server reuses the prompt it has already read)."""
        extra = (Message(role="assistant", content=reply), Message(role="user", content=question))
        result, seconds = self._chat_prompt(self.llm, node, build, parts, extra, within_s=self.remaining())
        node.timing.code_llm_s += seconds
        return import_check.import_statements(extract_code(result.text or "") or result.text or "")

    def _reminder(self, code: str, parent: Node | None) -> str | None:
        """What to re-ask about a reply's code (None: nothing). A small model asked to fix one line
        often answers with that line alone, which would run as a script of its own."""
        if not code:
            return prompts.no_code_reminder() if self.dev.remind_on_no_code else None
        if self.cfg.aids.whole_script and parent is not None and aids.is_fragment(code, parent.code):
            return prompts.fragment_reminder(len(code.splitlines()), len(parent.code.splitlines()))
        return None

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
        script = str(self._script(node))
        self.sandbox.write_file(script, node.code)
        node.timeout_s = timeout
        result = self.sandbox.run_script(script, timeout=timeout)
        node.exit_code, node.timed_out = result.exit_code, result.timed_out
        node.killed_reason, node.exec_time_s = result.killed_reason, result.duration_s
        node.timing.exec_s = result.duration_s
        node.exc_type = _exc_type(result)
        footer = prompts.exec_footer(result.killed_reason, result.timed_out, result.duration_s, timeout,
                                     self.dev.explain_bugs)
        notes = self._check_submission(node)
        if not self.dev.validate_submission:  # MLE-bench's AIDE checked only that the file exists, silently
            notes, node.submission_valid, node.validation_message = "", None, ""
        output = "\n".join(p for p in (result.output.rstrip(), footer, notes) if p)
        node.output = trim_output(output, self.cfg.exec.output_threshold, self.cfg.exec.output_keep)

    @staticmethod
    def _script(node: Node) -> Path:
        return Path(f"code/node_{node.step:04d}_{node.id}.py")

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
        """The feedback model's review and the verdict; an unreadable review makes the node buggy, and
        nothing is read from the script's output in its place."""
        if not node.code or self.cfg.aids.skip_failed_review and node.exc_type:
            review = Review(False, "", None, None, None)  # nothing ran, or it failed: nothing to review
        else:
            review = self._ask_review(node, ctx)
        node.reviewed = True
        node.analysis = review.summary
        node.review_lower_is_better = review.lower_is_better
        node.metric = review.metric if review.usable else None
        checked = self.dev.check_metric and self.journal.direction_source == "task"
        node.bug_reasons = bug_reasons(node, review, validate_submission=self.dev.validate_submission,
                                       run_maximize=self.journal.maximize if checked else None,
                                       check_metric=self.dev.check_metric)
        node.is_buggy = bool(node.bug_reasons)
        if not node.is_buggy:
            self._settle_direction(review.lower_is_better)

    def _ask_review(self, node: Node, ctx: prompts.PromptContext) -> Review:
        status = None
        if self.dev.validate_submission:
            status = "a submission file was written" if node.has_submission else "NO submission file was written"
            if node.submission_valid is False:
                status += f", but it is invalid: {node.validation_message}"
        tool = ToolSpec(name=REVIEW_TOOL_NAME, description="Report your review of the script's run.",
                        parameters=review_parameters(bool(ctx.metric_name)))
        build = lambda parts: prompts.review_prompt(ctx, parts, node.code, node.output, status)  # noqa: E731
        result, seconds = self._chat_prompt(self.feedback_llm, node, build, prompts.PromptParts(ctx.task_text),
                                            tools=[tool], tool_choice=REVIEW_TOOL_NAME)
        node.timing.review_llm_s += seconds
        call = next((c for c in result.tool_calls if c.name == REVIEW_TOOL_NAME), None)
        return parse_review(call.arguments if call else None, result.text or "",
                            lenient_metric=self.dev.lenient_metric)

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
    def _add_node(self, node: Node) -> None:
        """Append a finished node; the journal naming the best node is saved before the best files move."""
        self.journal.in_progress = None
        self.journal.nodes.append(node)
        self._store_node(node)
        self._save()
        self._place_best()

    def _store_node(self, node: Node) -> None:
        folder = self.rd.node_dir(node.id)
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(folder / "solution.py", node.code)
        atomic_write_text(folder / "output.txt", node.output)

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

    def _save(self, tree: bool = True) -> None:
        self.journal.elapsed_s = self.elapsed()
        best = self.journal.best_node(only_good=True)
        self.journal.best_node_id = best.id if best else None
        atomic_write_json(self.rd.journal, self.journal.to_dict())
        if tree:
            atomic_write_text(self.rd.tree_html, render_tree_html(self.journal, f"AIDE: {self.task.competition_id}"))

    def _finalize(self) -> Path | None:
        try:
            return self._place_best()
        except (OSError, SandboxError) as exc:  # a finally-block must not mask the original error
            logger.error("could not place the best submission: %s", exc)
            return None

    def _write_report(self, reason: str) -> None:
        """report.md by the feedback model (AIDE's report), when asked for and the run ended normally."""
        if not self.cfg.report or reason in ("error", "interrupted"):
            return
        best = self.journal.best_node()
        parts = prompts.PromptParts(self.task.prompt_text(), self.journal.memory(self.llm.count_tokens, 6000))
        holder = Node(id="report", step=-1, stage="report")  # collects the call's usage
        try:
            result, _ = self._chat_prompt(self.feedback_llm, holder,
                                          lambda p: prompts.report_prompt(p, best.code if best else ""), parts)
        except (LLMError, BudgetExceeded) as exc:
            logger.warning("no report.md: %s", exc)
            return
        finally:
            self.journal.other_usage.absorb(holder.usage)
            self._save(tree=False)
        atomic_write_text(self.rd.root / "report.md", (result.text or "").strip() + "\n")

    def _result(self, reason: str, message: str, submission: Path | None) -> AgentResult:
        best = self.journal.best_node()
        totals = self.journal.totals()
        return AgentResult(
            reason=reason, message=message, submission=submission, steps=len(self.journal),
            cost_usd=totals.cost_usd, tokens=totals.tokens,
            extra={"best_node": best.id if best else None, "best_metric": best.metric if best else None,
                   "direction_conflicts": self.journal.direction_conflicts, "run_dir": str(self.rd.root),
                   "abandoned": len(self.journal.abandoned), "llm_calls": totals.calls,
                   "unreviewed": sum(not n.reviewed for n in self.journal.nodes)},
        )

    def _emit(self, phase: str, node: Node) -> None:
        if self.on_event is None:
            return
        best = self.journal.best_node()
        self.on_event(StepEvent(
            step=node.step, phase=phase, stage=node.stage, node=node,
            best_metric=best.metric if best else None, cost_usd=self.journal.totals().cost_usd,
            elapsed_s=self.elapsed(), max_steps=self.max_steps, time_limit_s=self.time_limit))


def _fits(llm: LLM, messages: list) -> bool:
    """Does the prompt leave room for a reply in a context window we know (unknown: assume it fits)?"""
    window = getattr(llm, "known_context_window", None)
    if not window:
        return True
    return llm.count_message_tokens(messages) + min(4096, window // 4) <= window


def _differences(old: Any, new: Any, prefix: str = "") -> dict[str, tuple[Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        out: dict[str, tuple[Any, Any]] = {}
        for key in sorted(set(old) | set(new)):
            out.update(_differences(old.get(key), new.get(key), f"{prefix}{key}."))
        return out
    return {} if old == new else {prefix.rstrip("."): (old, new)}


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
