"""Grading: a submission -> score -> medals, in MLE-bench's report format; run-level reports.

`InvalidSubmissionError` (the agent's fault) and format problems give an invalid report with score
None. Any other exception is a grader bug: also score None, but logged with its traceback.
"""

from __future__ import annotations

import json
import logging
import math
import tempfile
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Sequence

from bench.competition import Competition
from bench.errors import InvalidSubmissionError
from bench.graders import read_frame
from bench.medals import (SCORE_DECIMALS, Leaderboard, Medals, Thresholds, award, leaderboard_direction,
                          medal_thresholds)
from bench.metrics import get_metric
from bench.paths import NotPrepared, is_prepared, prepare_command
from bench.registry import get_competition as registry_competition
from bench.validate import MAX_BYTES, expected_from_answers, read_answers, read_grader_answers, validate_submission
from sandbox import safefs
from sandbox.errors import SandboxPathError

logger = logging.getLogger(__name__)

REPORT_FIELDS = (
    "competition_id", "score", "gold_threshold", "silver_threshold", "bronze_threshold",
    "median_threshold", "any_medal", "gold_medal", "silver_medal", "bronze_medal", "above_median",
    "submission_exists", "valid_submission", "is_lower_better", "created_at", "submission_path",
    "leaderboard_kind",
)
# Medals against a reference ladder (offline split) are never added into Kaggle medal totals.
KAGGLE, REFERENCE_LADDER = "kaggle", "reference-ladder"


@dataclass
class CompetitionReport:
    """One graded submission. `to_dict()` gives MLE-bench's fields plus `leaderboard_kind`; `message` and
    `warnings` explain an invalid submission or a suspicious leaderboard."""

    competition_id: str
    score: float | None
    gold_threshold: float | None
    silver_threshold: float | None
    bronze_threshold: float | None
    median_threshold: float | None
    any_medal: bool
    gold_medal: bool
    silver_medal: bool
    bronze_medal: bool
    above_median: bool
    submission_exists: bool
    valid_submission: bool
    is_lower_better: bool
    created_at: str
    submission_path: str
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    leaderboard_kind: str = KAGGLE

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in REPORT_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CompetitionReport":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def leaderboard_path(comp: Competition, data_dir: Path) -> Path:
    return Path(data_dir) / comp.id / "leaderboard.csv"


def _read_submission(comp: Competition, path: Path) -> Any:
    import pandas as pd

    id_col = comp.schema.id_column
    dtype = None if id_col is None else {id_col: object}
    # MLE-bench reads with float_precision="round_trip"; pandas 3 does so by default and deprecates it
    precision = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}
    return pd.read_csv(path, dtype=dtype, encoding="utf-8-sig", **precision)


def align_to_answers(submission: Any, answers: Any, id_col: str) -> Any:
    """Submission rows reordered to the answers' order by id (a hash join: the same pairing as
    MLE-bench's sort-both-by-id, in linear time). Mismatched or repeated ids are the agent's fault."""
    import pandas as pd

    sub_ids = pd.Index(submission[id_col].astype(str).to_numpy(dtype=object), dtype=object)
    ans_ids = pd.Index(answers[id_col].astype(str).to_numpy(dtype=object), dtype=object)
    if len(sub_ids) != len(ans_ids) or not sub_ids.is_unique:
        raise InvalidSubmissionError("the submission's ids must match the test set's ids one to one")
    position = sub_ids.get_indexer(ans_ids)
    if (position < 0).any():
        raise InvalidSubmissionError("the submission's ids do not match the test set's ids")
    return submission.iloc[position].reset_index(drop=True)


def generic_score(comp: Competition, submission: Any, answers: Any) -> float:
    """The metric on the prediction columns, rows paired by id (or by position without an id column)."""
    schema = comp.schema
    cols = list(schema.prediction_columns)
    if schema.id_column is not None:
        submission = align_to_answers(submission, answers, schema.id_column)
    elif len(submission) != len(answers):
        raise InvalidSubmissionError(f"the submission has {len(submission)} rows, expected {len(answers)}")
    missing = [c for c in cols if c not in answers.columns]
    if missing:
        raise KeyError(f"answers for {comp.id} lack prediction column(s) {missing}")
    y_true = answers[cols[0]].to_numpy() if len(cols) == 1 else answers[cols].to_numpy()
    y_pred = submission[cols[0]].to_numpy() if len(cols) == 1 else submission[cols].to_numpy()
    return get_metric(comp.metric.name)(y_true, y_pred, **comp.metric.params)


