"""herbarium-2020-fgvc7: MLE-bench's per-category split of the training metadata (see
`bench.competitions._fgvc.prepare_herbarium`)."""

from __future__ import annotations

from pathlib import Path

from bench.competitions._fgvc import prepare_herbarium


def prepare(raw: Path, public: Path, private: Path) -> None:
    # MLE-bench decodes the UTF-8 metadata as latin-1 ("utf-8 fails" there); kept, so non-ASCII names
    # come out as the same escaped mojibake in the public metadata as in MLE-bench's
    prepare_herbarium(raw, public, private, root="nybg2020", encoding="latin-1", region_key="regions")
