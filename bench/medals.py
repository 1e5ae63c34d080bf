"""Medal thresholds exactly as MLE-bench applies Kaggle's progression rules.

The leaderboard is sorted best first. With N rows, "pos k" is the score in row k (1-based):

| N          | gold                  | silver              | bronze              |
| 1-99       | max(1, int(0.1 N))    | max(1, int(0.2 N))  | max(1, int(0.4 N))  |
| 100-249    | 10                    | max(1, int(0.2 N))  | max(1, int(0.4 N))  |
| 250-999    | 10 + int(0.002 N)     | 50                  | 100                 |
| >= 1000    | 10 + int(0.002 N)     | max(1, int(0.05 N)) | max(1, int(0.1 N))  |

Medals are inclusive (a score tying a threshold wins it) and exclusive (one tier at most);
above-median is strict; the direction is read from the leaderboard's order.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

# MLE-bench rounds a submission's score to 5 decimals before it meets the leaderboard; a leaderboard we
# build ourselves (the offline reference ladders) stores its scores the same way, so that a submission
# scoring exactly what a ladder row scored ties that row.
SCORE_DECIMALS = 5

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Thresholds:
    gold: float
    silver: float
    bronze: float
    median: float
    lower_is_better: bool


@dataclass(frozen=True)
class Medals:
    gold: bool = False
    silver: bool = False
    bronze: bool = False
    above_median: bool = False

    @property
    def any_medal(self) -> bool:
        return self.gold or self.silver or self.bronze


@dataclass(frozen=True)
class Leaderboard:
    """Scores of a competition's final leaderboard, best first."""

    scores: tuple[float, ...]

    @classmethod
    def from_csv(cls, path: Path) -> "Leaderboard":
        """Read `leaderboard.csv` (column `score`, best first), keeping rows in file order."""
        import pandas as pd

        frame = pd.read_csv(path)
        if "score" not in frame.columns:
            raise ValueError(f"{path}: a leaderboard needs a 'score' column; found {list(frame.columns)}")
        scores = pd.to_numeric(frame["score"], errors="coerce")
        if scores.isna().any():
            raise ValueError(f"{path}: {int(scores.isna().sum())} leaderboard score(s) are not numbers")
        if scores.empty:
            raise ValueError(f"{path}: the leaderboard is empty")
        return cls(tuple(float(s) for s in scores))

    @property
    def lower_is_better(self) -> bool:
        return leaderboard_direction(self.scores)

    def thresholds(self) -> Thresholds:
        return medal_thresholds(self.scores)


def leaderboard_direction(scores: Sequence[float]) -> bool:
    """MLE-bench's rule: lower is better iff the first (best) score is less than the last;
    equal first and last scores count as higher-is-better."""
    return bool(scores[0] < scores[-1])


def medal_positions(n: int) -> tuple[int, int, int]:
    """1-based leaderboard positions holding the gold, silver and bronze thresholds for N teams."""
    if n < 1:
        raise ValueError("a leaderboard needs at least one team")
    if n < 100:
        return max(1, int(0.1 * n)), max(1, int(0.2 * n)), max(1, int(0.4 * n))
    if n < 250:
        return 10, max(1, int(0.2 * n)), max(1, int(0.4 * n))
    if n < 1000:
        return 10 + int(0.002 * n), 50, 100
    return 10 + int(0.002 * n), max(1, int(0.05 * n)), max(1, int(0.1 * n))


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def medal_thresholds(scores: Sequence[float], lower_is_better: bool | None = None) -> Thresholds:
    """Thresholds for a leaderboard given best first. The direction is inferred from the order
    (as MLE-bench) unless `lower_is_better` is passed; a disagreement is logged as a warning."""
    scores = [float(s) for s in scores]
    inferred = leaderboard_direction(scores)
    if lower_is_better is not None and lower_is_better != inferred:
        logger.warning(
            "leaderboard order says lower_is_better=%s but the caller declared %s; using the declared one",
            inferred, lower_is_better,
        )
    direction = inferred if lower_is_better is None else lower_is_better
    gold, silver, bronze = medal_positions(len(scores))
    return Thresholds(
        gold=scores[gold - 1], silver=scores[silver - 1], bronze=scores[bronze - 1],
        median=_median(scores), lower_is_better=direction,
    )


def award(score: float | None, th: Thresholds) -> Medals:
    """Medals for a score: inclusive thresholds, exclusive tiers, strictly above the median.
    None or NaN wins nothing (every comparison with NaN is false)."""
    if score is None or math.isnan(score):
        return Medals()

    def reaches(threshold: float) -> bool:
        return score <= threshold if th.lower_is_better else score >= threshold

    gold = reaches(th.gold)
    silver = not gold and reaches(th.silver)
    bronze = not gold and not silver and reaches(th.bronze)
    above = score < th.median if th.lower_is_better else score > th.median
    return Medals(gold=gold, silver=silver, bronze=bronze, above_median=above)
