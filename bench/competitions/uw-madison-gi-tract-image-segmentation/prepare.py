"""uw-madison-gi-tract-image-segmentation: MLE-bench's split of Kaggle's MRI cases.

`train.csv` (id `case<c>_day<d>_slice_<s>`, class, segmentation) is split by case (10% of the
distinct cases, random_state 42, go to test); of the remaining cases, days after a case's fourth
(by day number) go to test too. Every file under `train/<case>/<case>_<day>/` is copied to
`public/train/` or `public/test/` by that rule, one at a time (never unpacked beside the raw data).
Public: `train.csv` (id, class, segmentation), `test.csv` (id, class), `sample_submission.csv`
(id, class, predicted "1 1 5 2"). Private: `test.csv` (id, class, predicted, image_width,
image_height; the sizes from the scan file names `slice_<s>_<width>_<height>_<pw>_<ph>.png`).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from bench.preparers import RawFileMissing, RawTree, read_table, split, tree_files

log = logging.getLogger(__name__)


def prepare(raw: Path, public: Path, private: Path) -> None:
    table = read_table(raw, "train.csv")
    parts = table["id"].str.split("_")
    case, day = parts.str[0], parts.str[1]
    _, test_cases = split(case.unique(), test_size=0.1, random_state=42)
    in_test = case.isin(set(test_cases)) | _late_days(case, day, set(test_cases))
    test_days = set(zip(case[in_test], day[in_test]))
    with RawTree(raw, "train") as tree:
        sizes = _copy_cases(tree, case.unique(), set(test_cases), test_days, public)
    train, test = table[~in_test], table[in_test].copy()
    keys = zip(case[in_test], day[in_test], parts[in_test].str[-1])
    found = [sizes.get(k) for k in keys]
    if any(s is None for s in found):
        raise RawFileMissing("a test row has no scan train/<case>/<case>_<day>/scans/slice_<s>_*.png")
    test["image_width"] = [float(w) for w, _ in found]
    test["image_height"] = [float(h) for _, h in found]
    test = test.rename(columns={"segmentation": "predicted"})
    test[["id", "class"]].assign(predicted="1 1 5 2").to_csv(public / "sample_submission.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    test[["id", "class"]].to_csv(public / "test.csv", index=False)


def _late_days(case: pd.Series, day: pd.Series, test_cases: set) -> pd.Series:
    """Rows of train cases on a day after the case's fourth day (by day number)."""
    late = pd.Series(False, index=case.index)
    for name in case[~case.isin(test_cases)].unique():
        days = sorted(set(day[case == name]), key=lambda d: int(d[len("day"):]))
        late |= (case == name) & day.isin(days[4:])
    return late


def _copy_cases(tree: RawTree, cases, test_cases: set, test_days: set, public: Path) -> dict:
    """Copy every case's files to train/ or test/; return {(case, day, slice): (width, height)}."""
    sizes = {}
    for n, name in enumerate(cases, 1):
        for path in tree_files(tree, name):
            day_dir = path.split("/")[1]
            day = day_dir[len(name) + 1:]
            side = "test" if name in test_cases or (name, day) in test_days else "train"
            tree.copy(path, public / side / path)
            stem = Path(path).stem.split("_")
            if "/scans/" in path and len(stem) >= 4:
                key = (name, day, stem[1])
                sizes[key] = None if key in sizes else (int(stem[2]), int(stem[3]))
        log.info("copied case %d of %d", n, len(cases))
    return sizes
