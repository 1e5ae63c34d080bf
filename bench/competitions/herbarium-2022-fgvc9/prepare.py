"""herbarium-2022-fgvc9: MLE-bench's split of `train_metadata.json`, every category 80/20
(scikit-learn, random_state 0; a category needs two sheets).

Train images are renamed so the index gives nothing away: image id `<category:05d>__<n:03d>`
(n counting from 1 within the category), file `<category // 100:03d>/<category % 100:02d>/<id>.jpg`.
The test pairs, flattened in category order and shuffled (seed 0), get ids `0, 1, ...` and files
`<idx // 1000:03d>/test-<idx:06d>.jpg`. Public: `train_metadata.json` (other keys kept),
`train_images/`, `test_metadata.json` (the list of test image records only), `test_images/`,
`sample_submission.csv` (`Id`, `Predicted` 42). Private: `answers.csv` (`Id`, `Predicted`).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from bench.competitions._fgvc import answers_and_sample, by_category, copy_logged, write_json
from bench.preparers import RawTree, read_raw_bytes, split


def prepare(raw: Path, public: Path, private: Path) -> None:
    metadata = json.loads(read_raw_bytes(raw, "train_metadata.json").decode("utf-8"))
    train_annotations, train_images, copies, test = [], [], [], []
    for category, items in by_category(metadata, image_key="image_id").items():
        train_items, test_items = split(items, test_size=0.2, random_state=0)
        test.extend(test_items)
        for number, (annotation, image) in enumerate(train_items, start=1):
            new_id = f"{category:05d}__{number:03d}"
            new_name = f"{category // 100:03d}/{category % 100:02d}/{new_id}.jpg"
            train_annotations.append({**annotation, "image_id": new_id})
            train_images.append({**image, "image_id": new_id, "file_name": new_name})
            copies.append((image["file_name"], public / "train_images" / new_name))
    random.Random(0).shuffle(test)
    test_images = [{**image, "image_id": str(idx), "file_name": f"{idx // 1000:03d}/test-{idx:06d}.jpg"}
                   for idx, (_, image) in enumerate(test)]
    write_json({**metadata, "annotations": train_annotations, "images": train_images}, public / "train_metadata.json")
    write_json(test_images, public / "test_metadata.json")
    answers_and_sample([image["image_id"] for image in test_images], [a["category_id"] for a, _ in test], private,
                       public / "sample_submission.csv", "Id", "Predicted", 42)
    with RawTree(raw, "train_images") as tree:
        copy_logged(tree, copies, "train")
        copy_logged(tree, [(old["file_name"], public / "test_images" / new["file_name"])
                           for (_, old), new in zip(test, test_images)], "test")