def score_submission(comp: Competition, path: Path, data_dir: Path) -> tuple[float | None, str]:
    """(score rounded to SCORE_DECIMALS (5) decimals, message). Score None when the submission is invalid or the
    grader failed; the message says which and why.

    A competition with a grader (every MLE-bench one) is scored exactly as MLE-bench scores it: the
    file and the answers read as MLE-bench reads them, the grader's verdict only. One without (the
    offline split) passes the format checks first, then its metric."""
    try:
        if comp.grade_fn is not None:
            if path.stat().st_size > MAX_BYTES:  # bench/DEVIATIONS.md D1
                return None, f"Invalid submission: the file is over the {MAX_BYTES / 2**20:.0f} MiB limit"
            score = comp.grade_fn(read_frame(path), read_grader_answers(comp, data_dir))
        else:
            answers = read_answers(comp, data_dir)
            result = validate_submission(path, comp, expected_from_answers(comp, answers))
            if not result.valid:
                return None, result.message
            score = generic_score(comp, _read_submission(comp, path), answers)
    except InvalidSubmissionError as exc:
        return None, f"Invalid submission: {exc}"
    except FileNotFoundError as exc:  # answers missing: the competition is not prepared
        logger.error("cannot grade %s: %s", comp.id, exc)
        return None, f"Cannot grade: {exc}"
    except Exception as exc:  # MLE-bench also scores None here; we say it loudly
        logger.exception("GRADER BUG while grading %s for %s", path, comp.id)
        return None, f"Grader error (the submission is counted invalid, as MLE-bench does): {type(exc).__name__}: {exc}"
    score = float(score)
    return round(score, SCORE_DECIMALS), ("Score is NaN: it can never win a medal." if math.isnan(score) else "")


def _load_thresholds(comp: Competition, data_dir: Path, warnings: list[str]) -> Thresholds | None:
    path = leaderboard_path(comp, data_dir)
    if not path.is_file():
        warnings.append(f"no leaderboard at {path}: medals cannot be computed")
        return None
    try:
        board = Leaderboard.from_csv(path)
    except (ValueError, OSError) as exc:  # pandas' EmptyDataError and ParserError are ValueErrors
        warnings.append(f"unreadable leaderboard, medals cannot be computed: {exc}")
        return None
    inferred = leaderboard_direction(board.scores)
    if inferred != comp.metric.lower_is_better:
        warnings.append(
            f"leaderboard order says lower_is_better={inferred} but {comp.id}'s metric declares "
            f"{comp.metric.lower_is_better}; using the leaderboard order, as MLE-bench does"
        )
    return medal_thresholds(board.scores)


def grade_submission(comp: Competition, submission_path: Path, data_dir: Path, *,
                     trusted_root: Path | None = None) -> CompetitionReport:
    """Grade one submission file against the competition's private answers and leaderboard.

    The file is agent-written, so it is first copied to a private temp dir through sandbox.safefs and
    the copy is graded: from `trusted_root` (e.g. the run's workspace root; default: the file's
    grandparent, so in MLE-bench's layout `submission/submission.csv`) down, no link is followed and
    only a regular file is accepted. A submission linked to the answers is no submission."""
    path = Path(submission_path)
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="mls-grade-") as tmp:
        copy, problem = _private_copy(path, trusted_root, Path(tmp))
        exists = copy is not None and path.suffix.lower() == ".csv"
        if exists:
            score, message = score_submission(comp, copy, data_dir)
        else:
            score, message = None, problem or f"no .csv submission at {path}"
    th = _load_thresholds(comp, data_dir, warnings)
    for warning in warnings:
        logger.warning(warning)
    medals = award(score, th) if th is not None else Medals()
    return CompetitionReport(
        competition_id=comp.id, score=score,
        gold_threshold=th.gold if th else None, silver_threshold=th.silver if th else None,
        bronze_threshold=th.bronze if th else None, median_threshold=th.median if th else None,
        any_medal=medals.any_medal, gold_medal=medals.gold, silver_medal=medals.silver,
        bronze_medal=medals.bronze, above_median=medals.above_median, submission_exists=exists,
        valid_submission=score is not None, is_lower_better=th.lower_is_better if th else comp.metric.lower_is_better,
        created_at=datetime.now().isoformat(), submission_path=str(path), message=message, warnings=warnings,
        leaderboard_kind=leaderboard_kind(comp, data_dir),
    )


