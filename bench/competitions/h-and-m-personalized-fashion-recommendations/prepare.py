"""h-and-m-personalized-fashion-recommendations: MLE-bench's last-week split of the transactions.

The transactions dated within 7 days of the last date (`t_dat >= max - 7 days`, so 8 dates) are
the test week; the rest is the public `transactions_train.csv`. Private `answers.csv`: one row per
customer who bought in the test week (sorted by id), `prediction` = the article ids bought, in
file order, space-separated, as pandas reads them (integers: `0108775015` becomes `108775015`).
Kaggle's `sample_submission.csv`, `articles.csv`, `customers.csv` and `images/` are copied as they
are. The transactions file is read whole, as MLE-bench reads it (a few GB of memory).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pandas as pd

from bench.preparers import RawFileMissing, locate, read_table

logger = logging.getLogger(__name__)

LOG_EVERY = 10_000


def prepare(raw: Path, public: Path, private: Path) -> None:
    transactions = read_table(raw, "transactions_train.csv")
    dates = pd.to_datetime(transactions["t_dat"])
    in_test = dates >= dates.max() - pd.Timedelta(days=7)
    transactions[~in_test].to_csv(public / "transactions_train.csv", index=False)
    test = transactions[in_test]
    answers = test.groupby("customer_id")["article_id"].apply(lambda bought: " ".join(bought.astype(str)))
    answers.reset_index().rename(columns={"article_id": "prediction"}).to_csv(private / "answers.csv", index=False)
    for name in ("sample_submission.csv", "articles.csv", "customers.csv"):
        shutil.copyfile(locate(raw, name), public / name)
    _copy_images(raw / "images", public / "images")


def _copy_images(source: Path, dest: Path) -> None:
    """Every regular file under `source`, one at a time (links are not followed)."""
    if not source.is_dir():
        raise RawFileMissing(f"the images folder is not in the raw data ({source})")
    done = 0
    for folder, _, names in os.walk(source):
        target = dest / Path(folder).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                shutil.copyfile(path, target / name)
                done += 1
                if done % LOG_EVERY == 0:
                    logger.info("images: %d files copied", done)
