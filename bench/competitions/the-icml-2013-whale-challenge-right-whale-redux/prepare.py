"""the-icml-2013-whale-challenge-right-whale-redux: MLE-bench's split of the labelled clips by day.

Raw `train2.zip` holds `train2/<YYYYMMDD>_<HHMMSS>_<offset>_TRAIN<i>_<label>.aif` over four days.
The clips of the first two days (sorted by name) become public `train2.zip`, renumbered
`TRAIN0, TRAIN1, ...`; those of the last two days become public `test2.zip`, the part of the name
from `TRAIN` on replaced by `Test<i>.aif`, and their labels the answers (`clip,probability`).
The sample submission gives every test clip probability 0.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd

from bench.preparers import FileSource

DAYS = 4  # the raw training data covers four recording days


def prepare(raw: Path, public: Path, private: Path) -> None:
    clips = FileSource(raw, "train2", ".aif")
    try:
        by_day: dict[str, list[str]] = {}
        for name in clips.names():
            by_day.setdefault(name.split("_")[0], []).append(name)
        if len(by_day) != DAYS:
            raise ValueError(f"train2 should hold clips of {DAYS} days, found {len(by_day)}: {sorted(by_day)}")
        days = sorted(by_day)
        train = sorted(by_day[days[0]] + by_day[days[1]])
        test = sorted(by_day[days[2]] + by_day[days[3]])
        train_names = [re.sub(r"TRAIN\d+", f"TRAIN{i}", name) for i, name in enumerate(train)]
        test_names = [name.split("TRAIN")[0] + f"Test{i}.aif" for i, name in enumerate(test)]
        _write_zip(public / "train2.zip", "train2", clips, train, train_names)
        _write_zip(public / "test2.zip", "test2", clips, test, test_names)
    finally:
        clips.close()
    labels = [1 if Path(name).stem.endswith("_1") else 0 for name in test]
    answers = pd.DataFrame({"clip": test_names, "probability": labels})
    answers.to_csv(private / "test.csv", index=False)
    answers.assign(probability=0).to_csv(public / "sampleSubmission.csv", index=False)


def _write_zip(dest: Path, folder: str, clips: FileSource, names: list[str], new_names: list[str]) -> None:
    """A zip holding `<folder>/<new name>` for each clip, as the competition ships its clips."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(f"{folder}/", b"")
        for name, new_name in zip(names, new_names):
            out.writestr(f"{folder}/{new_name}", clips.read(name))
