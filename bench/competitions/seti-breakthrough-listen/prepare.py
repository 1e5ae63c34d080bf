"""seti-breakthrough-listen: MLE-bench's split of the labelled cadences.

`train_labels.csv` is split with test_size 0.1, random_state 0 (each part in the split's order).
Each cadence `train/<first char of id>/<id>.npy` goes to public `train/` or `test/` under the same
sub-folder; the folder `old_leaky_data/` (the first release of the data) is copied as it is. The
sample gives every test cadence 0.5.
"""

from __future__ import annotations

from pathlib import Path

from bench.copying import copy_each, walk
from bench.preparers import RawTree, read_table, split


def _cadence(file_id: str) -> str:
    return f"{file_id[0]}/{file_id}.npy"


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_table(raw, "train_labels.csv")
    train, test = split(labels, test_size=0.1, random_state=0)
    train.to_csv(public / "train_labels.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    with RawTree(raw, "old_leaky_data") as leaky:
        copy_each(leaky.read, ((rel, public / "old_leaky_data" / rel) for rel in walk(leaky.children)),
                  "old_leaky_data")
    with RawTree(raw, "train") as cadences:
        for part, folder in ((train, "train"), (test, "test")):
            copy_each(cadences.read, ((_cadence(i), public / folder / _cadence(i)) for i in part["id"]),
                      f"{folder} cadences")
    test.assign(target=0.5).to_csv(public / "sample_submission.csv", index=False)
