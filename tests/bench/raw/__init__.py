"""Synthetic raw trees of the MLE-bench competitions, one module per competition.

`tests/bench/raw/<id with - as _>.py` defines `build() -> dict[str, bytes]`: the files at the top
of the archive Kaggle serves for that competition (names, columns, types and archive nesting as
Kaggle's, contents tiny and seeded). The fake Kaggle server serves them zipped; the golden files
in `tests/bench/golden/` record what MLE-bench's own preparer and grader make of them.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

RAW_DIR = Path(__file__).parent


def raw_ids() -> list[str]:
    """Ids of the competitions that have a synthetic raw tree."""
    return sorted(p.stem.replace("_", "-") for p in RAW_DIR.glob("*.py") if not p.stem.startswith("_"))


def builder(competition_id: str) -> Callable[[], dict[str, bytes]]:
    module = importlib.import_module(f"tests.bench.raw.{competition_id.replace('-', '_')}")
    return module.build
