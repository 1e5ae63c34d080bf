"""vesuvius-challenge-ink-detection: MLE-bench holds out the third training fragment.

Kaggle's `train/<n>/` (n = 1, 2, 3) each hold `surface_volume/NN.tif` (the scanned layers),
`mask.png`, `ir.png`, `inklabels.png` and `inklabels_rle.csv` (`Id,Predicted`). Public:
`train/1/`, `train/2/` as they are; `test/a/`: fragment 3 without `inklabels.png`,
`inklabels_rle.csv` and `ir.png`; `sample_submission.csv` (`a,1 1 5 1`). Private:
`inklabels_rle.csv` (fragment 3's row with Id `a` and the image's `width`, `height`) and
`gold_submission.csv` (`Id,Predicted`). Kaggle's own test fragments are not used. Files are copied
one at a time from the folder or zip, never unpacked beside the raw data.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pandas as pd
from PIL import Image

from bench.graders import read_frame
from bench.preparers import RawTree, tree_files

log = logging.getLogger(__name__)
HIDDEN = {"inklabels.png", "inklabels_rle.csv", "ir.png"}
ALLOWED_SUFFIXES = {".png", ".csv", ".tif"}


def prepare(raw: Path, public: Path, private: Path) -> None:
    with RawTree(raw, "train") as tree:
        for fragment in ("1", "2"):
            _copy_tree(tree, fragment, public / "train" / fragment)
        labels = read_frame(io.BytesIO(tree.read("3/inklabels_rle.csv")))
        if len(labels) != 1:
            raise ValueError(f"train/3/inklabels_rle.csv should hold one row, it holds {len(labels)}")
        with Image.open(io.BytesIO(tree.read("3/ir.png"))) as image:
            width, height = image.size
        _copy_tree(tree, "3", public / "test" / "a", skip=HIDDEN)
    answers = labels.assign(width=width, height=height, Id="a")
    answers.to_csv(private / "inklabels_rle.csv", index=False)
    answers.drop(columns=["width", "height"]).to_csv(private / "gold_submission.csv", index=False)
    pd.DataFrame({"Id": ["a"], "Predicted": ["1 1 5 1"]}).to_csv(public / "sample_submission.csv", index=False)


def _copy_tree(tree: RawTree, rel: str, dest: Path, skip: set[str] = frozenset()) -> None:
    """Every file under `rel` (recursively) into `dest`, except the names in `skip`."""
    for n, path in enumerate(tree_files(tree, rel), 1):
        name = path.rsplit("/", 1)[-1]
        if name in skip:
            continue
        if skip and Path(name).suffix not in ALLOWED_SUFFIXES:
            raise ValueError(f"train/{path}: a held-out fragment may hold only .png, .csv and .tif files")
        tree.copy(path, dest / path[len(rel) + 1:])
        if n % 20 == 0:
            log.info("copied %d files of train/%s", n, rel)

