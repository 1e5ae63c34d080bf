"""AIDE's one validated config: YAML presets, an optional config file and `a.b=c` overrides,
merged by scaffolds.core.config and checked field by field against these dataclasses."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from scaffolds.core import config as core_config
from scaffolds.core.aids import AidSwitches
from scaffolds.core.config import ConfigError, build, merge, parse_duration, parse_override

__all__ = ["AideConfig", "ConfigError", "ExecConfig", "ModelConfig", "PromptConfig", "SearchConfig", "build", "build_config",
           "load_config", "merge", "parse_duration", "parse_override", "preset_names", "with_changes"]

PRESET_DIR = Path(__file__).parent / "presets"


@dataclass(frozen=True)
class ModelConfig:
    model: str = "local"
    temperature: float | None = 0.5
    max_tokens: int | None = None  # cap on one reply (None: the model's own); stops a small model's runaway output


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
    memory_tokens: int = 3000  # budget for the summary of earlier solutions (deviations.bounded_memory)
    k_fold_validation: int = 5
    obfuscate: bool = False  # no Kaggle framing in prompts
    convert_system_to_user: bool = False  # the prompt goes as user text, not as a system message
    code_retries: int = 3  # re-ask when a reply has no code


@dataclass(frozen=True)
class LLMSettings:
    retry_for_s: float | None = 300.0  # keep retrying a failing LLM call this long (None: no bound)


@dataclass(frozen=True)
class Deviations:
    """Where this AIDE departs from the AIDE that MLE-bench ran. `true` keeps mle-suite's behaviour,
    `false` restores MLE-bench's; `deviations: false` sets them all at once. deviations.py says what
    each one changes."""

    validate_submission: bool = True
    bounded_memory: bool = True
    split_messages: bool = True
    probe_packages: bool = True
    direction_from_task: bool = True
    check_metric: bool = True
    lenient_metric: bool = True
    explain_bugs: bool = True
    remind_on_no_code: bool = True


@dataclass(frozen=True)
class Aids(AidSwitches):
    """AIDE's aids (scaffolds/core/aids.py and import_check.py): the shared four, where AIDE shows the
    schema (with its task lines) and example in drafts (the schema also in improve and debug prompts, in
    place of the data preview) and the error focus last in debug prompts; and four of its own."""

    json_review: bool = False  # the review reply is constrained to its JSON schema (llama.cpp grammar)
    whole_script: bool = False  # a debug/improve reply with a fragment of the parent's script is re-asked
    import_check: bool = False  # missing or failing imports are asked for (import lines only) before the run
    skip_failed_review: bool = False  # a script that raised is buggy without a review call


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
    llm: LLMSettings = field(default_factory=LLMSettings)
    deviations: Deviations = field(default_factory=Deviations)
    aids: Aids = field(default_factory=Aids)
    report: bool = False  # write report.md with the feedback model at the end of the run
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
            (self.llm.retry_for_s is None or self.llm.retry_for_s >= 0, "llm.retry_for_s must be >= 0"),
            (self.max_cost_usd is None or self.max_cost_usd > 0, "max_cost_usd must be > 0"),
            (all(m.max_tokens is None or m.max_tokens >= 64 for m in (self.code, self.feedback)),
             "code.max_tokens and feedback.max_tokens must be >= 64 (or null)"),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)
        return self


SWITCHES = {"deviations": Deviations, "aids": Aids}  # sections where `true|false` sets every switch


def expand_switches(data: dict[str, Any]) -> dict[str, Any]:
    return core_config.expand_switches(data, SWITCHES)


def build_config(data: dict[str, Any]) -> AideConfig:
    """An AideConfig from a nested dict (a preset, a saved config.yaml), switches expanded, validated."""
    return build(AideConfig, expand_switches(data)).validate()


def preset_names() -> list[str]:
    return core_config.preset_names(PRESET_DIR)


def load_config(
    preset: str = "default",
    config_file: Path | None = None,
    overrides: list[dict[str, Any]] | None = None,
) -> AideConfig:
    """Preset, then config file, then overrides (dicts, e.g. from CLI flags or `parse_override`)."""
    data = expand_switches(core_config.read_preset(PRESET_DIR, preset))
    if config_file is not None:
        data = merge(data, expand_switches(core_config.read_yaml(Path(config_file), "config file")))
    for update in overrides or []:
        data = merge(data, expand_switches(update))
    return build_config(data)


def with_changes(config: AideConfig, **changes: Any) -> AideConfig:
    return replace(config, **changes).validate()
