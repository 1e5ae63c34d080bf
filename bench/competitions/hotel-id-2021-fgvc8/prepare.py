"""hotel-id-2021-fgvc8: MLE-bench's split of the labelled hotel photographs.

`train.csv` (`image,chain,hotel_id,timestamp`) without the image listed twice
(`ce27d36c9147cc19.jpg`, which could land on both sides) is split 90/10 (random_state 0). Public:
`train.csv` (the train rows), `train_images/<chain>/<image>` (their photographs),
`test_images/<image>` (the test photographs, no chain folder), `sample_submission.csv`
(`image,hotel_id`, every row the same five hotels). Private: `test.csv` (the test rows, all columns).
"""

from __future__ import annotations

import logging
from pathlib import Path

from bench.preparers import RawTree, read_table, split

logger = logging.getLogger(__name__)

TWICE_LISTED = "ce27d36c9147cc19.jpg"
SAMPLE_HOTELS = "36363 53586 18807 64314 60181"


def prepare(raw: Path, public: Path, private: Path) -> None:
    table = read_table(raw, "train.csv")
    table = table[table["image"] != TWICE_LISTED]
    train, test = split(table, test_size=0.1, random_state=0)
    train.to_csv(public / "train.csv", index=False)
    test[["image", "hotel_id"]].assign(hotel_id=SAMPLE_HOTELS).to_csv(public / "sample_submission.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    (public / "test_images").mkdir()
    with RawTree(raw, "train_images") as images:
        _copy(images, train, public / "train_images", keep_chain=True)
        _copy(images, test, public / "test_images", keep_chain=False)


def _copy(images: RawTree, rows, dest: Path, keep_chain: bool) -> None:
    for done, (image, chain) in enumerate(zip(rows["image"], rows["chain"]), start=1):
        images.copy(f"{chain}/{image}", dest / str(chain) / image if keep_chain else dest / image)
        if done % 10000 == 0:
            logger.info("hotel-id: %d of %d images copied into %s", done, len(rows), dest.name)
