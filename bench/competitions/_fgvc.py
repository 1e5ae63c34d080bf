"""Shared steps of MLE-bench's preparers for the FGVC species competitions (herbarium 2020 and
2021, iNaturalist 2019): Kaggle ships COCO-style metadata (`images` and `annotations`, one of each
per photograph, in the same order), and MLE-bench splits each category on its own.

The metadata file is read whole, as MLE-bench does (its rewritten copies must be byte-identical,
keys sorted); the photographs are copied one at a time, never all held in memory.
"""

from __future__ import annotations

import json
import logging
import random
from pathlib import Path
from typing import Any

import pandas as pd

from bench.preparers import RawTree, split

logger = logging.getLogger(__name__)

Item = tuple[dict, dict]  # (annotation, image) of one photograph
LOG_EVERY = 10000


def by_category(metadata: dict, image_key: str = "id") -> dict[Any, list[Item]]:
    """The (annotation, image) pairs grouped by category, categories in order of first appearance."""
    groups: dict[Any, list[Item]] = {}
    for annotation, image in zip(metadata["annotations"], metadata["images"]):
        if annotation["image_id"] != image[image_key]:
            raise ValueError(f"annotation of image {annotation['image_id']} is paired with image {image[image_key]}: "
                             "the metadata's annotations and images are not in the same order")
        groups.setdefault(annotation["category_id"], []).append((annotation, image))
    return groups


def split_category(items: list[Item], test_size: float) -> tuple[list[Item], list[Item]]:
    """MLE-bench's rule: a lone photograph goes to train; 2-4 photographs give their last
    `max(1, int(n * test_size))` to test; larger categories are split by scikit-learn (random_state 0)."""
    if len(items) == 1:
        return items, []
    if len(items) < 5:
        held = max(1, int(len(items) * test_size))
        return items[:-held], items[-held:]
    return split(items, test_size=test_size, random_state=0)


def split_all(groups: dict[Any, list[Item]], test_size: float) -> tuple[dict[Any, list[Item]], list[Item]]:
    """(train pairs by category, test pairs flattened in category order and shuffled with seed 0)."""
    train, test = {}, []
    for category, items in groups.items():
        train[category], held = split_category(items, test_size)
        test.extend(held)
    random.Random(0).shuffle(test)
    return train, test


def write_json(value: Any, dest: Path) -> None:
    """As MLE-bench writes metadata: 4-space indent, keys sorted, non-ASCII escaped."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("w", encoding="utf-8") as fh:
        json.dump(value, fh, indent=4, sort_keys=True)


def copy_logged(tree: RawTree, pairs: list[tuple[str, Path]], what: str) -> None:
    """Copy each (relative path in `tree`, destination) in turn, with a log line every 10,000."""
    for done, (rel, dest) in enumerate(pairs, start=1):
        tree.copy(rel, dest)
        if done % LOG_EVERY == 0:
            logger.info("%s: %d of %d images copied", what, done, len(pairs))


def answers_and_sample(ids: list[str], categories: list[Any], private: Path, sample: Path, id_column: str,
                       target_column: str, sample_value: Any) -> None:
    """`private/answers.csv` (id, category) and the sample submission (id, a constant)."""
    pd.DataFrame({id_column: ids, target_column: categories}).to_csv(private / "answers.csv", index=False)
    pd.DataFrame({id_column: ids, target_column: sample_value}).to_csv(sample, index=False)


def prepare_herbarium(raw: Path, public: Path, private: Path, *, root: str, encoding: str, region_key: str) -> None:
    """Herbarium 2020 (`root` "nybg2020", `region_key` "regions") and 2021 (`root` "", key
    "institutions"): `<root>/train/metadata.json` split 80/20 per category.

    Public: `<root>/train/metadata.json` (the train pairs, category by category, other keys kept),
    the train photographs at their original paths, `<root>/test/metadata.json` (`images`, `info`,
    `licenses`; test images renumbered 0, 1, ... after the shuffle, files
    `images/<idx // 1000:03d>/<idx>.jpg`), those photographs, and `sample_submission.csv` (`Id`,
    `Predicted` 0). Private: `answers.csv` (`Id`, `Predicted` = category id).
    """
    base = f"{root}/" if root else ""
    with RawTree(raw, f"{base}train") as tree:
        metadata = json.loads(tree.read("metadata.json").decode(encoding))
        train, test = split_all(by_category(metadata), test_size=0.2)
        out_train, out_test = public / f"{base}train", public / f"{base}test"
        kept = {key: value for key, value in metadata.items() if key not in ("annotations", "images")}
        pairs = [pair for items in train.values() for pair in items]
        write_json({**kept, "annotations": [a for a, _ in pairs], "images": [i for _, i in pairs]},
                   out_train / "metadata.json")
        copy_logged(tree, [(image["file_name"], out_train / image["file_name"]) for _, image in pairs], "train")
        images = [{**image, "id": str(idx), "file_name": f"images/{idx // 1000:03d}/{idx}.jpg"}
                  for idx, (_, image) in enumerate(test)]
        public_test = {key: value for key, value in kept.items() if key not in ("categories", region_key)}
        write_json({**public_test, "images": images}, out_test / "metadata.json")
        copy_logged(tree, [(old["file_name"], out_test / new["file_name"]) for (_, old), new in zip(test, images)], "test")
    answers_and_sample([image["id"] for image in images], [a["category_id"] for a, _ in test], private,
                       public / "sample_submission.csv", "Id", "Predicted", 0)
