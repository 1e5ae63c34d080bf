"""Synthetic raw trees of the herbarium competitions of 2020 and 2021 (same layout under a root):
`<root>/train/metadata.json` (COCO-style: annotations, categories, images, info, licenses and
regions or institutions), `<root>/train/images/<cat // 100:03d>/<cat % 100:02d>/<id>.jpg`,
`<root>/test/metadata.json`, `<root>/test/images/000/<id>.jpg` and sample_submission.csv."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from tests.bench.golden.cases import table, text_of
from tests.bench.raw._files import csv_bytes, jpg_bytes

# category sizes: a lone sheet, 2-4 sheets (MLE-bench's rule) and larger ones (scikit-learn's split)
SIZES = [1, 2, 3, 4, 5, 6, 8, 7]


def build(root: str, region_key: str, seed: int) -> dict[str, bytes]:
    rng = np.random.default_rng(seed)
    base = f"{root}/" if root else ""
    categories = sorted(int(c) for c in rng.choice(32000, len(SIZES), replace=False))
    order = [c for c, n in zip(categories, SIZES) for _ in range(n)]
    order = [order[i] for i in rng.permutation(len(order))]
    ids = rng.choice(10**7, len(order), replace=False)
    files, images, annotations = {}, [], []
    for image_id, category in zip(ids, order):
        name = f"images/{category // 100:03d}/{category % 100:02d}/{image_id}.jpg"
        files[f"{base}train/{name}"] = jpg_bytes(rng, (6, 4))
        images.append({"file_name": name, "height": 1000, "id": int(image_id), "license": 0, "width": 661})
        annotations.append({"category_id": category, "id": int(image_id), "image_id": int(image_id),
                            f"{region_key[:-1]}_id": int(rng.integers(0, 5))})
    metadata = {
        "annotations": annotations,
        "categories": [{"family": "Orchidaceae", "genus": "Aa", "id": c, "name": f"Aa species-{c} Rchb.f."}
                       for c in categories],
        "images": images,
        "info": {"contributor": "Jardín Botánico", "year": 2020, "version": "1.0"},
        "licenses": [{"id": 0, "name": "Public Domain Dedication", "url": "http://example.org/"}],
        region_key: [{"id": r, "name": f"Herbário {r}"} for r in range(5)],
    }
    files[f"{base}train/metadata.json"] = json.dumps(metadata, ensure_ascii=False).encode("utf-8")
    test_ids = [int(v) for v in rng.choice(10**6, 3, replace=False)]
    test_images = [{"file_name": f"images/000/{i}.jpg", "height": 1000, "id": i, "license": 0, "width": 661}
                   for i in test_ids]
    files[f"{base}test/metadata.json"] = json.dumps({"images": test_images, "info": metadata["info"],
                                                     "licenses": metadata["licenses"]}, ensure_ascii=False).encode()
    for image in test_images:
        files[f"{base}test/{image['file_name']}"] = jpg_bytes(rng, (6, 4))
    files["sample_submission.csv"] = csv_bytes(pd.DataFrame({"Id": test_ids, "Predicted": 0}))
    return files


def _predicted(change):
    def case(answers: str, sample: str, spec: dict) -> str:
        frame = table(answers)
        frame["Predicted"] = [change(i, cell) for i, cell in enumerate(frame["Predicted"])]
        return text_of(frame)
    return case


CASES = {
    "as_float": _predicted(lambda i, cell: f"{cell}.0"),
    "fraction_truncated": _predicted(lambda i, cell: f"{cell}.7"),
    "as_text": _predicted(lambda i, cell: f"c{cell}"),
    "first_row_wrong": _predicted(lambda i, cell: "999999" if i == 0 else cell),
}
