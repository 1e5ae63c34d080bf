"""Reference ladders: leaderboards for competitions that have no public one (the offline split).

A ladder is a documented list of reference solutions, trivial to strong (`Rung`s, defined in each
competition module as `LADDER`). Every rung variant is trained on `public/` and scored on the
hidden answers with the competition's metric; the scores, best first, form
`<data_dir>/<id>/leaderboard.csv` (`teamName,score`, team names `reference:<rung>[...]`) plus
`leaderboard.meta.json`, which says plainly that this is a reference ladder, not a human one.
Several hyper-parameters and seeds per rung give enough rows for the medal bands to mean something.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from bench.competition import Competition, FitPredict, Rung
from bench.metrics import get_metric
from bench.paths import competition_paths, ensure_prepared

logger = logging.getLogger(__name__)

__all__ = ["FitPredict", "Rung", "LadderEntry", "LadderResult", "NoLadder", "ladder_for", "run_ladder"]


@dataclass
class LadderEntry:
    team_name: str
    rung: str
    params: dict
    seed: int
    score: float
    seconds: float


@dataclass
class LadderResult:
    competition_id: str
    lower_is_better: bool
    entries: list[LadderEntry] = field(default_factory=list)

    def best(self) -> LadderEntry:
        return sorted_entries(self.entries, self.lower_is_better)[0]


class NoLadder(LookupError):
    """The competition has no reference ladder (Kaggle ones use Kaggle's leaderboard)."""


def sorted_entries(entries: list[LadderEntry], lower_is_better: bool) -> list[LadderEntry]:
    return sorted(entries, key=lambda e: e.score, reverse=not lower_is_better)


def ladder_for(comp: Competition) -> tuple[Rung, ...]:
    rungs = comp.ladder
    if not rungs:
        raise NoLadder(f"{comp.id} has no reference ladder; its leaderboard comes from Kaggle")
    return tuple(rungs)


def _team_name(rung: Rung, params: dict, seed: int) -> str:
    bits = [f"{k}={v}" for k, v in params.items()]
    if len(rung.seeds) > 1:
        bits.append(f"seed={seed}")
    return f"reference:{rung.name}" + (f"[{','.join(bits)}]" if bits else "")


def score_submission(comp: Competition, submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    """Score a submission against the answers with the competition's metric.

    Uses the shared metrics library (`bench.metrics`) when present, else a local sklearn
    fallback for the few metrics the ladders use.
    """
    schema = comp.schema
    cols = list(schema.prediction_columns)
    if schema.id_column:
        merged = answers[[schema.id_column] + cols].merge(
            submission[[schema.id_column] + cols], on=schema.id_column, suffixes=("_true", "_pred"))
        if len(merged) != len(answers):
            raise ValueError(f"submission ids do not match the answers ({len(merged)} of {len(answers)} matched)")
        y_true = merged[[c + "_true" for c in cols]].to_numpy()
        y_pred = merged[[c + "_pred" for c in cols]].to_numpy()
    else:
        y_true, y_pred = answers[cols].to_numpy(), submission[cols].to_numpy()
    if len(cols) == 1:
        y_true, y_pred = y_true.ravel(), y_pred.ravel()
    return float(_metric_fn(comp.metric.name)(y_true, y_pred, **comp.metric.params))


def _metric_fn(name: str) -> Callable[..., float]:
    try:
        return get_metric(name)
    except LookupError:
        logger.debug("bench.metrics has no %r; using the local fallback", name)
    return _FALLBACK[name]


def _rmse(t, p, **_: Any) -> float:
    return float(np.sqrt(np.mean((np.asarray(t, float) - np.asarray(p, float)) ** 2)))


def _rmsle(t, p, **_: Any) -> float:
    return _rmse(np.log1p(np.asarray(t, float)), np.log1p(np.clip(np.asarray(p, float), 0, None)))


def _accuracy(t, p, **_: Any) -> float:
    return float(np.mean(np.asarray(t).astype(str) == np.asarray(p).astype(str)))


def _f1_macro(t, p, **_: Any) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(np.asarray(t).astype(str), np.asarray(p).astype(str), average="macro"))


_FALLBACK: dict[str, Callable[..., float]] = {
    "accuracy": _accuracy, "rmse": _rmse, "rmsle": _rmsle, "f1_macro": _f1_macro,
}


def run_ladder(comp: Competition, data_dir: Path | None = None) -> LadderResult:
    """Train and score every rung variant; write the leaderboard files; return the results."""
    paths = ensure_prepared(comp, data_dir)
    answers = pd.read_csv(paths.private / comp.schema.answers_file)
    result = LadderResult(comp.id, comp.metric.lower_is_better)
    for rung in ladder_for(comp):
        for params in rung.variants:
            for seed in rung.seeds:
                start = time.perf_counter()
                submission = rung.fit_predict(paths.public, dict(params), seed)
                score = score_submission(comp, submission, answers)
                entry = LadderEntry(_team_name(rung, params, seed), rung.name, dict(params), seed, score,
                                    time.perf_counter() - start)
                logger.info("%s: %s = %.5f (%.1fs)", entry.team_name, comp.metric.name, score, entry.seconds)
                result.entries.append(entry)
    write_leaderboard(result, competition_paths(comp, data_dir).leaderboard)
    return result


def write_leaderboard(result: LadderResult, path: Path) -> None:
    """leaderboard.csv (best first) and leaderboard.meta.json beside it, each written atomically."""
    rows = sorted_entries(result.entries, result.lower_is_better)
    frame = pd.DataFrame({"teamName": [e.team_name for e in rows], "score": [round(e.score, 6) for e in rows]})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    frame.to_csv(tmp, index=False)
    meta = {
        "kind": "reference-ladder",
        "note": "Scores of reference solutions run by mle-suite, not a human leaderboard.",
        "competition_id": result.competition_id,
        "lower_is_better": result.lower_is_better,
        "created_at": datetime.now(timezone.utc).isoformat(),
        "entries": [e.__dict__ for e in rows],
    }
    meta_path = path.with_name("leaderboard.meta.json")
    meta_path.with_suffix(".json.tmp").write_text(json.dumps(meta, indent=2, default=str))
    meta_path.with_suffix(".json.tmp").replace(meta_path)
    tmp.replace(path)
