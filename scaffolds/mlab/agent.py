"""The MLAB agent: MLAgentBench's ResearchAgent over the shared Sandbox and LLM contracts.

    agent = MlabAgent.from_options(AgentOptions(preset="mlebench", models={"main": "gpt-4o"}, make_llm=...))
    result = agent.run(task, sandbox, agent.main_llm, run_dir)

Three model roles: "main" (the research loop), "edit" (Edit Script (AI)) and "fast" (summaries and
Understand File). See config.resolve_roles for how the user's models map onto them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scaffolds.core.agent import AgentOptions, AgentResult, LLMFactory
from scaffolds.core.config import merge_limits, parse_override
from scaffolds.core.llm import LLM, Budget
from scaffolds.mlab.config import MlabConfig, RoleConfig, load_config, resolve_roles
from scaffolds.mlab.session import Session, StepEvent

if TYPE_CHECKING:
    from sandbox import Sandbox
    from scaffolds.core.task import Task


class MlabAgent:
    """`edit_llm` and `fast_llm` default to the LLM passed to `run`."""

    name = "mlab"

    def __init__(self, config: MlabConfig | None = None, *, main_llm: LLM | None = None,
                 edit_llm: LLM | None = None, fast_llm: LLM | None = None, resume: bool = False,
                 on_event: Callable[[StepEvent], None] | None = None) -> None:
        self.config = config or load_config("default")
        self.limits = self.config.limits()
        self.main_llm = main_llm
        self.edit_llm, self.fast_llm = edit_llm, fast_llm
        self.resume, self.on_event = resume, on_event
        self.last_session: Session | None = None

    @classmethod
    def from_options(cls, options: AgentOptions) -> MlabAgent:
        """Preset and overrides, the user's limits over the preset's, one LLM per role from
        `options.make_llm` (roles with the same settings share one object)."""
        overrides = [parse_override(text) for text in options.overrides]
        config = load_config(options.preset or "default", overrides=overrides)
        config = replace(config, seed=options.seed)
        config = config.with_limits(merge_limits(config.limits(), options.limits))
        roles = resolve_roles(config, options.models)
        config = replace(config, models=replace(config.models, **roles)).validate()
        make = options.make_llm or _plain_factory(config)
        llms = {role: make(spec.model, temperature=spec.temperature, max_tokens=spec.max_tokens)
                for role, spec in roles.items()}
        return cls(config, main_llm=llms["main"], edit_llm=llms["edit"], fast_llm=llms["fast"],
                   resume=options.resume, on_event=options.on_event)

    def config_dict(self) -> dict[str, Any]:
        return self.config.to_dict()

    def run(self, task: Task, sandbox: Sandbox, llm: LLM, run_dir: Path) -> AgentResult:
        llms = {"main": llm, "edit": self.edit_llm or llm, "fast": self.fast_llm or llm}
        session = Session(self.config, task, sandbox, llms, Path(run_dir), resume=self.resume,
                          on_event=self.on_event)
        self.last_session = session
        reason, message = session.run()
        return _result(session, reason, message)


def _result(session: Session, reason: str, message: str) -> AgentResult:
    records = session.records
    tokens = sum(r["llm"]["prompt_tokens"] + r["llm"]["completion_tokens"] for r in records)
    return AgentResult(
        reason=reason, message=message, submission=session.submission, steps=len(records),
        cost_usd=session.total_cost(), tokens=tokens,
        extra={"run_dir": str(session.rd), "validation": session.validation,
               "format_retries": sum(r["format_retries"] for r in records), "sessions": session.session},
    )


def _plain_factory(config: MlabConfig) -> LLMFactory:
    """LLMs sharing one budget, for callers that give no `make_llm` (the runner always does)."""
    budget = Budget(max_cost_usd=config.max_cost_usd)
    made: dict[tuple, LLM] = {}

    def make(model: str, temperature: float | None = None, max_tokens: int | None = None) -> LLM:
        key = (model, temperature, max_tokens)
        if key not in made:
            made[key] = LLM(model, temperature=temperature, max_tokens=max_tokens, budget=budget)
        return made[key]

    return make


__all__ = ["MlabAgent", "RoleConfig", "StepEvent"]
