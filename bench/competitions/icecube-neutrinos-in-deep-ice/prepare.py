"""icecube-neutrinos-in-deep-ice: MLE-bench's split of Kaggle's training batches.

The batch ids of `train_meta.parquet` (in order of appearance) are split with
`train_test_split(test_size=0.1, random_state=0)`. Public: `train_meta.parquet` (the events of
the train batches) and `test_meta.parquet` (those of the test batches, without `azimuth` and
`zenith`), both written with fastparquet (snappy, no index) as MLE-bench writes them;
`sensor_geometry.csv` as is; `train/batch_<n>.parquet` and `test/batch_<n>.parquet`, the pulse
files copied one at a time; `sample_submission.csv` (every test event, azimuth and zenith 1).
Private `test.csv`: `event_id,azimuth,zenith` of the test events.

The parquet files embed the writing pandas version, so their bytes equal MLE-bench's only under
the same versions (bench/DEVIATIONS.md P-F1); their contents are the same.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import fastparquet

from bench.preparers import RawFileMissing, locate, split

logger = logging.getLogger(__name__)

LOG_EVERY = 50


def _write_parquet(frame, path: Path) -> None:
    # what pandas' to_parquet(engine="fastparquet", index=False) passes to fastparquet
    fastparquet.write(str(path), frame, compression="snappy", write_index=False)


def _copy_batches(source: Path, public: Path, train_ids: set[int], test_ids: set[int]) -> None:
    (public / "train").mkdir(exist_ok=True)
    (public / "test").mkdir(exist_ok=True)
    files = sorted(p for p in source.glob("*.parquet") if p.is_file() and not p.is_symlink())
    for done, path in enumerate(files, 1):
        batch = int(path.stem.split("_")[-1])
        if batch in train_ids or batch in test_ids:
            shutil.copyfile(path, public / ("train" if batch in train_ids else "test") / path.name)
        if done % LOG_EVERY == 0:
            logger.info("batches: %d of %d files done", done, len(files))


def prepare(raw: Path, public: Path, private: Path) -> None:
    if not (raw / "train").is_dir():
        raise RawFileMissing(f"the train/ folder of batch files is not in the raw data ({raw})")
    meta = fastparquet.ParquetFile(str(locate(raw, "train_meta.parquet"))).to_pandas()
    train_ids, test_ids = split(meta["batch_id"].unique(), 0.1, 0)
    in_test = meta["batch_id"].isin(test_ids)
    train = meta[~in_test].reset_index(drop=True)
    test = meta[in_test].reset_index(drop=True)
    _write_parquet(train, public / "train_meta.parquet")
    _write_parquet(test.drop(columns=["azimuth", "zenith"]), public / "test_meta.parquet")
    answers = test[["event_id", "azimuth", "zenith"]]
    answers.assign(azimuth=1, zenith=1).to_csv(public / "sample_submission.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)
    shutil.copyfile(locate(raw, "sensor_geometry.csv"), public / "sensor_geometry.csv")
    _copy_batches(raw / "train", public, set(train_ids.tolist()), set(test_ids.tolist()))