def _private_copy(path: Path, trusted_root: Path | None, tmp: Path) -> tuple[Path | None, str]:
    """(copy, "") or (None, why not)."""
    path = path.absolute()  # absolute() never resolves links; only the trusted root's own path is followed
    root = Path(trusted_root).absolute() if trusted_root is not None else path.parent.parent
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = None
    if rel is None or not rel.parts:
        return None, f"submission {path} is not under {root}"
    try:
        return safefs.copy_out(root, str(rel), tmp / path.name, safefs.COPY_LIMIT), ""
    except SandboxPathError as exc:
        return None, f"no submission graded: {exc}"
    except OSError as exc:
        return None, f"no submission graded: {path}: {exc.strerror or exc}"


def leaderboard_kind(comp: Competition, data_dir: Path) -> str:
    """REFERENCE_LADDER when the leaderboard's `leaderboard.meta.json` says it is one (offline prepare
    writes it beside every reference ladder it installs), else KAGGLE."""
    meta = leaderboard_path(comp, data_dir).with_name("leaderboard.meta.json")
    try:
        kind = json.loads(meta.read_text()).get("kind") if meta.is_file() else None
    except (OSError, ValueError, AttributeError):
        kind = None
    return REFERENCE_LADDER if kind == REFERENCE_LADDER else KAGGLE


@dataclass
class RunReport:
    """MLE-bench's run-group grading report (`<timestamp>_grading_report.json`)."""

    competition_reports: list[CompetitionReport]

    def to_dict(self) -> dict[str, Any]:
        """Totals count Kaggle-leaderboard reports only; reference-ladder ones have their own block."""
        reports = self.competition_reports
        out = _totals([r for r in reports if r.leaderboard_kind == KAGGLE])
        ladder = [r for r in reports if r.leaderboard_kind == REFERENCE_LADDER]
        if ladder:
            out["reference_ladder"] = _totals(ladder)
        out["competition_reports"] = [r.to_dict() for r in reports]
        return out


def _totals(reports: Sequence[CompetitionReport]) -> dict[str, int]:
    return {
        "total_runs": len(reports),
        "total_runs_with_submissions": sum(r.submission_exists for r in reports),
        "total_valid_submissions": sum(r.valid_submission for r in reports),
        "total_medals": sum(r.any_medal for r in reports),
        "total_gold_medals": sum(r.gold_medal for r in reports),
        "total_silver_medals": sum(r.silver_medal for r in reports),
        "total_bronze_medals": sum(r.bronze_medal for r in reports),
        "total_above_median": sum(r.above_median for r in reports),
    }


@dataclass(frozen=True)
class RunEntry:
    competition_id: str
    submission_path: Path


def read_run_jsonl(path: Path) -> list[RunEntry]:
    """Lines of {"competition_id", "submission_path"}; blank, `#` and `//` lines are skipped."""
    entries = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if not text or text.startswith(("#", "//")):
            continue
        try:
            record = json.loads(text)
            entries.append(RunEntry(str(record["competition_id"]), Path(record["submission_path"])))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(
                f"{path}:{number}: expected a JSON object with competition_id and submission_path ({exc})"
            ) from None
    return entries


