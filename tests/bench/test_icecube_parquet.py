"""icecube-neutrinos-in-deep-ice: the prepared metadata tables equal MLE-bench's by content.

Their bytes embed the writing pandas version (bench/DEVIATIONS.md P-F1), so the golden test skips
them; here their types and rows are compared with the digests of the tables MLE-bench's preparer
wrote from the same raw tree (recorded with MLE-bench 783b15af under pandas 2.3.3, fastparquet
2026.9.0).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import fastparquet

from bench.registry import get_competition
from tests.bench.raw import builder

CID = "icecube-neutrinos-in-deep-ice"
MLE_BENCH = {"train_meta.parquet": "97b5f0039fcd8dd577df352937b01752",
             "test_meta.parquet": "841dfe55f62d40fb7bd4514a0fbd0e85"}


def content_digest(path: Path) -> str:
    """md5 of the column types and the rows as CSV: what a reader of the file gets."""
    frame = fastparquet.ParquetFile(str(path)).to_pandas()
    types = ",".join(f"{column}:{dtype}" for column, dtype in frame.dtypes.astype(str).items())
    return hashlib.md5(f"{types}\n{frame.to_csv(index=False)}".encode()).hexdigest()


def test_metadata_tables_have_mle_bench_content(tmp_path):
    raw, public, private = tmp_path / "raw", tmp_path / "public", tmp_path / "private"
    for name, data in builder(CID)().items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)
    public.mkdir()
    private.mkdir()
    get_competition(CID).preparer(raw, public, private)
    assert {name: content_digest(public / name) for name in MLE_BENCH} == MLE_BENCH
