"""The scaffold-independent agent contract: the `Agent` protocol, loop-ending exceptions, the registry.

An agent's loop runs on the host and talks to a `Sandbox` and an `LLM`. It ends by raising one of the
`AgentStop` exceptions below (each carries its reason, as in mini-swe-agent); `run` catches them and
returns an `AgentResult`. Agents register by name under the entry-point group `mle_suite.agents`, so a
user's own agent plugs in from another package without touching this repository.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from sandbox.errors import WallTimeExceeded
from scaffolds.core.llm.errors import BudgetExceeded, ContextWindowExceeded, LLMError, LLMTimeUp
from scaffolds.core.task import TaskLimits

if TYPE_CHECKING:
    from sandbox import Sandbox
    from scaffolds.core.llm import LLM
    from scaffolds.core.task import Task

logger = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "mle_suite.agents"
# Agents of this repository, so the registry works even when the package is not pip-installed.
BUILTIN_AGENTS: dict[str, str] = {
    "aide": "scaffolds.aide.agent:AideAgent",
    "mlab": "scaffolds.mlab.agent:MlabAgent",
    "openhands": "scaffolds.openhands.agent:CodeActAgent",
}


class AgentStop(Exception):
    """Base of the exceptions that end an agent's loop. `reason` is a short machine-readable tag."""

    reason = "stopped"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.reason)
        self.message = message or self.reason


class Submitted(AgentStop):
    """The agent declared it is done."""

    reason = "submitted"


class LimitsExceeded(AgentStop):
    """A step, cost, token or call limit was reached."""

    reason = "limits_exceeded"


class TimeExceeded(AgentStop):
    """The run's wall-clock budget is spent."""

    reason = "time_exceeded"


class LLMFailed(AgentStop):
    """The LLM layer gave up after its retries; the run ends gracefully with what it has."""

    reason = "llm_error"


def stop_for(exc: Exception) -> AgentStop | None:
    """The loop-ending reason for a terminal error of the LLM layer or the sandbox (None: not one)."""
    if isinstance(exc, BudgetExceeded):
        return LimitsExceeded(f"LLM budget exhausted: {exc}")
    if isinstance(exc, WallTimeExceeded):
        return TimeExceeded(f"sandbox wall time exhausted: {exc}")
    if isinstance(exc, LLMTimeUp):
        return TimeExceeded(f"time limit reached while the model was answering: {exc}")
    if isinstance(exc, ContextWindowExceeded):
        return LLMFailed(f"the conversation no longer fits the model's context window: {exc}")
    if isinstance(exc, LLMError):
        return LLMFailed(f"LLM call failed: {exc}")
    return None


def submission_valid_now(sandbox: Sandbox, path: str) -> bool | None:
    """Whether the submission at `path` (inside the sandbox) passes the format check now; None when there
    is none. Scaffolds without a per-step score record it after each step, so a run's time to its first
    valid submission can be read from its trajectory. Reads the file only when it exists."""
    if not sandbox.exists(path):
        return None
    return sandbox.validate(path).valid


class FormatError(Exception):
    """The model's reply could not be used (no code, no action). Not a stop: the loop may retry."""


@dataclass
class AgentResult:
    """How a run ended and where its submission is (a host path, or None when there is none)."""

    reason: str
    message: str = ""
    submission: Path | None = None
    steps: int = 0
    cost_usd: float = 0.0
    tokens: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


LLMFactory = Callable[..., "LLM"]
"""`make_llm(model, temperature=..., max_tokens=...) -> LLM`: every LLM it builds shares the run's budget,
call log, API base and retry settings. Calls with the same arguments return the same object."""


@dataclass(frozen=True)
class AgentOptions:
    """What the runner hands an agent that can be configured (`from_options`).

    `models` maps roles to litellm model strings as the user gave them: "main" (`--model`), "feedback"
    (`--feedback-model`), or any role an agent names (e.g. MLAB's "edit", "fast"); roles the user did
    not give are the agent's to default. `limits` holds only what the user set; the agent merges it over
    its preset and exposes the result as `agent.limits`, which the runner then applies to the sandbox,
    the LLM budget and the task.
    """

    preset: str | None = None
    overrides: tuple[str, ...] = ()  # "key.sub=value" config overrides
    models: Mapping[str, str] = field(default_factory=dict)
    limits: TaskLimits = field(default_factory=TaskLimits)
    seed: int = 0
    resume: bool = False  # the run directory holds an interrupted run of this agent: continue it
    make_llm: LLMFactory | None = None
    on_event: Callable[[Any], None] | None = None  # live progress for a front end; agent-specific events


@runtime_checkable
class Agent(Protocol):
    """What `bench run` needs from a scaffold."""

    name: str

    def run(self, task: Task, sandbox: Sandbox, llm: LLM, run_dir: Path) -> AgentResult:
        """Work on `task` inside `sandbox` until done or out of limits; save artifacts under `run_dir`."""
        ...


@runtime_checkable
class ConfigurableAgent(Agent, Protocol):
    """An agent with presets, config overrides and several model roles (AIDE, MLAB, CodeAct).

    The runner builds it with `from_options`, reads `limits` (the user's limits merged over the preset)
    and `main_llm` (passed as `llm` to `run`), and saves `config_dict()` in the run record. An agent
    without `from_options` is built with no arguments and gets an LLM for `models["main"]`.
    """

    limits: TaskLimits
    main_llm: LLM

    @classmethod
    def from_options(cls, options: AgentOptions) -> ConfigurableAgent: ...

    def config_dict(self) -> dict[str, Any]: ...


class UnknownAgent(ValueError):
    """No agent is registered under this name."""


def _entry_points() -> dict[str, str]:
    from importlib.metadata import entry_points

    found = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return {**BUILTIN_AGENTS, **found}


def available_agents() -> list[str]:
    """Names of every registered agent (built-in and entry points)."""
    return sorted(_entry_points())


def get_agent_class(name: str) -> type:
    """The agent class registered as `name`; raises `UnknownAgent` naming the available ones."""
    targets = _entry_points()
    if name not in targets:
        raise UnknownAgent(f"unknown agent {name!r}; available: {', '.join(sorted(targets))}")
    module_name, _, attr = targets[name].partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attr)


def create_agent(name: str, **kwargs: Any) -> Agent:
    """Instantiate the agent registered as `name` with its constructor keyword arguments."""
    return get_agent_class(name)(**kwargs)
