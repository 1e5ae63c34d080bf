"""Competitions and data dirs built in tests for validation and grading (no registry needed)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema


def _no_prepare(raw: Path, public: Path, private: Path) -> None:
    raise AssertionError("tests build their data directly")


def make_comp(schema: SubmissionSchema, metric: str = "accuracy", lower: bool = False, cid: str = "toy",
              grade_fn=None, **params) -> Competition:
    return Competition(id=cid, title=cid, splits=("test",), metric=MetricSpec(metric, params, lower),
                       schema=schema, source="package", preparer=_no_prepare, description="toy",
                       grade_fn=grade_fn)


BINARY = SubmissionSchema(id_column="id", columns=(Column("id", "id"), Column("target", "probability")))
LABELS = SubmissionSchema(id_column="PassengerId",
                          columns=(Column("PassengerId", "id"), Column("Transported", "label", allowed=("True", "False"))))
MULTI = SubmissionSchema(id_column="id", columns=(Column("id", "id"),) + tuple(Column(c, "probability") for c in "ABC"),
                         rows_sum_to_one=("A", "B", "C"))
REGRESSION = SubmissionSchema(id_column="id", columns=(Column("id", "id"), Column("y", "float", low=0.0)))


def write_data(root: Path, comp: Competition, answers: pd.DataFrame, leaderboard: list[float] | None) -> Path:
    """`<root>/<id>/prepared/private/<answers>`, the sample submission (the answers' ids) and
    `<root>/<id>/leaderboard.csv`; returns root."""
    private = root / comp.id / "prepared" / "private"
    private.mkdir(parents=True, exist_ok=True)
    (root / comp.id / "prepared" / "public").mkdir(exist_ok=True)
    answers.to_csv(private / comp.schema.answers_file, index=False)
    sample_side = "private" if comp.schema.sample_is_private else "public"
    answers.to_csv(root / comp.id / "prepared" / sample_side / comp.schema.sample_file, index=False)
    if leaderboard is not None:
        pd.DataFrame({"teamName": [f"t{i}" for i in range(len(leaderboard))], "score": leaderboard}).to_csv(
            root / comp.id / "leaderboard.csv", index=False)
    return root
