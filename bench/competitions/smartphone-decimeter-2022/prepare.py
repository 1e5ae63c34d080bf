"""smartphone-decimeter-2022: MLE-bench's split of Kaggle's training drives by date.

A drive folder `train/<drive_id>/` (e.g. `2021-04-29-US-MTV-1`) is dated by the first three parts
of its name; the sorted dates are split with `train_test_split(test_size=0.1, random_state=0)`.
Drives of train dates are copied to `public/train/`, those of test dates to `public/test/` without
their `ground_truth.csv` files, which become the answers: private `test.csv`, one row per ground
truth row, trips in (drive, phone) order, columns `tripId` (`<drive_id>-<phone>`),
`UnixTimeMillis`, `LatitudeDegrees`, `LongitudeDegrees`. `metadata/` is copied; the sample
submission is the answers with one fixed position. Files are copied one at a time, links skipped.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pandas as pd

from bench.pandas2_floats import read_csv_pandas2
from bench.preparers import RawFileMissing, split

logger = logging.getLogger(__name__)

TRUTH = "ground_truth.csv"
SAMPLE_POSITION = {"LatitudeDegrees": 37.904611315634504, "LongitudeDegrees": -86.48107806249548}
LOG_EVERY = 1_000


def drive_date(drive_id: str) -> str:
    """`YYYY-MM-DD` from a drive id `YYYY-M-D-...` (month and day padded)."""
    parts = drive_id.split("-")
    if len(parts) < 3 or not all(p.isdigit() for p in parts[:3]):
        raise ValueError(f"drive folder {drive_id!r} does not start with a date YYYY-MM-DD")
    return f"{parts[0]}-{parts[1].zfill(2)}-{parts[2].zfill(2)}"


def copy_tree(source: Path, dest: Path, skip: str | None = None) -> int:
    """Copy the regular files under `source` (links are not followed), except those named `skip`."""
    copied = 0
    for folder, _, names in os.walk(source):
        target = dest / Path(folder).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            path = Path(folder) / name
            if name != skip and path.is_file() and not path.is_symlink():
                shutil.copyfile(path, target / name)
                copied += 1
    return copied


def _truth(drive: Path) -> list[pd.DataFrame]:
    frames = []
    for phone in sorted(p.name for p in drive.iterdir() if (p / TRUTH).is_file() and not (p / TRUTH).is_symlink()):
        frame = read_csv_pandas2(drive / phone / TRUTH)  # MLE-bench reads these with pandas 2's default parser
        frame["tripId"] = f"{drive.name}-{phone}"
        frames.append(frame[["tripId", "UnixTimeMillis", "LatitudeDegrees", "LongitudeDegrees"]])
    return frames


def prepare(raw: Path, public: Path, private: Path) -> None:
    if not (raw / "train").is_dir() or not (raw / "metadata").is_dir():
        raise RawFileMissing(f"the train/ and metadata/ folders are not both in the raw data ({raw})")
    drives = sorted(p.name for p in (raw / "train").iterdir() if p.is_dir() and not p.is_symlink())
    train_dates, test_dates = split(sorted({drive_date(d) for d in drives}), 0.1, 0)
    answers = []
    for done, drive in enumerate(drives, 1):
        if drive_date(drive) in test_dates:
            copy_tree(raw / "train" / drive, public / "test" / drive, skip=TRUTH)
            answers += _truth(raw / "train" / drive)
        else:
            copy_tree(raw / "train" / drive, public / "train" / drive)
        if done % LOG_EVERY == 0:
            logger.info("drives: %d of %d copied", done, len(drives))
    copy_tree(raw / "metadata", public / "metadata")
    test = pd.concat(answers, ignore_index=True)
    test.to_csv(private / "test.csv", index=False)
    test.assign(**SAMPLE_POSITION).to_csv(public / "sample_submission.csv", index=False)
