"""Synthetic raw files of herbarium-2020-fgvc7: Kaggle's tree under nybg2020/ (see _herbarium.py)."""

from __future__ import annotations

from tests.bench.raw import _herbarium

CASES = _herbarium.CASES


def build() -> dict[str, bytes]:
    return _herbarium.build("nybg2020", "regions", seed=2020)
