"""tgs-salt-identification-challenge: MLE-bench's split of Kaggle's 4,000 labelled images.

Kaggle's `competition_data.zip` holds `competition_data/train.csv` (id, rle_mask; an empty cell for
an image without salt) and the 101x101 PNGs under `competition_data/train/{images,masks}/`. Its
rows are split 75/25 (random_state 0). Public: `train.csv` and `depths.csv` (train ids only), both
sorted by id, `train/images/`, `train/masks/`, `test/images/`, and `sample_submission.csv` (every
test mask "1 1"). Private: `test.csv` (id, rle_mask), sorted by id. Images are copied one at a
time from the zip (or the extracted folder), never unpacked beside the raw files.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pandas as pd

from bench.graders import read_frame
from bench.preparers import RawFileMissing, RawTree, read_table, split

log = logging.getLogger(__name__)
PROGRESS_EVERY = 1000


def prepare(raw: Path, public: Path, private: Path) -> None:
    with RawTree(raw, "competition_data") as tree:
        labels = read_frame(io.BytesIO(tree.read("train.csv"))).fillna("")
        _, images = tree.children("train/images")
        if sorted(images) != sorted(f"{i}.png" for i in labels["id"]):
            raise RawFileMissing(f"competition_data/train/images holds {len(images)} PNGs, but train.csv "
                                 f"names {len(labels)} images: the raw data is incomplete or mixed up")
        train, test = split(labels, test_size=0.25, random_state=0)
        train.sort_values(by="id").to_csv(public / "train.csv", index=False)
        test.sort_values(by="id").to_csv(private / "test.csv", index=False)
        _copy_images(tree, train["id"], public / "train", masks=True)
        _copy_images(tree, test["id"], public / "test", masks=False)
    sample = test.drop(columns=["rle_mask"]).assign(rle_mask="1 1")
    sample.sort_values(by="id").to_csv(public / "sample_submission.csv", index=False)
    depths = read_table(raw, "depths.csv")
    depths[depths["id"].isin(set(train["id"]))].sort_values(by="id").to_csv(public / "depths.csv", index=False)


def _copy_images(tree: RawTree, ids: pd.Series, dest: Path, masks: bool) -> None:
    for n, image_id in enumerate(ids, 1):
        tree.copy(f"train/images/{image_id}.png", dest / "images" / f"{image_id}.png")
        if masks:
            tree.copy(f"train/masks/{image_id}.png", dest / "masks" / f"{image_id}.png")
        if n % PROGRESS_EVERY == 0:
            log.info("copied %d of %d images into %s", n, len(ids), dest)
    (dest / "images").mkdir(parents=True, exist_ok=True)

