"""Synthetic raw files of cassava-leaf-disease-classification in Kaggle's layout: train.csv
(image_id, label), label_num_to_disease_map.json, sample_submission.csv, train_images/*.jpg,
test_images/*.jpg, and TFRecord files train_tfrecords/ld_trainNN-<count>.tfrec and
test_tfrecords/ld_test00-1.tfrec (each record an Example: image, image_name, target)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes
from tests.bench.raw._tfrecord import example, tfrecord

DISEASES = {"0": "Cassava Bacterial Blight (CBB)", "1": "Cassava Brown Streak Disease (CBSD)",
            "2": "Cassava Green Mottle (CGM)", "3": "Cassava Mosaic Disease (CMD)", "4": "Healthy"}
RECORDS = [f"ld_train{i:02d}-{1338 if i < 15 else 1327}.tfrec" for i in range(16)]


def build(per_record: int = 3) -> dict[str, bytes]:
    rng = np.random.default_rng(2021)
    n = per_record * len(RECORDS)
    names = [f"{v}.jpg" for v in rng.choice(10**9, n, replace=False) + 10**9]
    labels = rng.choice(5, n, p=[0.05, 0.1, 0.1, 0.6, 0.15])
    files = {"train.csv": csv_bytes(pd.DataFrame({"image_id": names, "label": labels})),
             "label_num_to_disease_map.json": json.dumps(DISEASES).encode()}
    order = rng.permutation(n)
    for i, record in enumerate(RECORDS):
        rows = order[i * per_record:(i + 1) * per_record]
        jpgs = {int(r): jpg_bytes(rng, (6, 6)) for r in rows}
        files[f"train_tfrecords/{record}"] = tfrecord(
            [example({"image": jpgs[r], "image_name": names[r].encode(), "target": int(labels[r])}) for r in jpgs])
        files.update({f"train_images/{names[r]}": jpg for r, jpg in jpgs.items()})
    test_jpg = jpg_bytes(rng, (6, 6))
    files["test_images/2216849948.jpg"] = test_jpg
    files["test_tfrecords/ld_test00-1.tfrec"] = tfrecord([example({"image": test_jpg, "image_name": b"2216849948.jpg"})])
    files["sample_submission.csv"] = b"image_id,label\n2216849948.jpg,4\n"
    return files


# MLE-bench publishes the held-out TFRecord files with their labels; ours drop them (P-B1)
PREPARED_DEVIATIONS = {"public/test_tfrecords/ld_test00-1338.tfrec": "P-B1",
                       "public/test_tfrecords/ld_test01-1338.tfrec": "P-B1"}
