"""OpenHands' CodeActAgent over the shared sandbox and LLM layer.

The loop: ask the model, take the one action of its reply (a native tool call, or a text-tag block for
models without tool calls), run it in the sandbox, give back the observation; until `finish`, the step
limit or the time limit. Each turn is appended to `trajectory.jsonl` as it happens; a resumed run
rebuilds the conversation from it. The fixes of `config.fixes` (refused early finish, timeouts capped by
the time left, loop detection on real repetition, condensation, limits in every observation) can each
be switched off; the `mlebench-original` preset switches them all off.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from sandbox import SandboxClosed, SandboxError, WallTimeExceeded
from scaffolds.core import aids
from scaffolds.core.agent import (AgentOptions, AgentResult, AgentStop, LimitsExceeded, Submitted,
                                  TimeExceeded, stop_for, submission_valid_now)
from scaffolds.core.llm import LLM, ContextWindowExceeded, Message
from scaffolds.core.llm.models import is_local, supports_tools
from scaffolds.core.rundir import atomic_write_text
from scaffolds.core.task import TaskLimits
from scaffolds.openhands import memory, prompts
from scaffolds.openhands.actions import MESSAGE, Action, from_tool_calls, parse_tags
from scaffolds.openhands.config import CodeActConfig, load_config, merged_limits
from scaffolds.openhands.memory import Conversation, Turn
from scaffolds.openhands.runtime import Observation, Runtime
from scaffolds.openhands.stuck import StuckDetector
from scaffolds.openhands.trajectory import FILE_NAME, Trajectory

if TYPE_CHECKING:
    from sandbox import Sandbox
    from scaffolds.core.llm import ChatResult
    from scaffolds.core.task import Task

logger = logging.getLogger(__name__)

MIN_STEP_SECONDS = 5.0  # below this much time left a turn cannot do anything useful
TIME_MARGIN_S = 2.0  # a command's timeout stops this far before the run's end


class Stuck(AgentStop):
    """The agent repeated the same action with the same result and did not change course."""

    reason = "stuck"


@dataclass
class TurnEvent:
    """Live progress for a front end, sent after every turn."""

    step: int
    tool: str
    summary: str
    elapsed_s: float
    cost_usd: float
    max_steps: int
    time_limit_s: float


class CodeActAgent:
    """OpenHands' CodeActAgent. Build it with `from_options` (the runner) or directly (tests)."""

    name = "openhands"

    def __init__(self, config: CodeActConfig | None = None, *, main_llm: LLM | None = None,
                 condenser_llm: LLM | None = None, limits: TaskLimits | None = None, resume: bool = False,
                 on_event: Callable[[TurnEvent], None] | None = None) -> None:
        self.config = config or load_config("default")
        self.limits = limits or merged_limits(self.config, TaskLimits())
        self.main_llm = main_llm
        self.condenser_llm = condenser_llm
        self.resume = resume
        self.on_event = on_event

    @classmethod
    def from_options(cls, options: AgentOptions) -> CodeActAgent:
        config = load_config(options.preset, options.overrides, dict(options.models))
        config = replace(config, seed=options.seed)
        make = options.make_llm or _plain_llm
        main = make(config.main.model, temperature=config.main.temperature, max_tokens=config.main.max_tokens)
        condenser = make(config.condenser.model or config.main.model, temperature=config.main.temperature,
                         max_tokens=config.condenser.summary_tokens)
        return cls(config, main_llm=main, condenser_llm=condenser, limits=merged_limits(config, options.limits),
                   resume=options.resume, on_event=options.on_event)

    def config_dict(self) -> dict[str, Any]:
        return self.config.to_dict()

    def run(self, task: Task, sandbox: Sandbox, llm: LLM, run_dir: Path) -> AgentResult:
        return _Session(self, task, sandbox, llm, Path(run_dir)).run()


def _plain_llm(model: str, temperature: float | None = None, max_tokens: int | None = None) -> LLM:
    return LLM(model, temperature=temperature, max_tokens=max_tokens)


