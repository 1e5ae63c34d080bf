"""Synthetic raw files of cdiscount-image-classification-challenge in Kaggle's layout: train.bson
(documents `{_id, imgs: [{picture: <jpeg bytes>}, ...], category_id}`), test.bson (without
`category_id`), train_example.bson (the first documents of train.bson), category_names.csv and
sample_submission.csv. 115 products, so MLE-bench's 100-product train_example is cut short; each
picture is a few bytes (the preparer only copies them)."""

from __future__ import annotations

import struct

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes

CATEGORIES = [1000010653, 1000010667, 1000004079, 1000018290, 1000001859, 1000015309]


def _element(kind: int, name: str, payload: bytes) -> bytes:
    return bytes([kind]) + name.encode() + b"\x00" + payload


def document(items: list[bytes]) -> bytes:
    """A BSON document of already-encoded elements."""
    body = b"".join(items)
    return struct.pack("<i", len(body) + 5) + body + b"\x00"


def int32(name: str, number: int) -> bytes:
    return _element(0x10, name, struct.pack("<i", number))


def binary(name: str, data: bytes) -> bytes:
    return _element(0x05, name, struct.pack("<i", len(data)) + b"\x00" + data)


def array(name: str, docs: list[bytes]) -> bytes:
    return _element(0x04, name, document([_element(0x03, str(i), d) for i, d in enumerate(docs)]))


def _product(rng: np.random.Generator, product_id: int, category: int | None) -> bytes:
    pictures = [document([binary("picture", b"\xff\xd8" + rng.bytes(int(rng.integers(4, 12))) + b"\xff\xd9")])
                for _ in range(int(rng.integers(1, 5)))]
    items = [int32("_id", product_id), array("imgs", pictures)]
    return document(items + ([int32("category_id", category)] if category is not None else []))


def build(n: int = 115) -> dict[str, bytes]:
    rng = np.random.default_rng(2017)
    ids = np.sort(rng.choice(3 * n, n, replace=False)).tolist()
    train = [_product(rng, i, int(rng.choice(CATEGORIES))) for i in ids]
    names = pd.DataFrame({"category_id": CATEGORIES, "category_level1": ["ABONNEMENT / SERVICES"] * 3 + ["AUTO - MOTO"] * 3,
                          "category_level2": ["CARTE PREPAYEE", "CARTE PREPAYEE", "ENTRETIEN", "ACCESSOIRE", "ACCESSOIRE",
                                              "PIECES"],
                          "category_level3": ["CARTE PREPAYEE MULTIMEDIA", "CARTE TELEPHONIQUE", "LESSIVE",
                                              "PORTE-CLES", "BOUCHON", "FILTRE A AIR"]})
    return {"train.bson": b"".join(train), "train_example.bson": b"".join(train[:10]),
            "test.bson": b"".join(_product(rng, i, None) for i in range(10, 13)),
            "category_names.csv": csv_bytes(names),
            "sample_submission.csv": csv_bytes(pd.DataFrame({"_id": range(10, 13), "category_id": CATEGORIES[0]}))}
