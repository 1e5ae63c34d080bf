"""Per-step accounting of LLM use: calls, tokens, cost and seconds, per model role."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RoleUsage:
    calls: int = 0
    failed_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    seconds: float = 0.0


@dataclass
class StepMeter:
    by_role: dict[str, RoleUsage] = field(default_factory=dict)
    outage_waits: int = 0
    outage_wait_s: float = 0.0

    def _role(self, role: str) -> RoleUsage:
        return self.by_role.setdefault(role, RoleUsage())

    def add(self, role: str, prompt_tokens: int, completion_tokens: int, cost_usd: float, seconds: float) -> None:
        usage = self._role(role)
        usage.calls += 1
        usage.prompt_tokens += prompt_tokens
        usage.completion_tokens += completion_tokens
        usage.cost_usd += cost_usd
        usage.seconds += seconds

    def failed(self, role: str, seconds: float) -> None:
        usage = self._role(role)
        usage.failed_calls += 1
        usage.seconds += seconds

    @property
    def seconds(self) -> float:
        return sum(u.seconds for u in self.by_role.values()) + self.outage_wait_s

    def to_dict(self) -> dict[str, Any]:
        roles = self.by_role.values()
        return {
            "calls": sum(u.calls for u in roles),
            "prompt_tokens": sum(u.prompt_tokens for u in roles),
            "completion_tokens": sum(u.completion_tokens for u in roles),
            "cost_usd": sum(u.cost_usd for u in roles),
            "seconds": round(self.seconds, 4),
            "by_role": {name: asdict(u) for name, u in self.by_role.items()},
        }
