"""A run budget shared by every LLM object of one run (e.g. the code model and the feedback model)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from .errors import BudgetExceeded
from .records import Usage


@dataclass
class Budget:
    """Limits on USD, tokens (prompt + completion) and calls. `None` means unlimited.

    A call is refused (BudgetExceeded) once a limit has been reached; the call that crosses a limit is
    still returned, since it has been paid for.
    """

    max_cost_usd: float | None = None
    max_tokens: int | None = None
    max_calls: int | None = None
    spent_usd: float = 0.0
    tokens: int = 0
    calls: int = 0
    # LLM objects may be used from several threads of one run; the lock keeps the totals exact.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def check(self) -> None:
        """Raise BudgetExceeded naming the first limit that is reached."""
        with self._lock:
            reason = self._reason()
        if reason:
            raise BudgetExceeded(reason)

    def _reason(self) -> str | None:
        if self.max_cost_usd is not None and self.spent_usd >= self.max_cost_usd:
            return f"cost budget reached: ${self.spent_usd:.4f} spent of ${self.max_cost_usd:.4f}"
        if self.max_tokens is not None and self.tokens >= self.max_tokens:
            return f"token budget reached: {self.tokens} tokens used of {self.max_tokens}"
        if self.max_calls is not None and self.calls >= self.max_calls:
            return f"call budget reached: {self.calls} calls made of {self.max_calls}"
        return None

    def add(self, usage: Usage) -> None:
        """Account one completed call."""
        with self._lock:
            self.spent_usd += usage.cost_usd
            self.tokens += usage.prompt_tokens + usage.completion_tokens
            self.calls += 1

    def carry_over(self, cost_usd: float, tokens: int, calls: int) -> None:
        """Count what earlier sessions of a resumed run spent, so its limits cover the whole run."""
        with self._lock:
            self.spent_usd += cost_usd
            self.tokens += tokens
            self.calls += calls

    def snapshot(self) -> dict[str, float | int | None]:
        """Limits and totals as plain data, for run logs (dataclasses.asdict cannot copy the lock)."""
        with self._lock:
            return {"max_cost_usd": self.max_cost_usd, "max_tokens": self.max_tokens, "max_calls": self.max_calls,
                    "spent_usd": self.spent_usd, "tokens": self.tokens, "calls": self.calls}

    @property
    def remaining_usd(self) -> float | None:
        return None if self.max_cost_usd is None else max(0.0, self.max_cost_usd - self.spent_usd)
