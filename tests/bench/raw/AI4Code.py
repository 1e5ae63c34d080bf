"""Synthetic raw files of AI4Code as Kaggle ships them: train/<id>.json notebooks (code cells in
order, then the markdown cells shuffled), test/<id>.json, train_orders.csv, train_ancestors.csv
(fork families of one to three notebooks) and sample_submission.csv.

MLE-bench holds out exactly 20,000 notebooks and fails on any smaller tree; its preparer is run
here with a tenth of the notebooks held out instead, the rule ours follows for trees of at most
20,000 notebooks (`patch_mle_bench`, DEVIATIONS.md P-A1)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes


def _notebook(rng: np.random.Generator) -> tuple[bytes, str]:
    """(the JSON as Kaggle lists it, the true order)."""
    cells = [f"{v:08x}" for v in rng.choice(16**8, int(rng.integers(2, 7)), replace=False)]
    kinds = {cell: str(rng.choice(["code", "markdown"])) for cell in cells}
    code = [c for c in cells if kinds[c] == "code"]
    markdown = [c for c in cells if kinds[c] == "markdown"]
    listed = code + list(rng.permutation(markdown))
    body = {"cell_type": {c: kinds[c] for c in listed},
            "source": {c: ("import pandas as pd\nx = 1" if kinds[c] == "code" else "# Title, \"quoted\"") for c in listed}}
    return json.dumps(body, indent=1).encode(), " ".join(cells)


def build(n: int = 40) -> dict[str, bytes]:
    rng = np.random.default_rng(27)
    ids = [f"{v:014x}" for v in rng.choice(16**12, n, replace=False)]
    ancestors = [ids[i - i % 3] if i % 5 else ids[i] for i in range(n)]
    files, orders = {}, []
    for notebook in ids:
        files[f"train/{notebook}.json"], order = _notebook(rng)
        orders.append(order)
    test_json, _ = _notebook(rng)
    files["test/0009d135ece78d.json"] = test_json
    parents = [a if a != i else "" for i, a in zip(ids, ancestors)]
    files["train_orders.csv"] = csv_bytes(pd.DataFrame({"id": ids, "cell_order": orders}))
    files["train_ancestors.csv"] = csv_bytes(pd.DataFrame({"id": ids, "ancestor_id": [a[:8] for a in ancestors],
                                                           "parent_id": parents}))
    files["sample_submission.csv"] = b"id,cell_order\n0009d135ece78d,a b c\n"
    return files


def patch_mle_bench(prepare_module) -> None:
    """Hold out a tenth of the notebooks instead of MLE-bench's 20,000 (a tree of 40 notebooks)."""
    original = prepare_module.create_train_test_split
    prepare_module.create_train_test_split = lambda frame, test_size: original(frame, test_size=len(frame) // 10)


def _order(transform):
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = submission(answers, spec)
        frame["cell_order"] = [transform(v) for v in frame["cell_order"]]
        return text_of(frame)

    return case


CASES = {
    "reversed": _order(lambda v: " ".join(v.split()[::-1])),
    "cell_missing": _order(lambda v: " ".join(v.split()[1:])),
    "cell_repeated": _order(lambda v: " ".join([v.split()[0]] + v.split()[:-1])),
    "first_two_swapped": _order(lambda v: " ".join(v.split()[1::-1] + v.split()[2:])),
}
