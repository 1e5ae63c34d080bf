"""herbarium-2021-fgvc8: MLE-bench's per-category split of the training metadata (see
`bench.competitions._fgvc.prepare_herbarium`)."""

from __future__ import annotations

from pathlib import Path

from bench.competitions._fgvc import prepare_herbarium


def prepare(raw: Path, public: Path, private: Path) -> None:
    prepare_herbarium(raw, public, private, root="", encoding="utf-8", region_key="institutions")
