"""The shared config loader: presets with `extends`, overrides, type checks, limits merging."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from scaffolds.core.config import ConfigError, load, merge_limits, parse_override
from scaffolds.core.task import TaskLimits


@dataclass(frozen=True)
class Inner:
    rate: float = 0.5
    timeout_s: float = 10.0


@dataclass(frozen=True)
class Outer:
    steps: int = 1
    name: str | None = None
    inner: Inner = field(default_factory=Inner)


def _presets(tmp_path, **files):
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text)
    return tmp_path


def test_extends_merges_the_parent_under_the_child_and_overrides_win(tmp_path):
    d = _presets(tmp_path, base="steps: 5\ninner: {rate: 0.1, timeout_s: 1m}\n",
                 child="extends: base\ninner: {rate: 0.9}\n")
    cfg = load(Outer, d, "child", overrides=[parse_override("name=x")])
    assert cfg == Outer(steps=5, name="x", inner=Inner(rate=0.9, timeout_s=60.0))


def test_bad_presets_and_values_say_what_is_wrong(tmp_path):
    d = _presets(tmp_path, a="extends: b\n", b="extends: a\n", c="steps: many\n", e="nope: 1\n")
    with pytest.raises(ConfigError, match="loop: a -> b -> a"):
        load(Outer, d, "a")
    with pytest.raises(ConfigError, match="steps: expected int"):
        load(Outer, d, "c")
    with pytest.raises(ConfigError, match="unknown config key 'nope'"):
        load(Outer, d, "e")
    with pytest.raises(ConfigError, match="unknown preset 'zz'; available: a, b, c, e"):
        load(Outer, d, "zz")


def test_user_limits_win_only_where_the_user_set_them():
    preset = TaskLimits(wall_time_s=86400, max_steps=2000, action_timeout_s=3600)
    merged = merge_limits(preset, TaskLimits(max_steps=7, max_cost_usd=2.0))
    assert merged == TaskLimits(wall_time_s=86400, max_steps=7, max_cost_usd=2.0, action_timeout_s=3600)


@dataclass(frozen=True)
class Switches:
    one: bool = False
    two: bool = False


@dataclass(frozen=True)
class WithSwitches:
    steps: int = 1
    aids: Switches = field(default_factory=Switches)


def test_a_boolean_section_sets_every_switch_in_any_layer(tmp_path):
    presets = _presets(tmp_path, on="aids: true\n", some="aids: {two: true}\n")
    switches = {"aids": Switches}
    assert load(WithSwitches, presets, "on", switches=switches).aids == Switches(True, True)
    # a single switch over a preset that set them all, and all off over single ones
    assert load(WithSwitches, presets, "on", overrides=[parse_override("aids.one=false")],
                switches=switches).aids == Switches(False, True)
    assert load(WithSwitches, presets, "some", overrides=[parse_override("aids=false")],
                switches=switches).aids == Switches(False, False)
    with pytest.raises(ConfigError, match="aids"):
        load(WithSwitches, presets, "on")  # without `switches`, a bool is not a section
