"""AI4Code: MLE-bench's hold-out of whole fork families of Kaggle's training notebooks.

`train_ancestors.csv` is shuffled (`sample(frac=1, random_state=0)`); its rows are grouped by
`ancestor_id` in order of first appearance, and each group goes whole to the test part while the
part stays within 20,000 notebooks, otherwise to train; the test part must come out at exactly
20,000. A tree of at most 20,000 notebooks (MLE-bench's preparer fails on it) holds out a tenth
instead (DEVIATIONS.md P-A1).

Public: `train/<id>.json` and `test/<id>.json` (copied one at a time as they are),
`train_orders.csv` and `train_ancestors.csv` kept to the train notebooks, and a sample submission
giving each test notebook's cells in the order its JSON lists them. Private: `test_orders.csv`.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from bench.preparers import RawTree, read_table

TEST_NOTEBOOKS = 20_000
log = logging.getLogger(__name__)


def prepare(raw: Path, public: Path, private: Path) -> None:
    ancestors = read_table(raw, "train_ancestors.csv").sample(frac=1, random_state=0).reset_index(drop=True)
    test_size = TEST_NOTEBOOKS if len(ancestors) > TEST_NOTEBOOKS else len(ancestors) // 10
    train_ids, test_ids = split_by_ancestor(ancestors, test_size)
    with RawTree(raw, "train") as notebooks:
        for side, ids in (("train", train_ids), ("test", test_ids)):
            for done, notebook in enumerate(ids, 1):
                notebooks.copy(f"{notebook}.json", public / side / f"{notebook}.json")
                if done % 10_000 == 0:
                    log.info("AI4Code: %d of %d %s notebooks copied", done, len(ids), side)
    orders = read_table(raw, "train_orders.csv")
    orders[orders["id"].isin(train_ids)].to_csv(public / "train_orders.csv", index=False)
    test_orders = orders[orders["id"].isin(test_ids)]
    test_orders.to_csv(private / "test_orders.csv", index=False)
    ancestors[~ancestors["id"].isin(test_ids)].to_csv(public / "train_ancestors.csv", index=False)
    sample = [{"id": notebook, "cell_order": " ".join(_listed_cells(public / "test" / f"{notebook}.json"))}
              for notebook in test_orders["id"]]
    pd.DataFrame(sample, columns=["id", "cell_order"]).to_csv(public / "sample_submission.csv", index=False)


def split_by_ancestor(ancestors: pd.DataFrame, test_size: int) -> tuple[list[str], list[str]]:
    """(train ids, test ids): whole ancestor groups, greedily, into a test part of `test_size`."""
    groups: dict[object, list[str]] = {}
    for notebook, ancestor in zip(ancestors["id"], ancestors["ancestor_id"]):
        groups.setdefault(ancestor, []).append(notebook)
    train_ids: list[str] = []
    test_ids: list[str] = []
    for members in groups.values():
        (test_ids if len(test_ids) + len(members) <= test_size else train_ids).extend(members)
    if len(test_ids) != test_size:
        raise ValueError(f"the fork families do not fill a test part of {test_size} notebooks exactly "
                         f"({len(test_ids)}); is train_ancestors.csv complete?")
    return train_ids, test_ids


def _listed_cells(path: Path) -> list[str]:
    return list(json.loads(path.read_text(encoding="utf-8"))["cell_type"].keys())