def grade_jsonl(
    path: Path, data_dir: Path, get_competition: Callable[[str], Competition] | None = None,
) -> RunReport:
    """Grade every entry of a run file; competitions are looked up in `bench.registry` by default."""
    get_competition = get_competition or registry_competition
    entries = [(entry, get_competition(entry.competition_id)) for entry in read_run_jsonl(path)]
    unprepared = sorted({comp.id: comp for _, comp in entries if not is_prepared(comp, data_dir)}.values(),
                        key=lambda c: c.id)
    if unprepared:  # grading them would count every submission invalid: stop before grading any
        commands = "; ".join(prepare_command(comp, data_dir) for comp in unprepared)
        raise NotPrepared(f"not prepared in {data_dir}: {', '.join(c.id for c in unprepared)}. Run: {commands}")
    return RunReport([grade_submission(comp, entry.submission_path, data_dir) for entry, comp in entries])


@dataclass(frozen=True)
class Stat:
    """Mean across seeds with its standard error (ddof=1) and a 95% t-interval; None with 1 seed."""

    mean: float
    sem: float | None
    ci95: tuple[float, float] | None


def _stat(values: Sequence[float]) -> Stat:
    import numpy as np
    from scipy import stats

    arr = np.asarray(values, dtype=float)
    if len(arr) < 2:
        return Stat(float(arr.mean()) if len(arr) else float("nan"), None, None)
    sem = float(arr.std(ddof=1) / np.sqrt(len(arr)))
    half = float(stats.t.ppf(0.975, len(arr) - 1) * sem)
    return Stat(float(arr.mean()), sem, (float(arr.mean() - half), float(arr.mean() + half)))


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k: probability that at least one of k draws (without replacement) from n
    attempts with c successes succeeds: 1 - C(n-c, k) / C(n, k)."""
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"pass@k needs 0 <= c <= n and 1 <= k <= n (n={n}, c={c}, k={k})")
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


_RATES = {
    "submission_exists": "submission_exists", "valid_submission": "valid_submission",
    "above_median": "above_median", "gold_medal": "gold_medal", "silver_medal": "silver_medal",
    "bronze_medal": "bronze_medal", "any_medal": "any_medal",
}


def _padded(comp_id: str, kind: str) -> CompetitionReport:
    return CompetitionReport(comp_id, None, None, None, None, None, False, False, False, False, False,
                             False, False, False, datetime.now().isoformat(), "", "missing seed (padded)",
                             leaderboard_kind=kind)


def aggregate(
    reports: Sequence[CompetitionReport], k_values: Sequence[int] = (1,), pad_missing: bool = False,
) -> dict[str, Any]:
    """Across seeds, as MLE-bench's aggregation: the i-th report of each competition forms seed i;
    only complete seeds are kept unless `pad_missing` fills gaps with failing reports. Returns
    per-rate percentage mean ± SEM (ddof=1) with 95% CI, and mean pass@k over competitions."""
    by_comp: dict[str, list[CompetitionReport]] = {}
    for report in reports:
        by_comp.setdefault(report.competition_id, []).append(report)
    if not by_comp:
        raise ValueError("no reports to aggregate")
    kinds = {r.leaderboard_kind for r in reports}
    if len(kinds) > 1:
        raise ValueError("medals against reference ladders and against Kaggle leaderboards do not add up: "
                         "aggregate the offline-split reports and the Kaggle ones separately")
    counts = [len(v) for v in by_comp.values()]
    n_seeds = max(counts) if pad_missing else min(counts)
    if pad_missing:
        by_comp = {c: v + [_padded(c, v[0].leaderboard_kind)] * (n_seeds - len(v)) for c, v in by_comp.items()}
    seeds = [[v[i] for v in by_comp.values()] for i in range(n_seeds)]
    rates = {}
    for name, attr in _RATES.items():
        per_seed = [100.0 * sum(getattr(r, attr) for r in seed) / len(seed) for seed in seeds]
        rates[f"{name}_percentage"] = _stat(per_seed).__dict__
    passes = {}
    for k in k_values:
        eligible = [v for v in by_comp.values() if len(v) >= k]
        if eligible:
            passes[f"pass@{k}"] = sum(pass_at_k(len(v), sum(r.any_medal for r in v), k) for v in eligible) / len(eligible)
    return {"n_seeds": n_seeds, "n_competitions": len(by_comp), "leaderboard_kind": kinds.pop(), "rates": rates,
            "pass_at_k": passes}