def choose_mode(config: CodeActConfig, llm: LLM) -> str:
    """"native" tool calls or CodeAct's "tags"; auto picks tags for models known to lack tool calls."""
    wanted = config.actions.function_calling
    if wanted != "auto":
        return wanted
    return "tags" if is_local(llm.model) or supports_tools(llm.model) is False else "native"


class _Session:
    """One (possibly resumed) run of the loop."""

    def __init__(self, agent: CodeActAgent, task: Task, sandbox: Sandbox, llm: LLM, run_dir: Path) -> None:
        self.cfg, self.task, self.sandbox, self.llm = agent.config, task, sandbox, llm
        self.condenser_llm = agent.condenser_llm or llm
        self.agent, self.rd = agent, run_dir
        self.max_steps = task.limits.max_steps or self.cfg.max_steps
        self.time_limit = task.limits.wall_time_s or self.cfg.time_limit_s
        actions = replace(self.cfg.actions, bash_timeout_s=task.limits.action_timeout_s or self.cfg.actions.bash_timeout_s)
        self.data_aids = aids.host_data_aids(sandbox, self.cfg.aids, sandbox.paths.data, self._submission_inside(),
                                             task.metric_name)
        self.runtime = Runtime(sandbox, actions, run_dir, error_focus=self.cfg.aids.error_focus,
                               task_lines=self.data_aids.task_lines)
        self.traj = Trajectory(run_dir / FILE_NAME)
        fixes = self.cfg.fixes
        self.stuck = StuckDetector(fixes.stuck_detector, fixes.stuck_repeats)
        self.redirects_left = fixes.stuck_redirects if fixes.stuck_detector == "repetition" else 0
        self.mode = choose_mode(self.cfg, llm)
        self.tools = prompts.tool_specs() if self.mode == "native" else []
        self.conv = Conversation([])
        self.step, self.elapsed_before, self.started = 0, 0.0, time.monotonic()
        self.refusals, self.cost, self.tokens = 0, 0.0, 0

    # ---- the loop ----------------------------------------------------------------------------
    def run(self) -> AgentResult:
        self.rd.mkdir(parents=True, exist_ok=True)
        self._start_or_resume()
        atomic_write_text(self.rd / "config.yaml", self.cfg.to_yaml())
        reason, message = "stopped", ""
        try:
            while True:
                self._check_limits()
                self._turn()
        except AgentStop as stop:
            reason, message = stop.reason, stop.message
        except KeyboardInterrupt:
            reason, message = "interrupted", "interrupted; resume from the trajectory"
            raise
        except Exception as exc:
            stop = stop_for(exc)
            if stop is None:
                reason, message = "error", f"{type(exc).__name__}: {exc}"
                raise
            reason, message = stop.reason, stop.message
        finally:
            result = self._finish_run(reason, message)
        logger.info("CodeAct run ended (%s): %s", reason, message)
        return result

    def elapsed(self) -> float:
        return self.elapsed_before + time.monotonic() - self.started

    def remaining(self) -> float:
        return self.time_limit - self.elapsed()

    def _llm_cap(self) -> float | None:
        """fixes.cap_timeout_by_time_left: a model call, like an action, ends with the time left."""
        return self.remaining() if self.cfg.fixes.cap_timeout_by_time_left else None

    def _check_limits(self) -> None:
        if self.step >= self.max_steps:
            raise LimitsExceeded(f"step limit reached ({self.max_steps} steps)")
        if self.remaining() < MIN_STEP_SECONDS:
            raise TimeExceeded(f"time limit reached ({self.time_limit:.0f} s)")
        max_cost = self.task.limits.max_cost_usd or self.cfg.max_cost_usd
        if max_cost is not None and self.cost >= max_cost:
            raise LimitsExceeded(f"cost limit reached (${self.cost:.4f} of ${max_cost})")

    def _turn(self) -> None:
        t0 = time.monotonic()
        condense_s = self._maybe_condense("threshold")
        reply, llm_s, more_condense_s = self._ask()
        action, assistant, extra_calls = self._parse(reply)
        obs, events, done = self._act(action)
        reason = self.stuck.observe(action, obs)
        notes = self._on_stuck(reason, events) if reason else []
        messages = self._turn_messages(action, assistant, extra_calls, obs, notes)
        self.conv.turns.append(Turn(self.step, messages))
        total = time.monotonic() - t0
        condense_s += more_condense_s
        timing = {"llm_s": llm_s, "exec_s": obs.exec_s, "condense_s": condense_s,
                  "harness_s": max(total - llm_s - obs.exec_s - condense_s, 0.0), "total_s": total}
        self._record_turn(action, obs, reply, timing, events, messages)
        self.step += 1
        if done:
            raise Submitted(str(action.args.get("message") or "the agent finished"))
        if reason and "stuck_stop" in events:
            raise Stuck(f"stuck: {reason}")

    # ---- asking the model ----------------------------------------------------------------------
    def _ask(self) -> tuple[ChatResult, float, float]:
        """The model's reply, its latency and any condensation a context overflow forced."""
        condense_s = 0.0
        for _ in range(3):
            t0 = time.monotonic()
            try:
                reply = self.llm.chat(self.conv.messages(), tools=self.tools or None, within_s=self._llm_cap())
                return reply, time.monotonic() - t0, condense_s
            except ContextWindowExceeded:
                if not self.cfg.fixes.condense:
                    raise
                logger.warning("the conversation overflowed the context window; condensing")
                spent = self._maybe_condense("context_error", force=True)
                if spent is None:
                    raise
                condense_s += spent
        raise ContextWindowExceeded("the conversation still overflows the context window after condensing")

    def _parse(self, reply: ChatResult) -> tuple[Action, Message, tuple]:
        self._account(reply)
        if self.mode == "native":
            action, extra = from_tool_calls(reply.text, reply.tool_calls)
            return action, Message.assistant(reply.text, reply.tool_calls), extra
        action, kept = parse_tags(reply.text)
        return action, Message.assistant(kept), ()

    def _account(self, reply: ChatResult) -> None:
        self.cost += reply.usage.cost_usd
        self.tokens += reply.usage.total_tokens

    # ---- acting --------------------------------------------------------------------------------
    def _act(self, action: Action) -> tuple[Observation, list[str], bool]:
        """The observation, the turn's events, and whether the run is finished. A sandbox failure of one
        action (e.g. a kernel that cannot start) becomes an error observation; a spent wall clock or a
        closed sandbox ends the run."""
        cap = max(self.remaining() - TIME_MARGIN_S, 1.0) if self.cfg.fixes.cap_timeout_by_time_left else None
        try:
            return self._dispatch(action, cap)
        except (WallTimeExceeded, SandboxClosed):
            raise
        except SandboxError as exc:
            logger.warning("step %d: the sandbox failed to run %s: %s", self.step, action.tool, exc)
            return Observation(f"ERROR: the sandbox could not run this action: {exc}", error=True), [], False

    def _dispatch(self, action: Action, cap: float | None) -> tuple[Observation, list[str], bool]:
        tool = action.tool
        if tool == "execute_bash":
            return self.runtime.bash(action.args, cap), [], False
        if tool == "execute_ipython_cell":
            return self.runtime.ipython(action.args, cap, self.step), [], False
        if tool == "str_replace_editor":
            return self.runtime.edit(action.args), [], False
        if tool == "think":
            return Observation("[Thought recorded.]"), [], False
        if tool == "finish":
            return self._finish(action)
        if tool == MESSAGE:
            how = "tool calls" if self.mode == "native" else "the <execute_bash> and <execute_ipython> blocks"
            return Observation(prompts.text("continue", how=how)), ["no_action"], False
        return Observation(f"ERROR: unknown tool {tool!r}", error=True), [], False

    def _finish(self, action: Action) -> tuple[Observation, list[str], bool]:
        valid, verdict = self._validate()
        fixes, sub = self.cfg.fixes, self._submission_inside()
        if fixes.refuse_early_finish and not valid and self.refusals < fixes.max_finish_refusals \
                and self.remaining() > MIN_STEP_SECONDS * 2:
            self.refusals += 1
            reason = f"there is no valid submission yet ({verdict})."
            text = prompts.text("finish_refused", reason=reason, time_left=prompts.humanize_seconds(self.remaining()),
                                submission_path=sub)
            return Observation(text, error=True), ["finish_refused"], False
        text = "[Run finished.]"
        if fixes.refuse_early_finish:
            text += "\n" + prompts.text("finish_validation", submission_path=sub, verdict=verdict)
        return Observation(text), ["finish_accepted"], True

    def _validate(self) -> tuple[bool, str]:
        result = self.sandbox.validate(self._submission_inside())
        return result.valid, ("valid: " if result.valid else "invalid: ") + result.message

    def _submission_inside(self) -> str:
        return f"{self.sandbox.paths.submission}/submission.csv"

    def _on_stuck(self, reason: str, events: list[str]) -> list[Message]:
        if self.redirects_left > 0:
            self.redirects_left -= 1
            self.stuck.reset()
            self.traj.append("stuck", step=self.step, reason=reason, response="redirect")
            events.append("stuck_redirect")
            logger.warning("step %d: loop detected (%s); telling the agent", self.step, reason)
            return [Message.user(prompts.text("stuck_redirect", repeats=self.cfg.fixes.stuck_repeats, what=reason))]
        self.traj.append("stuck", step=self.step, reason=reason, response="stop")
        events.append("stuck_stop")
        logger.warning("step %d: loop detected (%s); ending the run", self.step, reason)
        return []

    def _turn_messages(self, action: Action, assistant: Message, extra_calls: tuple, obs: Observation,
                       notes: list[Message]) -> list[Message]:
        text = obs.text + self._footer()
        if self.mode == "tags":
            observed = text if action.tool == MESSAGE else f"OBSERVATION:\n{text}"
            return [assistant, Message.user(observed), *notes]
        if action.call_id is None:  # a plain message: the harness answers as the user
            return [assistant, Message.user(text), *notes]
        skipped = [Message.tool(c.id, prompts.text("multiple_calls")) for c in extra_calls]
        return [assistant, Message.tool(action.call_id, text), *skipped, *notes]

    def _footer(self) -> str:
        steps_left = max(self.max_steps - self.step - 1, 0)
        if self.cfg.fixes.limits_in_observations:
            return "\n\n" + prompts.text("limits_footer", time_left=prompts.humanize_seconds(self.remaining()),
                                         steps_left=steps_left)
        if self.mode == "tags":  # the reminder CodeAct 1.8 added to every turn
            return "\n\n" + prompts.text("turns_reminder", steps_left=steps_left)
        return ""

    # ---- condensation --------------------------------------------------------------------------
    def _window(self) -> int:
        window = self.llm.context_window
        if self.cfg.condenser.max_input_tokens:
            window = min(window, self.cfg.condenser.max_input_tokens)
        return window

    def _fits_after_condensing(self, window: int, tokens: int) -> Callable[[list[Turn]], bool] | None:
        """condenser.target_fraction as `memory.plan` takes it: whether the kept turns, the summary, the
        system prompt and the task fit in that share of the window (`tokens`: the prompt now); None when unset."""
        cfg = self.cfg.condenser
        if cfg.target_fraction is None:
            return None

        def size(turns: list[Turn]) -> int:
            return sum(self.llm.count_message_tokens(turn.messages) for turn in turns)

        head = tokens - size(self.conv.turns)
        return lambda kept: head + size(kept) + cfg.summary_tokens <= cfg.target_fraction * window

    def _maybe_condense(self, trigger: str, force: bool = False) -> float | None:
        """Condense when the prompt passes the trigger (or when forced); the seconds it took, or None
        when nothing could be condensed."""
        if not self.cfg.fixes.condense:
            return 0.0
        window = self._window()
        before = self.conv.tokens(self.llm, self.tools)
        if not force and before <= self.cfg.condenser.trigger_fraction * window:
            return 0.0
        kept = memory.plan(self.conv, self.cfg.condenser, force, self._fits_after_condensing(window, before))
        if kept is None:
            logger.warning("the conversation (%d tokens) is over the condensation trigger but too short to condense",
                           before)
            return None if force else 0.0
        t0 = time.monotonic()
        summary, usage, events = memory.summarise(self.condenser_llm, self.conv, *kept, self.cfg.condenser, window,
                                                  within_s=self._llm_cap())
        steps = [t.step for t in events if t.step is not None]
        message = memory.summary_message(summary, steps)
        self.conv.apply_condensation(*kept, message)
        if usage is not None:
            self.cost += usage.cost_usd
            self.tokens += usage.total_tokens
        after = self.conv.tokens(self.llm, self.tools)
        self.traj.append("condensation", step=self.step, trigger=trigger, keep_first=kept[0], keep_last=kept[1],
                         forgotten_steps=steps, summary=summary, tokens_before=before, tokens_after=after,
                         llm=_usage_dict(self.condenser_llm.model, usage), message=memory.message_to_dict(message))
        logger.info("condensed steps %s: %d -> %d tokens", steps, before, after)
        return time.monotonic() - t0

    # ---- trajectory, start and resume ----------------------------------------------------------
    def _record_turn(self, action: Action, obs: Observation, reply: ChatResult, timing: dict[str, float],
                     events: list[str], messages: list[Message]) -> None:
        self.traj.append("turn", step=self.step, elapsed_s=round(self.elapsed(), 3), action=action.to_dict(),
                         observation=obs.to_dict(), llm=_usage_dict(reply.model, reply.usage),
                         timing={k: round(v, 4) for k, v in timing.items()}, events=events,
                         submission_valid=submission_valid_now(self.sandbox, self._submission_inside()),
                         messages=[memory.message_to_dict(m) for m in messages])
        if self.agent.on_event is not None:
            self.agent.on_event(TurnEvent(self.step, action.tool, obs.text[:200], self.elapsed(), self.cost,
                                          self.max_steps, self.time_limit))

    def _start_or_resume(self) -> None:
        records = self.traj.records()
        if records and not self.agent.resume:
            raise ValueError(f"{self.traj.path} already holds a CodeAct run; resume it (resume=True, --resume) "
                             "or give a fresh run directory")
        if not records:
            self._start()
        else:
            self._resume(records)

    def _start(self) -> None:
        system = prompts.text("system_native" if self.mode == "native" else "system_tags")
        self.conv = Conversation([Message.system(system), Message.user(self._task_message())])
        self.traj.append("header", agent=CodeActAgent.name, competition=self.task.competition_id, mode=self.mode,
                         config=self.cfg.to_dict(), limits={"max_steps": self.max_steps, "time_limit_s": self.time_limit},
                         messages=[memory.message_to_dict(m) for m in self.conv.head])

    def _task_message(self) -> str:
        paths = self.sandbox.paths
        additions = prompts.text(
            "additions", hardware=_hardware(self.task.limits), time_limit=prompts.humanize_seconds(self.time_limit),
            max_steps=self.max_steps, data_dir=paths.data, submission_path=self._submission_inside(),
            validate_url=getattr(self.sandbox, "validation_url", "http://localhost:5000/validate"),
            code_dir=paths.code)
        return prompts.text("task", task_text=self.task.prompt_text(), additions=additions, aids=self._aids_text())

    def _aids_text(self) -> str:
        """aids.data_schema and aids.worked_example, for the end of the task message ("" when off)."""
        paths, aid, text = self.sandbox.paths, self.cfg.aids, ""
        submission = self._submission_inside()
        schema = self.data_aids.schema
        if schema:
            metric = prompts.text("aids_metric", metric=self.task.metric_name) if self.task.metric_name else ""
            text += prompts.text("aids_schema", metric=metric, schema=schema)
        if aid.worked_example:
            # a 1.5B model shown a whole script otherwise answers <finish> or a command from the rules
            cell = "one execute_ipython_cell call" if self.mode == "native" else "one <execute_ipython> block"
            text += prompts.text("aids_example", code_dir=paths.code, cell=cell,
                                 example=aids.worked_example(paths.data, submission).rstrip())
        return text

    def _resume(self, records: list[dict[str, Any]]) -> None:
        state = rebuild(records)
        self.conv, self.step, self.elapsed_before = state.conv, state.next_step, state.elapsed_s
        self.mode, self.refusals = state.mode, state.refusals
        self.cost, self.tokens = state.cost, state.tokens
        self.tools = prompts.tool_specs() if self.mode == "native" else []
        self.runtime.reset_after_resume()
        note = Message.user(prompts.text("resume", step=self.step - 1, cwd=self.sandbox.shell.cwd))
        self.conv.turns.append(Turn(None, [note], "note"))
        self.traj.append("resume", step=self.step, elapsed_s=round(self.elapsed_before, 3),
                         message=memory.message_to_dict(note))
        logger.info("resuming a CodeAct run at step %d (%.0f s used)", self.step, self.elapsed_before)

    # ---- the end -------------------------------------------------------------------------------
    def _finish_run(self, reason: str, message: str) -> AgentResult:
        """Validate the submission, copy it into the run dir and write the end record; never raises."""
        submission: Path | None = None
        check = {"exists": False, "valid": False, "message": "not checked"}
        try:
            valid, verdict = self._validate()
            check = {"exists": self.sandbox.exists(self._submission_inside()), "valid": valid, "message": verdict}
            submission = self._copy_submission() if check["exists"] else None
        except (SandboxError, OSError) as exc:
            check["message"] = f"could not check the submission: {exc}"
            logger.error("could not check or copy the submission: %s", exc)
        self.traj.append("end", reason=reason, message=message, steps=self.step, elapsed_s=round(self.elapsed(), 3),
                         cost_usd=self.cost, tokens=self.tokens, submission=check)
        return AgentResult(reason=reason, message=message, submission=submission, steps=self.step,
                           cost_usd=self.cost, tokens=self.tokens,
                           extra={"submission_valid": check["valid"], "validation": check["message"],
                                  "mode": self.mode, "run_dir": str(self.rd)})

    def _copy_submission(self) -> Path:
        return self.sandbox.copy_out(self._submission_inside(), self.rd / "submission" / "submission.csv")


