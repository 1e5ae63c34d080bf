"""dogs-vs-cats-redux-kernels-edition: MLE-bench's split of the labelled photographs.

The photographs of raw `train.zip` (`cat.<n>.jpg`, `dog.<n>.jpg`), sorted by name, are split 90/10
(random_state 0). Public `train/` holds the train part renamed `cat.<k>.jpg` / `dog.<k>.jpg`
(k counting from 0 per animal, in split order); public `test/` the test part renamed `<i>.jpg`
(i from 1); `train.zip` and `test.zip` hold the same files (MLE-bench keeps both forms).
Answers: `id` = i, `label` = 1 for a dog, 0 for a cat.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from bench.preparers import FileSource, split


def prepare(raw: Path, public: Path, private: Path) -> None:
    photos = FileSource(raw, "train", ".jpg")
    try:
        train_names, test_names = split(photos.names(), test_size=0.1, random_state=0)
        counters = {"cat": 0, "dog": 0}
        renamed = {}
        for name in train_names:
            animal = "cat" if "cat" in name else "dog"
            renamed[f"{animal}.{counters[animal]}.jpg"] = name
            counters[animal] += 1
        _write_both(photos, renamed, public / "train")
        _write_both(photos, {f"{i}.jpg": name for i, name in enumerate(test_names, start=1)}, public / "test")
    finally:
        photos.close()
    ids = list(range(1, len(test_names) + 1))
    pd.DataFrame({"id": ids, "label": [int("dog" in name) for name in test_names]}).to_csv(
        private / "answers.csv", index=False)
    pd.DataFrame({"id": ids, "label": [0.5] * len(ids)}).to_csv(public / "sample_submission.csv", index=False)


def _write_both(photos: FileSource, renamed: dict[str, str], folder: Path) -> None:
    """{new name: raw name} written into `folder` and into `folder`.zip (flat)."""
    folder.mkdir()
    with zipfile.ZipFile(folder.with_suffix(".zip"), "w", zipfile.ZIP_DEFLATED) as out:
        for new, name in renamed.items():
            data = photos.read(name)
            (folder / new).write_bytes(data)
            out.writestr(new, data)
