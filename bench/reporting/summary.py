"""The numbers of a report, computed the way MLE-bench aggregates grading reports.

For each agent x model, and separately for each leaderboard kind (Kaggle leaderboards vs the offline
split's reference ladders, never mixed):
- each seed is one pass over the grid's competitions; a competition with no finished run in that seed
  counts as a failed attempt (no submission, no medal), it is not dropped;
- a rate (any medal, gold, silver, bronze, above median, valid submission) is computed per seed as a
  percentage of the competitions, then reported as mean +- SEM across seeds (sample standard
  deviation, ddof=1, over sqrt(seeds); no SEM with one seed);
- pass@k for k = 1..n (n seeds) is the unbiased estimator 1 - C(n-c, k) / C(n, k) per competition
  (c = seeds with a medal), averaged over competitions;
- cost, tokens and wall time are summed over every attempt's record.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from bench.grade import pass_at_k
from bench.reporting.load import GroupData, RunRow

RATES = {  # report name -> grade field
    "any_medal": "any_medal", "gold": "gold_medal", "silver": "silver_medal", "bronze": "bronze_medal",
    "above_median": "above_median", "valid_submission": "valid_submission",
    "submission_exists": "submission_exists",
}


@dataclass(frozen=True)
class Stat:
    mean: float
    sem: float | None  # None with fewer than two seeds
    per_seed: tuple[float, ...] = ()

    def __str__(self) -> str:
        if math.isnan(self.mean):
            return "-"
        return f"{self.mean:.2f} ± {self.sem:.2f}" if self.sem is not None else f"{self.mean:.2f}"


def mean_sem(values: list[float]) -> Stat:
    """Mean and standard error of the mean (ddof=1), as scipy.stats.sem gives it."""
    n = len(values)
    if n == 0:
        return Stat(float("nan"), None)
    mean = sum(values) / n
    if n < 2:
        return Stat(mean, None, tuple(values))
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    return Stat(mean, math.sqrt(var / n), tuple(values))


def seed_rates(rows: list[RunRow], competitions: list[str], seeds: list[int], field_name: str) -> list[float]:
    """Per seed, the percentage of `competitions` whose run of that seed has `field_name` true."""
    by_key = {(r.competition, r.seed): r for r in rows}
    out = []
    for seed in seeds:
        hits = sum(1 for c in competitions if (c, seed) in by_key and by_key[(c, seed)].flag(field_name))
        out.append(100.0 * hits / len(competitions))
    return out


def pass_at_k_curve(rows: list[RunRow], competitions: list[str], seeds: list[int]) -> dict[int, float]:
    """pass@k (any medal) for k = 1..len(seeds), each competition with n = len(seeds) attempts."""
    n = len(seeds)
    by_key = {(r.competition, r.seed): r for r in rows}
    medals = {c: sum(1 for s in seeds if (c, s) in by_key and by_key[(c, s)].flag("any_medal")) for c in competitions}
    return {k: sum(pass_at_k(n, medals[c], k) for c in competitions) / len(competitions) for k in range(1, n + 1)}


@dataclass
class Summary:
    """One agent x model on one leaderboard kind."""

    group: str
    agent: str
    model: str
    leaderboard_kind: str
    n_competitions: int
    n_seeds: int
    rates: dict[str, Stat]
    pass_at_k: dict[int, float]
    runs: int
    finished: int
    failed: int
    cost_usd: float
    tokens: int
    wall_time_s: float
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def unfinished(self) -> int:
        return self.runs - self.finished

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rates"] = {k: {"mean": v.mean, "sem": v.sem, "per_seed": list(v.per_seed)} for k, v in self.rates.items()}
        data["pass_at_k"] = {str(k): v for k, v in self.pass_at_k.items()}
        return data


def summarize(group: GroupData, agent: str, model: str, kind: str) -> Summary:
    comps, seeds = group.competitions(kind), list(group.grid["seeds"])
    rows = group.select(agent, model, kind)
    rates = {name: mean_sem(seed_rates(rows, comps, seeds, fld)) for name, fld in RATES.items()}
    run = group.grid.get("run", {})
    settings = {"obfuscated": bool(run.get("obfuscated")), "cpus_per_run": (run.get("limits") or {}).get("cpus"),
                "gpus_per_run": group.grid.get("gpus_per_run", 0),
                "time_limit_s": (run.get("limits") or {}).get("wall_time_s")}
    return Summary(
        group=group.name, agent=agent, model=model, leaderboard_kind=kind, n_competitions=len(comps),
        n_seeds=len(seeds), rates=rates, pass_at_k=pass_at_k_curve(rows, comps, seeds), runs=len(rows),
        finished=sum(r.finished for r in rows), failed=sum(r.state == "failed" for r in rows),
        cost_usd=sum(r.number("cost_usd") for r in rows), tokens=int(sum(r.number("tokens") for r in rows)),
        wall_time_s=sum(r.number("wall_time_s") for r in rows), settings=settings)


def summaries(group: GroupData) -> list[Summary]:
    return [summarize(group, a, m, k) for k in group.kinds() for a, m in group.pairs()]
