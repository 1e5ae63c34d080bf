"""cdiscount-image-classification-challenge: MLE-bench's split of `train.bson`.

The products of `train.bson` (`_id`, `category_id`, `imgs`: one to four pictures) are listed in
file order and split 90/10 (random_state 0); the test part is sorted by `_id`. Public:
`train.bson` (the train products, file order), `test.bson` (the test products without
`category_id`, file order), `train_example.bson` (the first 100 products of the new `train.bson`),
`category_names.csv` (copied), `sample_submission.csv` (`_id,category_id`, every category
1000010653). Private: `answers.csv` (`_id,category_id`, sorted by `_id`).

The BSON file (58 GB at Kaggle) is read three times, document by document; only the ids and
categories are held in memory.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pandas as pd

from bench.bsonfile import documents, fields, read_fields, without
from bench.preparers import RawFileMissing, locate, split

logger = logging.getLogger(__name__)

SAMPLE_CATEGORY = 1000010653
EXAMPLE_ROWS = 100


def prepare(raw: Path, public: Path, private: Path) -> None:
    source = raw / "train.bson"
    if not source.is_file():
        raise RawFileMissing(f"train.bson is not in the raw data ({raw})")
    products = pd.DataFrame(list(read_fields(source, ("_id", "category_id"))), columns=["_id", "category_id"])
    train, answers = split(products, test_size=0.1, random_state=0)
    answers = answers.sort_values(by="_id")
    answers.to_csv(private / "answers.csv", index=False)
    answers[["_id"]].assign(category_id=SAMPLE_CATEGORY).to_csv(public / "sample_submission.csv", index=False)
    train_ids, test_ids = set(train["_id"]), set(answers["_id"])
    _filter(source, public / "train.bson", train_ids)
    _filter(source, public / "test.bson", test_ids, drop="category_id")
    _filter(source, public / "train_example.bson", train_ids, limit=EXAMPLE_ROWS)
    shutil.copyfile(locate(raw, "category_names.csv"), public / "category_names.csv")


def _filter(source: Path, dest: Path, ids: set, drop: str | None = None, limit: int | None = None) -> None:
    """Copy the documents whose `_id` is in `ids`, in file order (without field `drop`; at most `limit`)."""
    written = 0
    with source.open("rb") as stream, dest.open("wb") as out:
        for seen, document in enumerate(documents(stream, str(source)), start=1):
            if limit is not None and written >= limit:
                break
            if fields(document, ("_id",))["_id"] in ids:
                out.write(without(document, drop) if drop else document)
                written += 1
            if seen % 1_000_000 == 0:
                logger.info("cdiscount: %d products read for %s", seen, dest.name)
