"""Per-call deadlines that follow a model's measured speed, so a slow model is not taken for an outage.

The embedded model runs on the CPU next to the agent's own scripts: on two busy cores one answer can
take minutes. A fixed timeout cuts such an answer and the retry starts it again from zero. Instead the
deadline of each call is a multiple of the time the call should take at the speed measured so far
(a pessimistic guess before the first answer), and never below the configured timeout.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

# Reading a prompt token costs a fraction of generating one (llama.cpp on CPU: ~65 vs ~20 tokens/s).
PROMPT_TOKEN_WEIGHT = 0.3
SAFETY = 2.0  # the deadline is this many times the expected time
PRIOR_TOKEN_S = 0.25  # 4 generated tokens/s before anything was measured: a busy 2-core machine
SMOOTHING = 0.5  # weight of the newest observation


@dataclass
class SpeedEstimate:
    """Seconds per generated token (a prompt token counts as PROMPT_TOKEN_WEIGHT of one), learned."""

    token_s: float = PRIOR_TOKEN_S
    observed: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def observe(self, prompt_tokens: int, completion_tokens: int, seconds: float) -> None:
        units = completion_tokens + PROMPT_TOKEN_WEIGHT * prompt_tokens
        if units < 1 or seconds <= 0:
            return
        with self._lock:
            rate = seconds / units
            self.token_s = rate if self.observed == 0 else SMOOTHING * rate + (1 - SMOOTHING) * self.token_s
            self.observed += 1

    def expected_s(self, prompt_tokens: int, max_new_tokens: int) -> float:
        return self.token_s * (max_new_tokens + PROMPT_TOKEN_WEIGHT * prompt_tokens)

    def deadline(self, prompt_tokens: int, max_new_tokens: int, floor_s: float) -> float:
        """Seconds to wait for an answer of at most `max_new_tokens` to a prompt of `prompt_tokens`."""
        return max(floor_s, SAFETY * self.expected_s(prompt_tokens, max_new_tokens))
