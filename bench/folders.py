"""Read a competition folder (`bench/competitions/<id>/`) into a `Competition`.

The folder holds `competition.yaml` (the declarative entry), `description.md`,
`description_obfuscated.md`, and Python only where needed: `prepare.py` with
`prepare(raw, public, private)` when no shared preparer fits, `grade.py` with
`grade(submission, answers) -> float` when no shared grader fits. See
`bench/competitions/README.md` for the fields.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path
from typing import Any, Callable

import yaml

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.graders import shared_grader
from bench.metrics import get_metric
from bench.preparers import shared_preparer
from bench.splits import SPLITS

ENTRY_FILE = "competition.yaml"
_COLUMN_FIELDS = ("name", "kind", "allowed", "low", "high", "nullable")


class BadEntry(ValueError):
    """A competition folder is malformed; the message names the folder and the field."""


def load_folder(folder: Path) -> Competition:
    """The competition described by `folder`; `BadEntry` when a field is missing or wrong."""
    entry = yaml.safe_load((folder / ENTRY_FILE).read_text(encoding="utf-8"))
    try:
        return _competition(folder, entry)
    except (KeyError, TypeError, ValueError, FileNotFoundError) as exc:
        raise BadEntry(f"{folder / ENTRY_FILE}: {type(exc).__name__}: {exc}") from exc


def _competition(folder: Path, entry: dict[str, Any]) -> Competition:
    cid = entry["id"]
    if cid != folder.name:
        raise ValueError(f"id {cid!r} differs from the folder name {folder.name!r}")
    metric = get_metric(entry["metric"]["name"])
    params = dict(entry["metric"].get("params") or {})
    return Competition(
        id=cid, title=entry["title"], splits=splits_of(cid),
        metric=MetricSpec(metric.name, params, metric.lower_is_better),
        schema=_schema(entry["submission"]), source="kaggle",
        preparer=_preparer(folder, entry.get("preparer")),
        description=(folder / "description.md").read_text(encoding="utf-8"),
        description_obfuscated=(folder / "description_obfuscated.md").read_text(encoding="utf-8"),
        category=entry.get("category", "tabular"), grade_fn=_grader(folder, entry.get("grader")),
        raw_files=tuple(entry.get("raw_files") or ()), reference_md5=_checksums(entry.get("checksums") or {}),
        folder=folder,
    )


def splits_of(cid: str) -> tuple[str, ...]:
    """The split lists (bench.splits) naming this id; the lists are the one place splits live."""
    return tuple(name for name, members in SPLITS.items() if cid in members)


def _schema(spec: dict[str, Any]) -> SubmissionSchema:
    """`columns` as listed, then one probability column per name of `probability_columns` (for
    competitions with many classes, whose list the yaml holds once as `classes`)."""
    listed = list(spec["columns"]) + [{"name": str(n), "kind": "probability"} for n in spec.get("probability_columns") or ()]
    columns = []
    for column in listed:
        unknown = set(column) - set(_COLUMN_FIELDS)
        if unknown:
            raise ValueError(f"submission column {column.get('name')!r} has unknown field(s) {sorted(unknown)}")
        if column.get("allowed") is not None:
            column = {**column, "allowed": tuple(str(v) for v in column["allowed"])}
        columns.append(Column(**column))
    return SubmissionSchema(
        id_column=spec.get("id_column"), columns=tuple(columns), answers_file=spec["answers"],
        sample_file=spec["sample"], sample_is_private=bool(spec.get("sample_is_private", False)),
        rows_sum_to_one=tuple(spec.get("rows_sum_to_one") or ()),
        extra_columns_allowed=bool(spec.get("extra_columns_allowed", False)),
        expected_ids_from_sample=bool(spec.get("expected_ids_from_sample", False)),
        ids_repeat=bool(spec.get("ids_repeat", False)))


def _module(folder: Path, name: str) -> Any:
    return importlib.import_module(f"bench.competitions.{folder.name}.{name}")


def _preparer(folder: Path, spec: dict[str, Any] | None) -> Callable[[Path, Path, Path], None]:
    if (folder / "prepare.py").is_file():
        if spec is not None:
            raise ValueError("both prepare.py and a `preparer:` field; keep one")
        return _module(folder, "prepare").prepare
    if spec is None:
        raise ValueError("no prepare.py and no `preparer:` field")
    spec = dict(spec)
    return functools.partial(shared_preparer(spec.pop("kind")), **spec)


def _grader(folder: Path, spec: dict[str, Any] | None) -> Callable[..., float]:
    if (folder / "grade.py").is_file():
        if spec is not None:
            raise ValueError("both grade.py and a `grader:` field; keep one")
        return _module(folder, "grade").grade
    if spec is None:
        raise ValueError("no grade.py and no `grader:` field")
    spec = dict(spec)
    return functools.partial(shared_grader(spec.pop("kind")), **spec)


def _checksums(spec: dict[str, Any]) -> dict[str, str]:
    """MLE-bench's checksums.yaml shape (`zip`, `public: {file: md5}`, `private: {...}`) flattened
    to `zip`, `public/<file>`, `private/<file>`."""
    flat = {"zip": spec["zip"]} if spec.get("zip") else {}
    for side in ("public", "private"):
        for name, md5 in (spec.get(side) or {}).items():
            flat[f"{side}/{name}"] = md5
    return flat
