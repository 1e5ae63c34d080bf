"""One (possibly resumed) run of MLAB's loop.

Each step: build the research prompt (fixed part + the last steps), ask the main model until the reply
has all six entries and a known action (re-asking up to `format_retries` tries), read the Action
Input, carry out the action on the sandbox, shorten a long observation (the fast model summarises it),
append the time and steps left, keep copies of the files the step changed, and write the step to
trajectory.jsonl. The run ends by one of the `AgentStop` exceptions; the submission is then validated
and copied with the code into the run directory.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from sandbox import truncate_middle
from sandbox.errors import SandboxClosed, SandboxError
from scaffolds.core import aids
from scaffolds.core.agent import (
    AgentStop,
    stop_for,
    LimitsExceeded,
    LLMFailed,
    Submitted,
    TimeExceeded,
    submission_valid_now,
)
from scaffolds.core.llm import (
    ContextWindowExceeded,
    LLMError,
    LLMTimeUp,
    LLMUnavailable,
    Message,
)
from scaffolds.core.rundir import atomic_write_text
from scaffolds.mlab import execute, prompts, trajectory
from scaffolds.mlab.actions import Outcome, Workbench
from scaffolds.mlab.config import MlabConfig
from scaffolds.mlab.meter import StepMeter
from scaffolds.mlab.parsing import (
    FormatProblem,
    InputProblem,
    Reply,
    parse_action_input,
    parse_reply,
)
from scaffolds.mlab.summarize import summarize_observation

if TYPE_CHECKING:
    from sandbox import Sandbox
    from scaffolds.core.llm import LLM, ChatResult
    from scaffolds.core.task import Task

logger = logging.getLogger(__name__)

MIN_STEP_SECONDS = 5.0  # below this much time left, a step cannot do anything useful
REPEATS_BEFORE_NOTICE = 3  # fixes.repeat_notice: the third identical step in a row is told so
SUBMISSION = "submission/submission.csv"
RUNS_CODE = ("Execute Script", "Python REPL")
CODE_SUFFIXES = (".py", ".ipynb", ".sh", ".txt", ".md", ".json", ".yaml", ".yml", ".toml", ".cfg", ".r", ".R")


class NoValidResponse(AgentStop):
    """Every try of a step gave a reply in the wrong format (MLAgentBench then ends the run)."""

    reason = "format_errors"


@dataclass
class StepEvent:
    """Progress for a live display: `phase` is "thinking" (asking the model), "acting" or "done"."""

    step: int
    phase: str
    action: str
    observation: str
    elapsed_s: float
    cost_usd: float
    max_steps: int
    time_limit_s: float


class Session:
    def __init__(self, config: MlabConfig, task: Task, sandbox: Sandbox, llms: dict[str, LLM], run_dir: Path,
                 *, resume: bool, on_event: Callable[[StepEvent], None] | None) -> None:
        self.cfg, self.task, self.sandbox, self.llms, self.rd = config, task, sandbox, llms, Path(run_dir)
        self.on_event = on_event
        self.max_steps = min(config.steps, task.limits.max_steps or config.steps)
        self.time_limit = min(config.time_limit_s, task.limits.wall_time_s or config.time_limit_s)
        loaded = trajectory.load(trajectory.trajectory_path(self.rd))
        if loaded.header is not None and not resume:
            raise trajectory.TrajectoryError(
                f"{self.rd} already holds an MLAB run; resume it (options.resume / --resume) or use a new run dir")
        self.loaded = loaded
        self.records: list[dict[str, Any]] = list(loaded.steps)
        self.history: list[prompts.ShownStep] = []
        self.streak: tuple[tuple[str, str, str], int] = (("", "", ""), 0)  # the last step's (action, input, result), times
        for record in self.records:
            self._remember(record["entries"], record["observation"])
        self.elapsed_before = self.records[-1]["elapsed_s"] if self.records else 0.0
        self.started = time.monotonic()
        self.writer = trajectory.Writer(trajectory.trajectory_path(self.rd), loaded.valid_bytes)
        self.facts = self._facts()
        self.base_prompt = prompts.research_prompt(self.facts)
        self.bench = Workbench(sandbox, config, self._call, self.remaining, self.facts.problem,
                               new_script_help=prompts.new_script_help(self.facts),
                               edit_help=prompts.edit_help(self.facts), task_lines=self.facts.task_lines)
        self.meter = StepMeter()
        self.session = 0  # this session's number, set when it starts
        self.validation: dict[str, Any] | None = None  # set by finish()
        self.submission: Path | None = None

    def _facts(self) -> prompts.PromptFacts:
        paths, fixes, aid = self.sandbox.paths, self.cfg.fixes, self.cfg.aids
        submission = f"{paths.submission}/submission.csv"
        data = aids.host_data_aids(self.sandbox, aid, paths.data, submission, self.task.metric_name)
        facts = prompts.PromptFacts(
            problem="", home=paths.home, data=paths.data, submission=submission,
            time_limit_s=self.time_limit, step_limit=self.max_steps,
            execute_timeout_s=self.cfg.actions.execute_timeout_s if fixes.bounded_execute else None,
            gate_final_answer=fixes.gate_final_answer, inspect_max_lines=self.cfg.actions.inspect_max_lines,
            schema=data.schema, metric_name=self.task.metric_name,
            example=aids.worked_example(paths.data, submission) if aid.worked_example else "",
            example_reply=aid.example_reply,
            task_lines=data.task_lines)
        return replace(facts, problem=prompts.problem_text(self.task.prompt_text(), facts))

    # ---- the loop -------------------------------------------------------------------------------
    def run(self) -> tuple[str, str]:
        """Steps until a stop; returns (reason, message). Saves and finalises whatever happens."""
        end = self.loaded.end
        if end is not None and end.get("reason") == "submitted":
            self.session, self.validation = len(self.loaded.sessions), end.get("validation")
            self.submission = Path(end["submission"]) if end.get("submission") else None
            return "submitted", "the run had already ended with a Final Answer; nothing to resume"
        self._start_session()
        reason, message = "error", ""
        try:
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
            reason, message = "interrupted", "interrupted; resume to continue from the last complete step"
            raise
        finally:
            self.finish(reason, message)
        logger.info("MLAB run ended (%s): %s", reason, message)
        return reason, message

    def _start_session(self) -> None:
        self.rd.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.rd / "config.yaml", self.cfg.to_yaml())
        if self.loaded.header is None:
            models = {role: llm.model for role, llm in self.llms.items()}
            self.writer.append(trajectory.header(self.task.competition_id, self.cfg.to_dict(), models))
        self.session = len(self.loaded.sessions) + 1
        self.writer.append({"type": "session", "session": self.session, "started": time.time(),
                            "resumed_after_step": len(self.records), "elapsed_s": self.elapsed_before})

    def elapsed(self) -> float:
        return self.elapsed_before + time.monotonic() - self.started

    def remaining(self) -> float:
        return self.time_limit - self.elapsed()

    def total_cost(self) -> float:
        return sum(r["llm"]["cost_usd"] for r in self.records)

    def _check_limits(self) -> None:
        if len(self.records) >= self.max_steps:
            raise LimitsExceeded(f"step limit reached ({self.max_steps} steps)")
        if self.remaining() < MIN_STEP_SECONDS:
            raise TimeExceeded(f"time limit reached ({self.time_limit:.0f} s)")
        spent = self.total_cost()
        if self.cfg.max_cost_usd is not None and spent >= self.cfg.max_cost_usd:
            raise LimitsExceeded(f"cost limit reached (${spent:.4f} of ${self.cfg.max_cost_usd})")

    def _step(self) -> None:
        t0, n = time.monotonic(), len(self.records)
        self.meter = StepMeter()
        self._emit(n, "thinking", "", "")
        reply, retries, errors = self._next_reply()
        self._emit(n, "acting", reply.action, "")
        outcome, final, parsed = self._carry_out(reply, n)
        observation, summarized = self._shorten(reply, outcome.observation)
        if outcome.focus:  # aids.error_focus: after shortening, so no summary or cut can lose it
            observation = f"{prompts.templates()['aids']['focus']}\n{outcome.focus}\n\n{observation}"
        repeats = self._count_repeats(reply, outcome.observation)
        if self.cfg.fixes.repeat_notice and repeats >= REPEATS_BEFORE_NOTICE:
            observation += "\n\n" + prompts.text("repeat_notice", times=repeats)
        observation += "\n\n" + prompts.limits_suffix(self.remaining(), self.max_steps - n - 1)
        files = self._keep_files(n, outcome)
        step_s = time.monotonic() - t0
        record = {
            "type": "step", "step": n, "session": self.session, "entries": reply.entries,
            "action": reply.action, "action_input": parsed[0] if parsed else None,
            "raw_action_input": reply.raw_input, "input_parse": parsed[1] if parsed else "error",
            "observation": observation,
            "raw_observation_chars": len(outcome.observation), "summarized": summarized,
            "format_retries": retries, "format_errors": errors, "outage_waits": self.meter.outage_waits,
            "llm": self.meter.to_dict(), "elapsed_s": self.elapsed(), "files": files,
            "submission_valid": submission_valid_now(self.sandbox, self.facts.submission),
            "timing": {"step_s": step_s, "llm_s": self.meter.seconds, "exec_s": outcome.exec_s,
                       "harness_s": max(step_s - self.meter.seconds - outcome.exec_s, 0.0)},
        }
        if final is not None:
            record["final_answer"] = final
        self.writer.append(record)
        self.records.append(record)
        self._remember(reply.entries, observation)
        self._emit(n, "done", reply.action, observation)
        if final is not None and final["accepted"]:
            raise Submitted(f"Final Answer: {final['text'][:500]}")

    def _count_repeats(self, reply: Reply, result: str) -> int:
        """How many steps in a row, this one included, took this action with this input and got this result."""
        key = (reply.action, reply.raw_input.strip(), result)
        last, times = self.streak
        self.streak = (key, times + 1 if key == last else 1)
        return self.streak[1]

    def _remember(self, entries: dict[str, str], observation: str) -> None:
        """Add a step to the shown history; input-error steps are dropped once a step parses again.
        As in MLAgentBench, the plan is shown without its **update** marks and code fences, so the
        next reply marks only its own changes."""
        marker = "ActionInputParsingError"
        if not observation.startswith(marker):
            self.history = [s for s in self.history if not s.observation.startswith(marker)]
        plan = entries.get("Research Plan and Status", "").strip().strip("`").replace("**", "")
        self.history.append(prompts.ShownStep({**entries, "Research Plan and Status": plan}, observation))

    # ---- asking the main model ----------------------------------------------------------------
    def _prompt(self, shown: int) -> str:
        steps = self.history[-shown:] if shown > 0 else []
        return prompts.with_history(self.base_prompt, steps, len(self.history) - len(steps),
                                    self.cfg.context.observation_steps, prompts.first_prompt_aids(self.facts))

    def _fitting_prompt(self, shown: int) -> tuple[str, int]:
        """The prompt with the last `shown` steps, or fewer (fixes.fit_context) if it would not leave
        room for the reply in the main model's context window."""
        prompt = self._prompt(shown)
        if not self.cfg.fixes.fit_context:
            return prompt, shown
        llm = self.llms["main"]
        room = llm.context_window - (llm.config.max_tokens or 1024) - 64
        while shown > 0 and llm.count_tokens(prompt) > room:
            shown -= 1
            prompt = self._prompt(shown)
        return prompt, shown

    def _next_reply(self) -> tuple[Reply, int, list[str]]:
        """A reply in the right format, its number of re-asks, and what was wrong with the others."""
        fixes = self.cfg.fixes
        prompt, shown = self._fitting_prompt(self.cfg.context.steps)
        errors: list[str] = []
        tries = 0
        while tries < self.cfg.format_retries:
            try:
                text = self._call("main", [Message.user(prompt)]).text or ""
            except ContextWindowExceeded as exc:
                if not fixes.fit_context:
                    text = str(exc)  # as MLE-bench ran it: the error text is the "reply"
                elif shown > 0:
                    prompt, shown = self._fitting_prompt(shown - 1)  # show one step fewer and ask again
                    prompt += "".join(prompts.reask(e) for e in errors[-1:])
                    continue
                else:
                    raise LLMFailed(f"the prompt does not fit the main model even without past steps: {exc}") from None
            except LLMTimeUp:
                raise  # the run's time is up in every preset: not a reply, and not a model failure
            except LLMError as exc:
                if fixes.outage_not_format_error:
                    raise LLMFailed(f"the main model failed: {exc}") from None
                text = str(exc)
            tries += 1
            try:
                return parse_reply(text, self.bench.names, fixes.lenient_format), tries - 1, errors
            except FormatProblem as problem:
                errors.append(str(problem))
                prompt += prompts.reask(str(problem) if fixes.lenient_format else None)
        raise NoValidResponse(f"no valid response after {tries} tries; last problem: {errors[-1]}; "
                              f"the last reply began {text[:300]!r}")

    def _call(self, role: str, messages: list[Message]) -> ChatResult:
        """One metered LLM call. With fixes.outage_not_format_error, an unavailable service is waited
        out (every outage.retry_every_s, for up to outage.patience_s and never past the time left)."""
        llm, waited = self.llms[role], 0.0
        while True:
            t0 = time.monotonic()
            try:
                result = llm.chat(messages, within_s=self.remaining())
            except LLMUnavailable as exc:
                self.meter.failed(role, time.monotonic() - t0)
                if not self.cfg.fixes.outage_not_format_error:
                    raise
                pause = min(self.cfg.outage.retry_every_s, self.cfg.outage.patience_s - waited,
                            self.remaining() - MIN_STEP_SECONDS)
                if pause <= 0:
                    raise LLMFailed(f"the {role} model stayed unavailable ({waited:.0f} s of waiting): {exc}") from None
                logger.warning("%s model unavailable (%s); trying again in %.0f s", role, exc, pause)
                time.sleep(pause)
                waited += pause
                self.meter.outage_waits += 1
                self.meter.outage_wait_s += pause
                continue
            except LLMError:
                self.meter.failed(role, time.monotonic() - t0)
                raise
            u = result.usage
            self.meter.add(role, u.prompt_tokens, u.completion_tokens, u.cost_usd, time.monotonic() - t0)
            return result

    # ---- actions --------------------------------------------------------------------------------
    def _carry_out(self, reply: Reply, n: int) -> tuple[Outcome, dict[str, Any] | None, tuple[dict, str] | None]:
        """(outcome, final-answer record or None, (arguments, how they were read) or None)."""
        try:
            parsed = parse_action_input(reply.raw_input, prompts.arg_names(reply.action))
        except InputProblem as problem:
            text = prompts.text("input_error", error=problem, action=reply.action,
                                usage=prompts.usage_lines(reply.action))
            return Outcome(text), None, None
        args = parsed[0]
        if reply.action == "Final Answer":
            outcome, final = self._final_answer(args, n)
            return outcome, final, parsed
        if reply.action in RUNS_CODE:
            execute.mark(self.sandbox)
        return self.bench.run(reply.action, args), None, parsed

    def _final_answer(self, args: dict[str, Any], n: int) -> tuple[Outcome, dict[str, Any]]:
        """Accept the Final Answer, or (fixes.gate_final_answer) refuse it while time and steps are
        left and the submission is missing or invalid."""
        text = str(args.get("final_answer", ""))
        fixes = self.cfg.fixes
        check = self.sandbox.validate(SUBMISSION) if (fixes.auto_validate or fixes.gate_final_answer) else None
        validation = {"valid": check.valid, "message": check.message} if check else None
        time_left = self.remaining() > MIN_STEP_SECONDS and n + 1 < self.max_steps
        if fixes.gate_final_answer and check is not None and not check.valid and time_left:
            reason = f"the submission is missing or invalid ({check.message})."
            observation = prompts.text("final_refused", reason=reason, submission=self.facts.submission,
                                       time_left=prompts.format_time(self.remaining()))
            return Outcome(observation), {"text": text, "accepted": False, "reason": reason, "validation": validation}
        return Outcome("end"), {"text": text, "accepted": True, "validation": validation}

    def _shorten(self, reply: Reply, observation: str) -> tuple[str, bool]:
        """Cap (fixes.cap_outputs) and summarise a long observation; (text, whether summarised)."""
        o, cap = self.cfg.observation, self.cfg.fixes.cap_outputs
        if cap:
            observation = truncate_middle(observation, o.max_raw_chars)
        summarized = len(observation) > o.summarize_over_chars
        if summarized:
            step_text = prompts.render_entries(reply.entries)
            try:
                observation = summarize_observation(lambda m: self._call("fast", m), step_text, observation,
                                                    o.chunk_chars, o.max_chunks)
            except LLMTimeUp:
                raise
            except LLMError as exc:  # the summary is a convenience: keep the run going without it
                logger.warning("could not summarise a long observation: %s", exc)
                observation = truncate_middle(observation, o.summarize_over_chars)
        if cap:
            observation = truncate_middle(observation, o.max_chars)
        return observation, summarized

    # ---- files ----------------------------------------------------------------------------------
    def _keep_files(self, n: int, outcome: Outcome) -> list[dict[str, Any]]:
        """Copies of the files this step wrote (steps/NNNN/), for the trajectory viewer and resume."""
        sizes: dict[str, int | None] = {}
        for path in outcome.touched:
            relative = self._relative(path)
            if relative is not None:
                sizes[relative] = None
        if outcome.ran_code:
            sizes.update({f.path: f.size for f in execute.changed_files(self.sandbox)})
        folder = trajectory.step_files_dir(self.rd, n)
        shutil.rmtree(folder, ignore_errors=True)  # left by a step that crashed before it was recorded
        kept = []
        for i, (path, size) in enumerate(sorted(sizes.items())):
            if i < self.cfg.actions.copy_max_files:
                kept.append(self._keep_one(folder, path, size))
            else:
                kept.append({"path": path, "size": size, "copy": None, "note": "over actions.copy_max_files"})
        return kept

    def _relative(self, path: str) -> str | None:
        home = self.sandbox.paths.home.rstrip("/") + "/"
        path = str(path).strip()
        path = path.removeprefix(home)
        parts = PurePosixPath(path).parts
        if not parts or path.startswith("/") or ".." in parts:
            return None
        return str(PurePosixPath(*[p for p in parts if p != "."]))

    def _keep_one(self, folder: Path, path: str, size: int | None) -> dict[str, Any]:
        entry: dict[str, Any] = {"path": path, "size": size, "copy": None}
        if size is not None and size > self.cfg.actions.copy_max_bytes:
            entry["note"] = "larger than actions.copy_max_bytes; not copied"
            return entry
        try:  # text only: the copies are for reading the trajectory; binary files are noted, not kept
            content = self.sandbox.read_file(path)
        except SandboxError as exc:
            entry["note"] = f"not copied: {exc}"
            return entry
        entry["size"] = len(content.encode("utf-8", "replace"))
        if "\x00" in content or "\ufffd" in content or entry["size"] > self.cfg.actions.copy_max_bytes:
            entry["note"] = "binary or too large; not copied"
            return entry
        dest = folder.joinpath(*PurePosixPath(path).parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(content, encoding="utf-8")
        entry["copy"] = str(dest.relative_to(self.rd))
        return entry

    # ---- the end ------------------------------------------------------------------------------
    def finish(self, reason: str, message: str) -> None:
        """Validate the submission (fixes.auto_validate), copy it and the code to the run dir, and
        write the end record. Never raises: it runs in a finally block."""
        validation = submission = None
        try:
            if self.cfg.fixes.auto_validate:
                check = self.sandbox.validate(SUBMISSION)
                validation = {"valid": check.valid, "message": check.message}
            submission = self._copy_out_submission()
            self._copy_out_code()
        except (SandboxError, OSError) as exc:  # a closed sandbox, a full disk: keep the end record
            logger.error("could not finish the run directory: %s", exc)
        self.validation, self.submission = validation, submission
        try:
            self.writer.append({"type": "end", "reason": reason, "message": message, "steps": len(self.records),
                                "elapsed_s": self.elapsed(), "validation": validation,
                                "submission": str(submission) if submission else None})
        except OSError as exc:
            logger.error("could not write the end of the trajectory: %s", exc)

    def _copy_out_submission(self) -> Path | None:
        dest = self.rd / "submission" / "submission.csv"
        dest.unlink(missing_ok=True)
        try:
            return self.sandbox.copy_out(SUBMISSION, dest)
        except SandboxClosed:
            raise
        except (SandboxError, OSError):
            return None

    def _copy_out_code(self) -> None:
        """Text files the agent wrote (code, notes), as MLE-bench copied the workspace to its code dir."""
        folder = self.rd / "code"
        shutil.rmtree(folder, ignore_errors=True)
        for item in execute.files_under(self.sandbox, skip=("submission", "backup")):
            ours = item.path == "validate_submission.sh"  # the sandbox's, not the agent's
            if item.path.endswith(CODE_SUFFIXES) and not ours and item.size <= self.cfg.actions.copy_max_bytes:
                self._keep_one(folder, item.path, item.size)

    def _emit(self, step: int, phase: str, action: str, observation: str) -> None:
        if self.on_event is not None:
            cost = self.total_cost() + sum(u.cost_usd for u in self.meter.by_role.values())
            self.on_event(StepEvent(step, phase, action, observation[:2000], self.elapsed(), cost,
                                    self.max_steps, self.time_limit))
