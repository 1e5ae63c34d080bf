"""One validated config per scaffold: YAML presets, an optional config file and `a.b=c` overrides,
merged in one small place and checked field by field against the scaffold's dataclasses.

A scaffold keeps its dataclasses and its `presets/` folder; this module loads, merges and type-checks.
A preset may name another preset of the same folder under `extends:`; its own keys win.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from scaffolds.core.task import TaskLimits


class ConfigError(ValueError):
    """A config value, file or override is wrong; the message says which and what is expected."""


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
    """Check `value` against a type hint (int, float, str, bool, Optional[...]); convert safely.
    Float fields whose name ends in `_s` accept durations ('30m')."""
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


def build(cls: type, data: dict[str, Any], prefix: str = "") -> Any:
    """A dataclass instance from a nested dict, rejecting unknown keys and wrong types."""
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
    """`update` over `base`, recursively for nested mappings."""
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


def read_yaml(path: Path, what: str) -> dict[str, Any]:
    """A YAML mapping from `path`; `what` names the file in error messages ("preset", "config file")."""
    try:
        data = yaml.safe_load(Path(path).read_text()) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{what} {path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{what} {path} must hold a mapping")
    return data


def preset_names(preset_dir: Path) -> list[str]:
    return sorted(p.stem for p in Path(preset_dir).glob("*.yaml"))


def read_preset(preset_dir: Path, name: str, _seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """A preset's data with its `extends:` chain resolved (the extending preset's keys win)."""
    if name not in preset_names(preset_dir):
        raise ConfigError(f"unknown preset {name!r}; available: {', '.join(preset_names(preset_dir))}")
    if name in _seen:
        raise ConfigError(f"presets extend each other in a loop: {' -> '.join((*_seen, name))}")
    data = read_yaml(Path(preset_dir) / f"{name}.yaml", "preset")
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ConfigError(f"preset {name!r}: extends must name one preset, got {parent!r}")
    return merge(read_preset(preset_dir, parent, (*_seen, name)), data)


def expand_switches(data: dict[str, Any], switches: dict[str, type]) -> dict[str, Any]:
    """`section: true|false` stands for every field of that section's dataclass (all booleans) set to
    that value; `switches` maps section names to their dataclasses."""
    for section, cls in switches.items():
        if isinstance(data.get(section), bool):
            data = {**data, section: {f.name: data[section] for f in fields(cls)}}
    return data


def load(cls: type, preset_dir: Path, preset: str, config_file: Path | None = None,
         overrides: list[dict[str, Any]] | None = None, switches: dict[str, type] | None = None) -> Any:
    """Preset, then config file, then overrides (dicts, e.g. from `parse_override`), built as `cls`.
    Each layer's on/off sections (`switches`, see `expand_switches`) are expanded before it is merged,
    so `aids=false` and `aids.x=true` both work over any preset. Calls `validate()` when there is one."""
    switches = switches or {}
    data = expand_switches(read_preset(preset_dir, preset), switches)
    if config_file is not None:
        data = merge(data, expand_switches(read_yaml(Path(config_file), "config file"), switches))
    for update in overrides or []:
        data = merge(data, expand_switches(update, switches))
    config = build(cls, data)
    return config.validate() if hasattr(config, "validate") else config


_UNSET = TaskLimits()


def merge_limits(base: TaskLimits, user: TaskLimits) -> TaskLimits:
    """`user`'s limits over `base`: a field the user set (any value other than TaskLimits' default) wins."""
    changes = {f.name: getattr(user, f.name) for f in fields(TaskLimits)
               if getattr(user, f.name) != getattr(_UNSET, f.name)}
    return replace(base, **changes)
