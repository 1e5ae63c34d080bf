"""MLAB's one validated config: presets in presets/*.yaml, `a.b=c` overrides, the three model roles,
and the switches of the fixes (each on by default, all off in the `mlebench-original` preset)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from scaffolds.core import config as core_config
from scaffolds.core.aids import AidSwitches
from scaffolds.core.config import ConfigError, parse_override
from scaffolds.core.task import TaskLimits

__all__ = ["Aids", "ConfigError", "MlabConfig", "load_config", "parse_override", "preset_names", "resolve_roles"]

PRESET_DIR = Path(__file__).parent / "presets"
ROLES = ("main", "edit", "fast")


@dataclass(frozen=True)
class RoleConfig:
    """One model role. `model: null` for edit and fast means "the main model"."""

    model: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None


@dataclass(frozen=True)
class ModelsConfig:
    main: RoleConfig = field(default_factory=lambda: RoleConfig("local", 1.0, 1024))
    edit: RoleConfig = field(default_factory=lambda: RoleConfig(None, 0.2, 4000))  # rewrites whole scripts
    fast: RoleConfig = field(default_factory=lambda: RoleConfig(None, 0.01, 500))  # summaries, Understand File


@dataclass(frozen=True)
class ContextConfig:
    steps: int = 3  # the last steps shown verbatim (entries and observation)
    observation_steps: int = 3  # of those, how many keep their observation; older ones show <Done>


@dataclass(frozen=True)
class ObservationConfig:
    summarize_over_chars: int = 5000  # longer observations are summarised by the fast model...
    chunk_chars: int = 10000  # ...in chunks of this size...
    max_chunks: int = 100  # ...at most this many (MLE-bench's fork)
    max_raw_chars: int = 30000  # fixes.cap_outputs: middle-cut before summarising
    max_chars: int = 6000  # fixes.cap_outputs: middle-cut of what enters the context


@dataclass(frozen=True)
class ActionsConfig:
    execute_timeout_s: float = 3600.0  # fixes.bounded_execute: per script, capped by the time left
    list_files_max_chars: int = 10000
    inspect_max_lines: int = 100
    inspect_line_chars: int = 400  # fixes.cap_outputs: longer lines are cut
    understand_block_chars: int = 10000
    understand_max_blocks: int = 10
    understand_max_chars: int = 4000  # fixes.cap_outputs
    edit_retries: int = 1  # fixes.detect_truncated_edit: re-asks after a cut-off edit before refusing
    copy_max_bytes: int = 1_000_000  # changed files larger than this are listed, not copied to the run dir
    copy_max_files: int = 100  # per step; further changed files are listed, not copied


@dataclass(frozen=True)
class FixesConfig:
    """Each switch fixes one weakness of MLAB as MLE-bench ran it (see README.md)."""

    bounded_execute: bool = True
    full_script_output: bool = True
    gate_final_answer: bool = True
    auto_validate: bool = True
    outage_not_format_error: bool = True
    detect_truncated_edit: bool = True
    cap_outputs: bool = True
    lenient_format: bool = True
    fit_context: bool = True
    repeat_notice: bool = True


@dataclass(frozen=True)
class OutageConfig:
    """fixes.outage_not_format_error: how long one call may wait out an unavailable LLM service."""

    patience_s: float = 1800.0
    retry_every_s: float = 30.0


@dataclass(frozen=True)
class Aids(AidSwitches):
    """MLAB's aids: the shared three (the schema in the research problem; the example script in the first
    prompt and, with the schema, in the edit model's prompt for a new script; the error focus atop a failed
    Execute Script's observation) and one of its own."""

    example_reply: bool = False  # the first prompt ends with a filled-in first reply in the six-entry format


