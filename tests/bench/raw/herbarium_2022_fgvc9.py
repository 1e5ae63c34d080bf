"""Synthetic raw files of herbarium-2022-fgvc9 in Kaggle's layout: train_metadata.json (annotations,
categories, genera, images, distances, licenses, institutions), train_images/<cat // 100:03d>/
<cat % 100:02d>/<image_id>.jpg, test_metadata.json (a list of image records),
test_images/<idx // 1000:03d>/test-<idx:06d>.jpg and sample_submission.csv."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from tests.bench.raw import _herbarium
from tests.bench.raw._files import csv_bytes, jpg_bytes

SIZES = [2, 3, 5, 4, 7, 2]
CASES = _herbarium.CASES


def build() -> dict[str, bytes]:
    rng = np.random.default_rng(2022)
    categories = sorted(int(c) for c in rng.choice(15500, len(SIZES), replace=False))
    genera = {c: int(g) for c, g in zip(categories, rng.choice(2500, len(SIZES)))}
    order = [c for c, n in zip(categories, SIZES) for _ in range(n)]
    order = [order[i] for i in rng.permutation(len(order))]
    files, images, annotations, counts = {}, [], [], {}
    for category in order:
        counts[category] = counts.get(category, 0) + 1
        image_id = f"{category:05d}__{counts[category]:03d}"
        name = f"{category // 100:03d}/{category % 100:02d}/{image_id}.jpg"
        files[f"train_images/{name}"] = jpg_bytes(rng, (6, 4))
        images.append({"image_id": image_id, "file_name": name, "license": 0})
        annotations.append({"genus_id": genera[category], "institution_id": int(rng.integers(0, 3)),
                            "category_id": category, "image_id": image_id})
    metadata = {
        "annotations": annotations,
        "categories": [{"category_id": c, "scientificName": f"Abies sp{c} Mill.", "family": "Pinaceae",
                        "genus": "Abies", "species": f"sp{c}", "authors": "Mill."} for c in categories],
        "genera": [{"genus_id": g, "genus": f"G{g}"} for g in sorted(set(genera.values()))],
        "images": images,
        "distances": [{"genus_id_x": 1, "genus_id_y": 2, "distance": 0.25}],
        "licenses": [{"id": 0, "name": "Public Domain Dedication", "url": "http://example.org/"}],
        "institutions": [{"collectionCode": code, "institution_id": i} for i, code in enumerate(["NY", "BRIT", "MO"])],
    }
    files["train_metadata.json"] = json.dumps(metadata).encode()
    test = [{"image_id": str(i), "file_name": f"000/test-{i:06d}.jpg", "license": 0} for i in range(3)]
    files["test_metadata.json"] = json.dumps(test).encode()
    for image in test:
        files[f"test_images/{image['file_name']}"] = jpg_bytes(rng, (6, 4))
    files["sample_submission.csv"] = csv_bytes(pd.DataFrame({"Id": range(3), "Predicted": 42}))
    return files