@dataclass
class ResumeState:
    conv: Conversation
    next_step: int
    elapsed_s: float
    mode: str
    refusals: int
    cost: float
    tokens: int


def rebuild(records: list[dict[str, Any]]) -> ResumeState:
    """The conversation and counters of an interrupted run, replayed from its trajectory records."""
    header = records[0]
    if header.get("type") != "header":
        raise ValueError("the trajectory does not start with a header record; it cannot be resumed")
    conv = Conversation([memory.message_from_dict(m) for m in header["messages"]])
    state = ResumeState(conv, 0, 0.0, header["mode"], 0, 0.0, 0)
    for rec in records[1:]:
        kind = rec["type"]
        if kind == "turn":
            conv.turns.append(Turn(rec["step"], [memory.message_from_dict(m) for m in rec["messages"]]))
            state.next_step, state.elapsed_s = rec["step"] + 1, rec["elapsed_s"]
            state.refusals += "finish_refused" in rec.get("events", ())
            state.cost += rec["llm"]["cost_usd"]
            state.tokens += rec["llm"]["prompt_tokens"] + rec["llm"]["completion_tokens"]
        elif kind == "condensation":
            conv.apply_condensation(rec["keep_first"], rec["keep_last"], memory.message_from_dict(rec["message"]))
            state.cost += (rec.get("llm") or {}).get("cost_usd", 0.0)
        elif kind == "resume":
            conv.turns.append(Turn(None, [memory.message_from_dict(rec["message"])], "note"))
            state.elapsed_s = max(state.elapsed_s, rec["elapsed_s"])
        elif kind == "end":
            state.elapsed_s = max(state.elapsed_s, rec["elapsed_s"])
    return state


def _usage_dict(model: str, usage: Any) -> dict[str, Any]:
    if usage is None:
        return {"model": model, "prompt_tokens": 0, "completion_tokens": 0, "cost_usd": 0.0, "latency_s": 0.0}
    return {"model": model, "prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens,
            "cost_usd": usage.cost_usd, "latency_s": round(usage.latency_s, 4)}


def _hardware(limits: TaskLimits) -> str:
    cpus = f"{limits.cpus:g} CPU cores" if limits.cpus else "the machine's CPUs"
    gpu = f"GPU(s) {limits.gpus}" if limits.gpus else "no GPU"
    memory_text = f", {limits.memory_mb} MB of memory" if limits.memory_mb else ""
    return f"{cpus}, {gpu}{memory_text}"
