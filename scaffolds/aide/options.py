"""From the runner's `AgentOptions` to AIDE's config and limits, in one fixed order:
preset -> `key=value` overrides -> models per role -> the limits the user set.

A model role the user did not give keeps the preset's model, except that the reviewer follows the code
model when the preset uses one model for both (as `--model` alone always did). A limit the user set
(a field of `options.limits` that differs from `TaskLimits()`) wins over the preset's steps, time,
cost and script timeout.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from scaffolds.aide.config import AideConfig, load_config, parse_override
from scaffolds.core.agent import AgentOptions
from scaffolds.core.task import TaskLimits


def resolve(options: AgentOptions) -> tuple[AideConfig, TaskLimits]:
    """AIDE's config for these options, and the run's limits (the user's merged over the preset)."""
    base = load_config(options.preset or "default")
    updates = [parse_override(text) for text in options.overrides]
    cfg = load_config(options.preset or "default", None, updates + _model_updates(options, base))
    if options.seed:
        cfg = replace(cfg, seed=options.seed)
    return merge_limits(cfg, options.limits)


def _model_updates(options: AgentOptions, base: AideConfig) -> list[dict[str, Any]]:
    models = dict(options.models)
    out: list[dict[str, Any]] = []
    if models.get("main"):
        out.append({"code": {"model": models["main"]}})
        if not models.get("feedback") and base.feedback.model == base.code.model:
            out.append({"feedback": {"model": models["main"]}})
    if models.get("feedback"):
        out.append({"feedback": {"model": models["feedback"]}})
    return out


def user_set(limits: TaskLimits) -> set[str]:
    """The limit fields the user set (those that differ from the defaults)."""
    default = TaskLimits()
    return {f.name for f in fields(TaskLimits) if getattr(limits, f.name) != getattr(default, f.name)}


def merge_limits(cfg: AideConfig, user: TaskLimits) -> tuple[AideConfig, TaskLimits]:
    given = user_set(user)
    changes: dict[str, Any] = {}
    if "max_steps" in given:
        changes["steps"] = user.max_steps
    if "wall_time_s" in given:
        changes["time_limit_s"] = float(user.wall_time_s)
    if "max_cost_usd" in given:
        changes["max_cost_usd"] = user.max_cost_usd
    if "action_timeout_s" in given:
        changes["exec"] = replace(cfg.exec, timeout_s=float(user.action_timeout_s))
    cfg = replace(cfg, **changes).validate()
    return cfg, limits_of(cfg, user)


def limits_of(cfg: AideConfig, user: TaskLimits | None = None) -> TaskLimits:
    """The run's limits: AIDE's steps, time, cost and script timeout, the user's other fields."""
    return replace(user or TaskLimits(), wall_time_s=cfg.time_limit_s, max_steps=cfg.steps,
                   max_cost_usd=cfg.max_cost_usd, action_timeout_s=cfg.exec.timeout_s)
