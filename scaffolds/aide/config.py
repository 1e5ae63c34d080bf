"""AIDE's one validated config: YAML presets, an optional config file and `a.b=c` overrides,
merged by scaffolds.core.config and checked field by field against these dataclasses."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from scaffolds.core import config as core_config
from scaffolds.core.config import ConfigError, build, merge, parse_duration, parse_override

__all__ = ["AideConfig", "ConfigError", "ExecConfig", "ModelConfig", "PromptConfig", "SearchConfig", "build",
           "load_config", "merge", "parse_duration", "parse_override", "preset_names", "with_changes"]

PRESET_DIR = Path(__file__).parent / "presets"


@dataclass(frozen=True)
class ModelConfig:
    model: str = "local"
    temperature: float | None = 0.5


@dataclass(frozen=True)
class SearchConfig:
    num_drafts: int = 5
    debug_prob: float = 0.5
    max_debug_depth: int = 3


@dataclass(frozen=True)
class ExecConfig:
    timeout_s: float = 3600.0  # per script; capped by the time left in the run
    output_threshold: int = 5100  # outputs longer than this keep only their head and tail...
    output_keep: int = 2500  # ...of this many characters each


@dataclass(frozen=True)
class PromptConfig:
    data_preview: bool = True
    preview_chars: int = 6000
    memory_tokens: int = 3000  # budget for the summary of earlier solutions
    k_fold_validation: int = 5
    obfuscate: bool = False  # no Kaggle framing in prompts
    convert_system_to_user: bool = False  # one user message instead of system+user
    code_retries: int = 3  # re-ask when a reply has no code


@dataclass(frozen=True)
class AideConfig:
    steps: int = 20
    time_limit_s: float = 3600.0
    seed: int = 0
    code: ModelConfig = field(default_factory=ModelConfig)
    feedback: ModelConfig = field(default_factory=ModelConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    exec: ExecConfig = field(default_factory=ExecConfig)
    prompt: PromptConfig = field(default_factory=PromptConfig)
    max_cost_usd: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False)

    def validate(self) -> AideConfig:
        checks = [
            (self.steps >= 1, "steps must be >= 1"),
            (self.time_limit_s > 0, "time_limit_s must be > 0"),
            (self.exec.timeout_s > 0, "exec.timeout_s must be > 0"),
            (0.0 <= self.search.debug_prob <= 1.0, "search.debug_prob must be in [0, 1]"),
            (self.search.num_drafts >= 1, "search.num_drafts must be >= 1"),
            (self.search.max_debug_depth >= 0, "search.max_debug_depth must be >= 0"),
            (self.exec.output_keep * 2 <= self.exec.output_threshold,
             "exec.output_keep * 2 must be <= exec.output_threshold"),
            (self.prompt.preview_chars >= 200, "prompt.preview_chars must be >= 200"),
            (self.prompt.memory_tokens >= 0, "prompt.memory_tokens must be >= 0"),
            (self.prompt.code_retries >= 0, "prompt.code_retries must be >= 0"),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)
        return self


def preset_names() -> list[str]:
    return core_config.preset_names(PRESET_DIR)


def load_config(
    preset: str = "default",
    config_file: Path | None = None,
    overrides: list[dict[str, Any]] | None = None,
) -> AideConfig:
    """Preset, then config file, then overrides (dicts, e.g. from CLI flags or `parse_override`)."""
    return core_config.load(AideConfig, PRESET_DIR, preset, config_file, overrides)


def with_changes(config: AideConfig, **changes: Any) -> AideConfig:
    return replace(config, **changes).validate()
