"""AIDE's one validated config: YAML presets, an optional config file and `a.b=c` overrides,
merged in `load_config` and checked field by field against these dataclasses."""

from __future__ import annotations

import re
import types
import typing
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import yaml

PRESET_DIR = Path(__file__).parent / "presets"


class ConfigError(ValueError):
    """A config value, file or override is wrong; the message says which and what is expected."""


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
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)
        return self


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d)?\s*$")
_UNITS = {None: 1, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_duration(value: Any) -> float:
    """Seconds from a number or a string like '90', '30m', '9h', '1.5d'."""
    if isinstance(value, bool):
        raise ConfigError(f"expected a duration, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ConfigError(f"expected a duration like 600, '30m' or '9h', got {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _coerce(value: Any, hint: Any, where: str) -> Any:
    """Check `value` against a type hint (int, float, str, bool, Optional[...]); convert safely."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        hint = next(a for a in args if a is not type(None))
    if hint is float:
        if where.endswith("_s"):
            return parse_duration(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    elif hint is bool and isinstance(value, bool):
        return value
    elif hint is str and isinstance(value, str):
        return value
    raise ConfigError(f"{where}: expected {getattr(hint, '__name__', hint)}, got {value!r}")


def expand_switches(data: dict[str, Any]) -> dict[str, Any]:
    """`deviations: true|false` (one setting) stands for every deviation switch set to that value."""
    if isinstance(data.get("deviations"), bool):
        value = data["deviations"]
        data = {**data, "deviations": {f.name: value for f in fields(Deviations)}}
    return data


def build(cls: type, data: dict[str, Any], prefix: str = "") -> Any:
    """A dataclass instance from a nested dict, rejecting unknown keys and wrong types."""
    if cls is AideConfig and isinstance(data, dict):
        data = expand_switches(data)
    if not isinstance(data, dict):
        raise ConfigError(f"{prefix or 'config'}: expected a mapping, got {data!r}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ConfigError(f"unknown config key {prefix}{unknown[0]!r}; known: {', '.join(sorted(names))}")
    values = {}
    for name, value in data.items():
        hint = hints[name]
        if is_dataclass(hint):
            values[name] = build(hint, value, f"{prefix}{name}.")
        else:
            values[name] = _coerce(value, hint, f"{prefix}{name}")
    return cls(**values)


def merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def parse_override(text: str) -> dict[str, Any]:
    """'search.debug_prob=1' -> {'search': {'debug_prob': 1}} (the value parsed as YAML)."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"override {text!r} must look like key.sub=value")
    value: Any = yaml.safe_load(raw) if raw.strip() else None
    for part in reversed(key.strip().split(".")):
        value = {part: value}
    return value


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))


def _read_yaml(path: Path, what: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{what} {path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{what} {path} must hold a mapping")
    return data


def load_config(
    preset: str = "default",
    config_file: Path | None = None,
    overrides: list[dict[str, Any]] | None = None,
) -> AideConfig:
    """Preset, then config file, then overrides (dicts, e.g. from CLI flags or `parse_override`)."""
    if preset not in preset_names():
        raise ConfigError(f"unknown preset {preset!r}; available: {', '.join(preset_names())}")
    data = _read_yaml(PRESET_DIR / f"{preset}.yaml", "preset")
    if config_file is not None:
        data = merge(data, _read_yaml(Path(config_file), "config file"))
    for update in overrides or []:
        data = merge(expand_switches(data), expand_switches(update))
    return build(AideConfig, data).validate()


def with_changes(config: AideConfig, **changes: Any) -> AideConfig:
    return replace(config, **changes).validate()
