"""Reference ladders: the leaderboards of the offline split, which has no human one.

A ladder is a list of reference `Solution`s (defined in each offline competition module as
`LADDER`), from trivial to the strongest this CPU trains in seconds: different model families,
feature sets and budgets, never seeds of one model. Each is trained on `public/` and scored on the
hidden answers with the competition's metric. The result is committed beside the code, in
`bench/offline/ladders/<id>/`: `leaderboard.csv` (`teamName,score`, best first, team names
`reference:<solution>`) and `provenance.json` (each row's solution, family, settings, score and
time, the library versions, the md5 of the answers it was scored on, the medal bands).

`prepare` copies the committed leaderboard into the data dir, so every machine grades against the
same thresholds; only `python -m bench ladder --rebuild` trains the ladder again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import itertools
import json
import logging
import platform
import time
import warnings
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pandas as pd
from threadpoolctl import threadpool_limits

from bench.competition import Competition
from bench.medals import SCORE_DECIMALS, medal_thresholds
from bench.metrics import get_metric
from bench.paths import ensure_prepared

logger = logging.getLogger(__name__)

LADDERS_DIR = Path(__file__).parent / "offline" / "ladders"
KIND = "reference-ladder"
LIBRARIES = ("numpy", "pandas", "scipy", "scikit-learn", "pillow")


class NoLadder(LookupError):
    """The competition has no reference ladder (Kaggle ones use Kaggle's leaderboard)."""


class Workbench:
    """What a solution gets: the public folder, and a memo shared by the ladder's solutions so that
    features (decoded images, TF-IDF matrices) are computed once per ladder run, not per solution."""

    def __init__(self, public: Path):
        self.public = public
        self._memo: dict[Any, Any] = {}

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


@dataclass(frozen=True)
class Solution:
    """One reference solution. `baseline` marks a plain, untuned one: gold must beat them all."""

    name: str
    family: str
    run: Callable[..., pd.DataFrame]  # run(wb, **params) -> submission DataFrame
    params: tuple[tuple[str, Any], ...] = ()
    baseline: bool = False

    def __call__(self, wb: Workbench) -> pd.DataFrame:
        return self.run(wb, **dict(self.params))


def solution(family: str, run: Callable[..., pd.DataFrame], baseline: bool = False, **params: Any) -> Solution:
    """A solution named after its family and settings, e.g. `logistic[C=0.1,features=basic]`."""
    bits = ",".join(f"{k}={v}" for k, v in params.items())
    return Solution(f"{family}[{bits}]" if bits else family, family, run, tuple(params.items()), baseline)


def grid(family: str, run: Callable[..., pd.DataFrame], baseline: bool = False,
         **axes: tuple[Any, ...]) -> list[Solution]:
    """One solution per combination of the settings in `axes` (a cartesian product)."""
    names = list(axes)
    return [solution(family, run, baseline, **dict(zip(names, combo)))
            for combo in itertools.product(*(axes[n] for n in names))]


@dataclass
class LadderRow:
    team_name: str
    solution: str
    family: str
    params: dict
    baseline: bool
    score: float
    seconds: float
    cpu_seconds: float = 0.0


@dataclass
class LadderResult:
    competition_id: str
    metric: str
    lower_is_better: bool
    rows: list[LadderRow] = field(default_factory=list)

    def sorted_rows(self) -> list[LadderRow]:
        return sorted(self.rows, key=lambda r: r.score, reverse=not self.lower_is_better)

    def best(self) -> LadderRow:
        return self.sorted_rows()[0]


def ladder_for(comp: Competition) -> tuple[Solution, ...]:
    """The competition's reference solutions; `NoLadder` for Kaggle competitions."""
    solutions = tuple(comp.ladder or ()) if comp.source == "package" else ()
    if not solutions:
        raise NoLadder(f"{comp.id} has no reference ladder; its leaderboard comes from Kaggle")
    names = [s.name for s in solutions]
    if len(set(names)) != len(names):
        raise ValueError(f"{comp.id}: ladder solution names repeat: {sorted({n for n in names if names.count(n) > 1})}")
    return solutions


def committed_dir(comp: Competition) -> Path:
    return LADDERS_DIR / comp.id


def score_submission(comp: Competition, submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    """The competition's metric on a submission, rows paired by id (ids compared as strings)."""
    schema = comp.schema
    cols = list(schema.prediction_columns)
    if schema.id_column:
        key = schema.id_column
        left = answers[[key] + cols].assign(**{key: answers[key].astype(str)})
        right = submission[[key] + cols].assign(**{key: submission[key].astype(str)})
        merged = left.merge(right, on=key, suffixes=("_true", "_pred"))
        if len(merged) != len(answers) or len(submission) != len(answers):
            raise ValueError(f"submission ids do not match the answers ({len(merged)} of {len(answers)} matched)")
        y_true = merged[[c + "_true" for c in cols]].to_numpy()
        y_pred = merged[[c + "_pred" for c in cols]].to_numpy()
    else:
        y_true, y_pred = answers[cols].to_numpy(), submission[cols].to_numpy()
    if len(cols) == 1:
        y_true, y_pred = y_true.ravel(), y_pred.ravel()
    return float(get_metric(comp.metric.name)(y_true, y_pred, **comp.metric.params))


def read_answers(comp: Competition, private: Path) -> pd.DataFrame:
    dtype = {comp.schema.id_column: str} if comp.schema.id_column else None
    return pd.read_csv(private / comp.schema.answers_file, dtype=dtype, keep_default_na=False)


def build_ladder(comp: Competition, data_dir: Path | None = None,
                 solutions: tuple[Solution, ...] | None = None) -> LadderResult:
    """Train and score every solution on the prepared data (nothing is written)."""
    paths = ensure_prepared(comp, data_dir)
    answers = read_answers(comp, paths.private)
    wb = Workbench(paths.public)
    result = LadderResult(comp.id, comp.metric.name, comp.metric.lower_is_better)
    for sol in solutions if solutions is not None else ladder_for(comp):
        start, cpu_start = time.perf_counter(), time.process_time()
        # One thread: the ladder is built on shared 2-core machines, where OpenMP spinning thrashes.
        with warnings.catch_warnings(), threadpool_limits(1):
            warnings.simplefilter("ignore", category=UserWarning)  # convergence notes of small budgets
            warnings.simplefilter("ignore", category=FutureWarning)
            submission = sol(wb)
        score = score_submission(comp, submission, answers)
        row = LadderRow(f"reference:{sol.name}", sol.name, sol.family, dict(sol.params), sol.baseline,
                        round(score, SCORE_DECIMALS), round(time.perf_counter() - start, 2),
                        round(time.process_time() - cpu_start, 2))
        logger.info("%s: %s = %.5f (%.1f s)", row.team_name, comp.metric.name, score, row.seconds)
        result.rows.append(row)
    return result


def _md5(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "md5").hexdigest()


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for lib in LIBRARIES:
        try:
            found[lib] = importlib.metadata.version(lib)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def bands(result: LadderResult) -> dict[str, float]:
    th = medal_thresholds([r.score for r in result.sorted_rows()], lower_is_better=result.lower_is_better)
    return {"gold": th.gold, "silver": th.silver, "bronze": th.bronze, "median": th.median}


def write_committed(result: LadderResult, answers: Path, out_dir: Path) -> None:
    """`leaderboard.csv` and `provenance.json` into `out_dir` (the ladder's committed home)."""
    rows = result.sorted_rows()
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame({"teamName": [r.team_name for r in rows], "score": [r.score for r in rows]})
    _write_text(out_dir / "leaderboard.csv", frame.to_csv(index=False))
    provenance = {
        "kind": KIND,
        "note": "Scores of reference solutions run by mle-suite on the hidden test split, not a human leaderboard.",
        "competition_id": result.competition_id, "metric": result.metric,
        "lower_is_better": result.lower_is_better,
        "command": f"python -m bench ladder --rebuild -c {result.competition_id}",
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "built_with": _versions(), "answers_md5": _md5(answers), "bands": bands(result),
        "rows": [asdict(r) for r in rows],
    }
    _write_text(out_dir / "provenance.json", json.dumps(provenance, indent=1) + "\n")


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def read_committed(comp: Competition) -> dict | None:
    """The committed provenance of the competition's ladder, or None when it has none yet."""
    path = committed_dir(comp) / "provenance.json"
    return json.loads(path.read_text()) if path.is_file() else None


def install_leaderboard(comp: Competition, private: Path, dest: Path) -> Path:
    """Copy the committed leaderboard to `dest` (the data dir's `leaderboard.csv`), with a
    `leaderboard.meta.json` beside it; warn when the answers differ from those it was scored on."""
    source = committed_dir(comp) / "leaderboard.csv"
    provenance = read_committed(comp)
    if provenance is None or not source.is_file():
        raise NoLadder(f"{comp.id} has no committed reference ladder yet; build it with "
                       f"`python -m bench ladder --rebuild -c {comp.id}`")
    answers = private / comp.schema.answers_file
    if answers.is_file() and _md5(answers) != provenance["answers_md5"]:
        logger.warning("%s: the prepared answers differ from those the committed ladder was scored on; medal "
                       "thresholds may not fit this split (rebuild with `python -m bench ladder --rebuild -c %s`)",
                       comp.id, comp.id)
    dest.parent.mkdir(parents=True, exist_ok=True)
    _write_text(dest, source.read_text())
    meta = {key: provenance[key] for key in ("kind", "note", "competition_id", "metric", "lower_is_better",
                                             "built_at", "built_with", "answers_md5", "bands")}
    meta["source"] = str(source)
    _write_text(dest.with_name("leaderboard.meta.json"), json.dumps(meta, indent=1) + "\n")
    return dest


def run_ladder(comp: Competition, data_dir: Path | None = None, rebuild: bool = False,
               out_dir: Path | None = None) -> LadderResult:
    """The committed ladder, installed into the data dir; trained anew (and committed to `out_dir`,
    by default the source tree) only with `rebuild` or when none is committed yet."""
    paths = ensure_prepared(comp, data_dir)
    home = out_dir or committed_dir(comp)
    if rebuild or not (home / "provenance.json").is_file():
        result = build_ladder(comp, data_dir)
        write_committed(result, paths.private / comp.schema.answers_file, home)
    provenance = json.loads((home / "provenance.json").read_text())
    result = LadderResult(comp.id, provenance["metric"], provenance["lower_is_better"],
                          [LadderRow(**row) for row in provenance["rows"]])
    if home == committed_dir(comp):
        install_leaderboard(comp, paths.private, paths.leaderboard)
    return result
