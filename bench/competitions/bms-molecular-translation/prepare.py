"""bms-molecular-translation: MLE-bench's split of the labelled molecule images.

`train_labels.csv` is split with test_size 0.2, random_state 0. Each image lives at
`train/<c0>/<c1>/<c2>/<image_id>.png` (the id's first three characters); it goes to the same path
under public `train/` or `test/`. The sample gives every test image the InChI of water;
`extra_approved_InChIs.csv` is copied unchanged.
"""

from __future__ import annotations

from pathlib import Path

from bench.copying import copy_each
from bench.preparers import RawTree, read_raw_bytes, read_table, split

WATER = "InChI=1S/H2O/h1H2"


def _image(image_id: str) -> str:
    return f"{image_id[0]}/{image_id[1]}/{image_id[2]}/{image_id}.png"


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_table(raw, "train_labels.csv")
    train, test = split(labels, test_size=0.2, random_state=0)
    train.to_csv(public / "train_labels.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    with RawTree(raw, "train") as images:
        for part, folder in ((train, "train"), (test, "test")):
            copy_each(images.read, ((_image(i), public / folder / _image(i)) for i in part["image_id"]),
                      f"{folder} images")
    test.assign(InChI=WATER).to_csv(public / "sample_submission.csv", index=False)
    (public / "extra_approved_InChIs.csv").write_bytes(read_raw_bytes(raw, "extra_approved_InChIs.csv"))
