"""Synthetic raw files of inaturalist-2019-fgvc6 in Kaggle's layout: train2019.json, val2019.json
(COCO-style: info, images, annotations, categories, licenses), test2019.json (info, images,
licenses), kaggle_sample_submission.csv, and the photographs as train_val2019.tar.gz (members
train_val2019/<kingdom>/<category>/<hash>.jpg) and test2019.tar.gz (test2019/<hash>.jpg)."""

from __future__ import annotations

import gzip
import io
import json
import tarfile

import numpy as np
import pandas as pd

from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes, jpg_bytes

SIZES = [1, 3, 2, 6, 9, 4, 12]  # a lone photograph, 2-4 (MLE-bench's rule), larger (scikit-learn)
KINGDOMS = ["Plants", "Insects", "Birds", "Fungi", "Reptiles", "Amphibians", "Mammals"]


def targz_bytes(files: dict[str, bytes]) -> bytes:
    """A gzipped tar of `files` with fixed dates, so the same files give the same bytes."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1546300800
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(buffer.getvalue(), mtime=0)


def _records(rng: np.random.Generator, categories: list[int], first_id: int, per_category: list[int]):
    order = [c for c, n in zip(categories, per_category) for _ in range(n)]
    order = [order[i] for i in rng.permutation(len(order))]
    images, annotations, photos = [], [], {}
    for offset, category in enumerate(order):
        image_id = first_id + offset
        name = f"train_val2019/{KINGDOMS[categories.index(category)]}/{category}/{rng.integers(0, 16**8):08x}.jpg"
        photos[name] = jpg_bytes(rng, (5, 5))
        images.append({"license": 0, "file_name": name, "rights_holder": "someone", "height": 800, "width": 600,
                       "id": image_id})
        annotations.append({"id": image_id, "image_id": image_id, "category_id": category})
    return images, annotations, photos


def build() -> dict[str, bytes]:
    rng = np.random.default_rng(2019)
    categories = sorted(int(c) for c in rng.choice(1010, len(SIZES), replace=False))
    info = {"year": 2019, "version": "1.0", "description": "iNaturalist 2019", "date_created": "2019-03-06"}
    licenses = [{"id": 0, "name": "Attribution-NonCommercial License", "url": "http://example.org/"}]
    cats = [{"id": c, "name": f"species {c}", "kingdom": KINGDOMS[i], "phylum": "p", "class": "c", "order": "o",
             "family": "f", "genus": "g"} for i, c in enumerate(categories)]
    train_images, train_ann, photos = _records(rng, categories, 0, SIZES)
    val_images, val_ann, val_photos = _records(rng, categories, 1000, [1] * len(categories))
    photos.update(val_photos)
    test = [{"license": 0, "file_name": f"test2019/{rng.integers(0, 16**8):08x}.jpg", "rights_holder": "x",
             "height": 800, "width": 600, "id": 2000 + i} for i in range(3)]
    files = {
        "train2019.json": json.dumps({"info": info, "images": train_images, "annotations": train_ann,
                                      "categories": cats, "licenses": licenses}).encode(),
        "val2019.json": json.dumps({"info": info, "images": val_images, "annotations": val_ann,
                                    "categories": cats, "licenses": licenses}).encode(),
        "test2019.json": json.dumps({"info": info, "images": test, "licenses": licenses}).encode(),
        "kaggle_sample_submission.csv": csv_bytes(pd.DataFrame({"id": [t["id"] for t in test],
                                                                "predicted": "0 1 2 3 4"})),
        "train_val2019.tar.gz": targz_bytes(photos),
        "test2019.tar.gz": targz_bytes({t["file_name"]: jpg_bytes(rng, (5, 5)) for t in test}),
    }
    return files


def _cells(change) -> callable:
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = table(answers)
        frame["predicted"] = [change(i, cell) for i, cell in enumerate(frame["predicted"])]
        return text_of(frame)
    return case


CASES = {
    "five_guesses_truth_first": _cells(lambda i, cell: f"{cell} 1 2 3 4"),
    "five_guesses_truth_second": _cells(lambda i, cell: f"1009 {cell} 2 3 4"),
    "one_wrong": _cells(lambda i, cell: "1009" if i == 0 else cell),
    "as_float": _cells(lambda i, cell: f"{cell}.0"),
    "one_empty": _cells(lambda i, cell: "" if i == 0 else cell),
    "first_guess_text": _cells(lambda i, cell: f"{cell}.0 1" if i == 0 else cell),
}
