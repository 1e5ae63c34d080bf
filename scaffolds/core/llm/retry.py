"""When to retry a failed request, and for how long: a window of time, not a count of attempts.

A provider outage of a minute must not end a run of a day, so retries go on until `retry_for_s`
seconds have passed since the first failure of the call (a count limit is optional, for tests).
The wait before each retry is an exponential backoff with jitter, or longer when the server says so
with Retry-After; a server that asks for more time than the window has left ends the retries at once.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RetryPolicy:
    retry_for_s: float | None = 300.0  # None: no time bound
    max_retries: int | None = None  # None: no count bound
    initial_s: float = 1.0  # first backoff; doubles per attempt
    max_backoff_s: float = 60.0  # cap of one backoff wait (a server's Retry-After may exceed it)

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """The wait after failed attempt number `attempt` (1-based), with up to `initial_s` of jitter."""
        jitter = (rng or random).random() * self.initial_s  # noqa: S311 - spreads retries, no security meaning
        return min(self.initial_s * 2 ** min(attempt - 1, 30) + jitter, self.max_backoff_s)


@dataclass(frozen=True)
class RetryDecision:
    wait_s: float | None  # None: give up
    why: str  # what the wait is based on, or why the retries end


def decide(policy: RetryPolicy, attempt: int, failing_for_s: float, retry_after_s: float | None) -> RetryDecision:
    """Retry after failed attempt `attempt`, the call having failed for `failing_for_s` seconds so far?"""
    if policy.max_retries is not None and attempt > policy.max_retries:
        return RetryDecision(None, f"retry limit of {policy.max_retries} reached")
    wait, why = policy.backoff(attempt), "backoff"
    if retry_after_s is not None and retry_after_s > wait:
        wait, why = retry_after_s, "the server's Retry-After"
    if policy.retry_for_s is None:
        return RetryDecision(wait, why)
    left = policy.retry_for_s - failing_for_s
    if left <= 0:
        return RetryDecision(None, f"failing for {failing_for_s:.0f} s, the whole retry window "
                                   f"(retry_for_s={policy.retry_for_s:.0f})")
    if wait > left:
        if why != "backoff":
            return RetryDecision(None, f"the server asked to wait {wait:.0f} s (Retry-After), more than the "
                                       f"{left:.0f} s left of the retry window (retry_for_s={policy.retry_for_s:.0f})")
        wait = left  # one last try at the end of the window
    return RetryDecision(wait, why)


def retry_after_seconds(err: BaseException | None) -> float | None:
    """The server's Retry-After (seconds or an HTTP date) or retry-after-ms, from a litellm/openai error."""
    for headers in (getattr(err, "litellm_response_headers", None),
                    getattr(getattr(err, "response", None), "headers", None)):
        seconds = _from_headers(headers)
        if seconds is not None:
            return seconds
    return None


def _from_headers(headers: Any) -> float | None:
    try:
        millis = headers.get("retry-after-ms") if headers else None
        value = headers.get("retry-after") if headers else None
    except AttributeError:
        return None
    try:
        if millis is not None:
            return max(0.0, float(millis) / 1000.0)
        if value is None:
            return None
        return max(0.0, float(value))
    except (TypeError, ValueError):
        pass
    try:
        when = email.utils.parsedate_to_datetime(str(value))
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
