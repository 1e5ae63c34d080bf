"""multi-modal-gesture-recognition: MLE-bench's re-use of training4.tar.gz as the test set.

The test ids are the last four digits of the `Sample<nnnnn>.zip` files at the top of
training4.tar.gz (its member list is read; nothing is extracted). Public: `training.csv` without
those ids, `test.csv` (`Id`), `randomPredictions.csv` (each test id with a random order of the 20
gestures: Python's `random` seeded 0, as MLE-bench), `test.tar.gz` (training4.tar.gz as is) and the
other archives copied unchanged; private: `test.csv` (the training.csv rows of the test ids).
"""

from __future__ import annotations

import random
import shutil
import tarfile
from pathlib import Path, PurePosixPath

import pandas as pd

from bench.preparers import RawFileMissing

COPIED = ["training1.tar.gz", "training2.tar.gz", "training3.tar.gz", "validation1.tar.gz", "validation2.tar.gz",
          "validation3.tar.gz", "devel01-40.7z", "valid_all_files_combined.7z", "sample_code_mmrgc.zip"]


def _test_ids(archive: Path) -> list[str]:
    """Last four digits of the `.zip` members at the top level of the tar (as extracting it and
    listing `*.zip` in the folder would find), sorted."""
    with tarfile.open(archive, "r:*") as tar:
        names = [PurePosixPath(m.name) for m in tar]  # streams through the archive once
    top = [n for n in names if len(n.parts) == 1 and n.suffix == ".zip"]
    return sorted(n.stem[-4:] for n in top)


def _random_orders(count: int) -> list[str]:
    rng = random.Random(0)  # the sequence `random.seed(0); random.sample(...)` gives
    return [" ".join(str(x) for x in rng.sample(range(1, 21), 20)) for _ in range(count)]


def prepare(raw: Path, public: Path, private: Path) -> None:
    for name in ["training.csv", "training4.tar.gz", *COPIED]:
        if not (raw / name).is_file():
            raise RawFileMissing(f"{name} is not in the raw data ({raw})")
    test_ids = _test_ids(raw / "training4.tar.gz")
    training = pd.read_csv(raw / "training.csv", dtype={"Id": str, "Sequence": str})
    in_test = training["Id"].isin(test_ids)
    training[~in_test].to_csv(public / "training.csv", index=False)
    training[in_test].to_csv(private / "test.csv", index=False)
    pd.DataFrame({"Id": test_ids}).to_csv(public / "test.csv", index=False)
    pd.DataFrame({"Id": test_ids, "Sequence": _random_orders(len(test_ids))}).to_csv(
        public / "randomPredictions.csv", index=False)
    shutil.copyfile(raw / "training4.tar.gz", public / "test.tar.gz")
    for name in COPIED:
        shutil.copyfile(raw / name, public / name)