@dataclass(frozen=True)
class MlabConfig:
    steps: int = 15
    time_limit_s: float = 1800.0
    seed: int = 0
    max_cost_usd: float | None = None
    # tries per step to get a reply in the right format (MLAgentBench's --max-retries: the first try
    # counts); when all fail the run ends
    format_retries: int = 5
    models: ModelsConfig = field(default_factory=ModelsConfig)
    context: ContextConfig = field(default_factory=ContextConfig)
    observation: ObservationConfig = field(default_factory=ObservationConfig)
    actions: ActionsConfig = field(default_factory=ActionsConfig)
    fixes: FixesConfig = field(default_factory=FixesConfig)
    outage: OutageConfig = field(default_factory=OutageConfig)
    aids: Aids = field(default_factory=Aids)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False)

    def limits(self) -> TaskLimits:
        return TaskLimits(wall_time_s=self.time_limit_s, max_steps=self.steps, max_cost_usd=self.max_cost_usd,
                          action_timeout_s=self.actions.execute_timeout_s)

    def with_limits(self, limits: TaskLimits) -> MlabConfig:
        """This config with the run's limits (None keeps the config's own value)."""
        actions = replace(self.actions, execute_timeout_s=limits.action_timeout_s)
        return replace(self, steps=limits.max_steps or self.steps,
                       time_limit_s=limits.wall_time_s or self.time_limit_s,
                       max_cost_usd=limits.max_cost_usd, actions=actions).validate()

    def validate(self) -> MlabConfig:
        o, a = self.observation, self.actions
        checks = [
            (self.steps >= 1, "steps must be >= 1"),
            (self.time_limit_s > 0, "time_limit_s must be > 0"),
            (self.format_retries >= 1, "format_retries must be >= 1"),
            (self.models.main.model is not None, "models.main.model must name a model"),
            (self.context.steps >= 1, "context.steps must be >= 1"),
            (self.context.observation_steps >= 0, "context.observation_steps must be >= 0"),
            (o.chunk_chars >= 500 and o.max_chunks >= 1, "observation.chunk_chars >= 500 and max_chunks >= 1"),
            (o.max_chars >= 500 and o.max_raw_chars >= o.max_chars,
             "observation.max_chars must be >= 500 and <= observation.max_raw_chars"),
            (a.execute_timeout_s > 0, "actions.execute_timeout_s must be > 0"),
            (a.inspect_max_lines >= 1 and a.inspect_line_chars >= 40,
             "actions.inspect_max_lines >= 1 and actions.inspect_line_chars >= 40"),
            (a.understand_block_chars >= 500 and a.understand_max_blocks >= 1,
             "actions.understand_block_chars >= 500 and actions.understand_max_blocks >= 1"),
            (a.edit_retries >= 0, "actions.edit_retries must be >= 0"),
            (self.outage.patience_s >= 0 and self.outage.retry_every_s > 0,
             "outage.patience_s >= 0 and outage.retry_every_s > 0"),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)
        return self


def preset_names() -> list[str]:
    return core_config.preset_names(PRESET_DIR)


def load_config(preset: str = "default", config_file: Path | None = None,
                overrides: list[dict[str, Any]] | None = None) -> MlabConfig:
    """Preset, then config file, then overrides (dicts, e.g. from `parse_override`); `aids: true|false`
    stands for every aid."""
    return core_config.load(MlabConfig, PRESET_DIR, preset, config_file, overrides, switches={"aids": Aids})


def resolve_roles(config: MlabConfig, given: Mapping[str, str] | None = None) -> dict[str, RoleConfig]:
    """The model of each role, from the user's `--model`-style roles over the config.

    "main" sets the main model; "edit" and "fast" set their roles; "feedback" (`--feedback-model`) sets
    edit and fast where they are not given by name. A role the user leaves out uses the config's model,
    and an edit or fast role with no model there uses the main model."""
    given = dict(given or {})
    unknown = sorted(set(given) - {*ROLES, "feedback"})
    if unknown:
        raise ConfigError(f"unknown model role {unknown[0]!r} for MLAB; roles: main, edit, fast, feedback")
    main = given.get("main") or config.models.main.model
    roles = {"main": replace(config.models.main, model=main)}
    for role in ("edit", "fast"):
        own = getattr(config.models, role)
        roles[role] = replace(own, model=given.get(role) or given.get("feedback") or own.model or main)
    return roles
