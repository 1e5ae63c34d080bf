"""nomad2018-predict-transparent-conductors: MLE-bench's 90/10 split, each part renumbered from 1.

`train.csv` (from `train.csv.zip`) is split (random_state 0); ids are renumbered 1, 2, ... in split
order within each part. The geometry file `train/<id>/geometry.xyz` of each material (from raw
`train.zip`) goes to public `train/<new id>/` or `test/<new id>/`. The sample submission predicts
the training means 0.1779 and 1.8892 for every test material.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.preparers import RawTree, read_table, split

TARGETS = ["formation_energy_ev_natom", "bandgap_energy_ev"]


def _renumber(part: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, int]]:
    new_ids = {old: new for new, old in enumerate(part["id"], start=1)}
    return part.assign(id=part["id"].map(new_ids)), new_ids


def prepare(raw: Path, public: Path, private: Path) -> None:
    train, test = split(read_table(raw, "train.csv"), test_size=0.1, random_state=0)
    (train, train_ids), (test, test_ids) = _renumber(train), _renumber(test)
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=TARGETS).to_csv(public / "test.csv", index=False)
    with RawTree(raw, "train") as geometries:
        for side, ids in (("train", train_ids), ("test", test_ids)):
            for old, new in ids.items():
                geometries.copy(f"{old}/geometry.xyz", public / side / str(new) / "geometry.xyz")
    pd.DataFrame({"id": test["id"], TARGETS[0]: 0.1779, TARGETS[1]: 1.8892}).to_csv(
        public / "sample_submission.csv", index=False)
