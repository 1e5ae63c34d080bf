"""Synthetic raw files of iwildcam-2020-fgvc7: the COCO-style iwildcam2020_train_annotations.json
and iwildcam2020_test_information.json, iwildcam2020_megadetector_results.json,
sample_submission.csv, and the images train/<id>.jpg and test/<id>.jpg."""

from __future__ import annotations

import json
import uuid

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes

CATEGORIES = [{"id": 0, "name": "empty", "count": 9}, {"id": 2, "name": "tayassu pecari", "count": 5},
              {"id": 3, "name": "dasyprocta punctata", "count": 4}, {"id": 372, "name": "cuniculus paca", "count": 3},
              {"id": 675, "name": "panthera onca", "count": 1}]
INFO = {"version": "1.0", "description": "camera trap images", "year": 2020, "contributor": "synthetic"}


def _images(rng: np.random.Generator, n: int, locations: int) -> list[dict]:
    out = []
    for k in range(n):
        image_id = str(uuid.UUID(int=int(rng.integers(0, 2**62)) << 64 | int(rng.integers(0, 2**62))))
        out.append({"seq_num_frames": 3, "location": int(rng.integers(0, locations)) * 11 + 2,
                    "datetime": f"2013-0{1 + k % 9}-1{k % 10} 0{k % 10}:2{k % 6}:00.000", "id": image_id,
                    "frame_num": int(rng.integers(1, 4)), "seq_id": f"seq{int(rng.integers(0, 99)):02d}",
                    "width": 2048, "height": 1536, "file_name": f"{image_id}.jpg"})
    return out


def build(n: int = 40, n_test: int = 3) -> dict[str, bytes]:
    rng = np.random.default_rng(45)
    images, test_images = _images(rng, n, 10), _images(rng, n_test, 2)
    classes = [c["id"] for c in CATEGORIES]
    annotations = [{"id": f"a{k:03d}", "image_id": im["id"], "category_id": classes[int(rng.integers(0, len(classes)))]}
                   for k, im in enumerate(images)]
    detections = {"info": {"detector": "megadetector_v3"}, "detection_categories": {"1": "animal", "2": "person"},
                  "images": [{"id": im["id"], "max_detection_conf": 0.9,
                              "detections": [{"category": "1", "conf": 0.9, "bbox": [0.1, 0.2, 0.3, 0.25]}]}
                             for im in images + test_images]}
    files = {"iwildcam2020_train_annotations.json": json.dumps(
                 {"annotations": annotations, "images": images, "categories": CATEGORIES, "info": INFO}).encode(),
             "iwildcam2020_test_information.json": json.dumps(
                 {"images": test_images, "categories": CATEGORIES, "info": INFO}).encode(),
             "iwildcam2020_megadetector_results.json": json.dumps(detections).encode(),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"Id": [im["id"] for im in test_images], "Category": 0}))}
    for im in images:
        files[f"train/{im['id']}.jpg"] = jpg_bytes(rng, (4, 4))
    for im in test_images:
        files[f"test/{im['id']}.jpg"] = jpg_bytes(rng, (4, 4))
    return files
