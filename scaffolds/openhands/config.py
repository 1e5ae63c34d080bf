"""CodeAct's one validated config: YAML presets and `a.b=c` overrides, checked against these dataclasses.

The generic loader pieces (presets with `extends:`, typed build from a dict, deep merge, override
parsing, durations, merging the user's limits) are `scaffolds.core.config`'s, shared by every scaffold.

Presets: `default` (short runs with the embedded model), `mlebench` (the limits and model MLE-bench gave
OpenHands, with our fixes on) and `mlebench-original` (the same, every fix off: as MLE-bench ran it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scaffolds.core import config as core_config
from scaffolds.core.aids import AidSwitches
from scaffolds.core.config import ConfigError, build, expand_switches, merge, merge_limits, parse_override
from scaffolds.core.task import TaskLimits

PRESET_DIR = Path(__file__).parent / "presets"
FUNCTION_CALLING = ("auto", "native", "tags")


@dataclass(frozen=True)
class ModelConfig:
    model: str = "local"
    temperature: float | None = 0.0
    max_tokens: int | None = None  # completion cap per call; None: the provider's default


@dataclass(frozen=True)
class ActionConfig:
    function_calling: str = "auto"  # auto: native tool calls when the model has them, else text tags
    bash_timeout_s: float = 120.0  # default hard timeout of one command (the model may ask for another)
    wait_timeout_s: float = 60.0  # default wait of an empty command (waiting on background jobs)
    max_observation_chars: int = 10_000  # observations are cut in the middle beyond this
    view_max_chars: int = 16_000  # the editor clips a file view beyond this
    editor_max_file_mb: float = 2.0  # the editor refuses to load bigger files (use the shell)
    describe_images: bool = True  # summarise the figures a cell displays as text


@dataclass(frozen=True)
class FixConfig:
    """Our fixes to how MLE-bench ran OpenHands; each one can be switched off."""

    refuse_early_finish: bool = True  # `finish` without a valid submission while time is left is refused
    max_finish_refusals: int = 3  # after this many refusals a finish is accepted anyway
    cap_timeout_by_time_left: bool = True
    limits_in_observations: bool = True  # time and steps left at the end of every observation
    stuck_detector: str = "repetition"  # repetition (ours) | original (OpenHands 0.8.3's) | off
    stuck_repeats: int = 4  # identical action + identical result this many times in a row = stuck
    stuck_redirects: int = 1  # how many times the agent is told and may carry on before the run ends
    condense: bool = True  # summarise older turns before the context fills up


@dataclass(frozen=True)
class CondenserConfig:
    trigger_fraction: float = 0.75  # condense when the prompt passes this share of the window
    max_input_tokens: int | None = None  # the window to plan for; None: the model's own
    keep_first: int = 1  # turns kept verbatim from the start
    keep_last: int = 6  # latest turns kept verbatim (at most)
    # after a condensation the prompt should fit in this share of the window: fewer of the latest turns are
    # kept when they would not. None: always keep_last. Each condensation rewrites the prompt after the
    # first turns, so a local server computes it again from there; one that frees a single turn repeats
    # at every step (CodeAct on the embedded model: 230-270 s a step instead of about 100)
    target_fraction: float | None = None
    event_chars: int = 1500  # each forgotten turn is shown to the summariser cut to this size
    summary_tokens: int = 1024  # completion cap of the summary call
    model: str = ""  # the summariser; empty: the main model


@dataclass(frozen=True)
class CodeActConfig:
    max_steps: int = 30
    time_limit_s: float = 1800.0
    seed: int = 0
    max_cost_usd: float | None = None
    main: ModelConfig = field(default_factory=ModelConfig)
    actions: ActionConfig = field(default_factory=ActionConfig)
    fixes: FixConfig = field(default_factory=FixConfig)
    condenser: CondenserConfig = field(default_factory=CondenserConfig)
    aids: AidSwitches = field(default_factory=AidSwitches)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False)

    def validate(self) -> CodeActConfig:
        checks = [
            (self.max_steps >= 1, "max_steps must be >= 1"),
            (self.time_limit_s > 0, "time_limit_s must be > 0"),
            (self.actions.function_calling in FUNCTION_CALLING,
             f"actions.function_calling must be one of {', '.join(FUNCTION_CALLING)}"),
            (self.actions.bash_timeout_s > 0, "actions.bash_timeout_s must be > 0"),
            (self.actions.wait_timeout_s > 0, "actions.wait_timeout_s must be > 0"),
            (self.actions.max_observation_chars >= 500, "actions.max_observation_chars must be >= 500"),
            (self.fixes.stuck_detector in ("repetition", "original", "off"),
             "fixes.stuck_detector must be repetition, original or off"),
            (self.fixes.stuck_repeats >= 2, "fixes.stuck_repeats must be >= 2"),
            (0.1 <= self.condenser.trigger_fraction <= 0.95, "condenser.trigger_fraction must be in [0.1, 0.95]"),
            (self.condenser.target_fraction is None or 0.1 <= self.condenser.target_fraction
             <= self.condenser.trigger_fraction, "condenser.target_fraction must be null or in [0.1, trigger_fraction]"),
            (self.condenser.keep_first >= 0 and self.condenser.keep_last >= 1,
             "condenser.keep_first must be >= 0 and condenser.keep_last >= 1"),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)
        return self


def preset_names() -> list[str]:
    return core_config.preset_names(PRESET_DIR)


def load_config(preset: str | None = None, overrides: list[str] | tuple[str, ...] = (),
                models: dict[str, str] | None = None) -> CodeActConfig:
    """Preset (default: `default`), then `key.sub=value` overrides, then the models named by role
    ("main" and "condenser"). `aids: true|false` stands for every aid."""
    switches = {"aids": AidSwitches}
    data = expand_switches(core_config.read_preset(PRESET_DIR, preset or "default"), switches)
    for text in overrides:
        data = merge(data, expand_switches(parse_override(text), switches))
    fixes = data.get("fixes") or {}
    if fixes.get("stuck_detector") is False:  # YAML reads a bare `off` as false
        data = merge(data, {"fixes": {"stuck_detector": "off"}})
    for role, model in (models or {}).items():
        if role == "main":
            data = merge(data, {"main": {"model": model}})
        elif role == "condenser":
            data = merge(data, {"condenser": {"model": model}})
    return build(CodeActConfig, data).validate()


def config_from_dict(data: dict[str, Any]) -> CodeActConfig:
    return build(CodeActConfig, data).validate()


def merged_limits(config: CodeActConfig, user: TaskLimits) -> TaskLimits:
    """The preset's limits with every field the user set (differs from TaskLimits' default) winning."""
    preset = TaskLimits(wall_time_s=config.time_limit_s, max_steps=config.max_steps,
                        max_cost_usd=config.max_cost_usd, action_timeout_s=config.actions.bash_timeout_s)
    return merge_limits(preset, user)
