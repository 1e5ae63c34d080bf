"""Synthetic raw files of herbarium-2021-fgvc8: Kaggle's train/ and test/ trees (see _herbarium.py)."""

from __future__ import annotations

from tests.bench.raw import _herbarium

CASES = _herbarium.CASES


def build() -> dict[str, bytes]:
    return _herbarium.build("", "institutions", seed=2021)
