"""Direction-aware metric values: `a > b` means "a is better than b", never "a is larger"."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import total_ordering


@total_ordering
@dataclass(frozen=True)
class MetricValue:
    """A validation score with its direction. `value=None` (no score) ranks below every real score.

    Comparing values with different directions is a programming error: a run fixes its direction
    once (see `Journal.direction`) and builds every value with it.
    """

    value: float | None
    maximize: bool = True

    def __post_init__(self) -> None:
        if self.value is not None and not math.isfinite(self.value):
            object.__setattr__(self, "value", None)

    def _key(self) -> float:
        if self.value is None:
            return -math.inf
        return self.value if self.maximize else -self.value

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, MetricValue):
            return NotImplemented
        if self.value is not None and other.value is not None and self.maximize != other.maximize:
            raise ValueError("comparing metrics with different directions")
        return self._key() < other._key()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MetricValue):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def is_worst(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return "none" if self.value is None else f"{self.value:.6g}"


def worst(maximize: bool = True) -> MetricValue:
    return MetricValue(None, maximize)
