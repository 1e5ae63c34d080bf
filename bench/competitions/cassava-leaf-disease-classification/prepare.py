"""cassava-leaf-disease-classification: MLE-bench's split by TFRecord file.

The training TFRecord files (`train_tfrecords/*.tfrec`, sorted by name) are split with test_size
0.1 (random_state 0); the rows of `train.csv` whose `image_id` is in a held-out file form the test
set (raw row order kept). Public: `train.csv`, `sample_submission.csv` (every label 4),
`label_num_to_disease_map.json`, the JPEGs in `train_images/` and `test_images/`, and the TFRecord
files renamed in split order `ld_trainNN-<count>.tfrec` / `ld_testNN-<count>.tfrec`. Private:
`test.csv` (`image_id,label`).

Deviation P-B1 (bench/DEVIATIONS.md): MLE-bench copies the held-out files as they are, and their
records carry each test image's `target`, the answers; here every test record is written without
its `target` feature (the image and its name unchanged).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from bench.preparers import FileSource, RawFileMissing, read_table, split, write_files
from bench.tfrecord import copy_without_features, string_ids

logger = logging.getLogger(__name__)


def prepare(raw: Path, public: Path, private: Path) -> None:
    folder = raw / "train_tfrecords"
    if not folder.is_dir():
        raise RawFileMissing(f"train_tfrecords/ (a folder of .tfrec files) is not in the raw data ({raw})")
    records = [p for p in sorted(folder.iterdir()) if p.is_file() and p.suffix == ".tfrec"]
    train_records, test_records = split(records, test_size=0.1, random_state=0)
    test_ids = {image for path in test_records for image in string_ids(path, "image_name")}
    table = read_table(raw, "train.csv")
    in_test = table["image_id"].isin(test_ids)
    train, test = table[~in_test], table[in_test]
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.assign(label=4).to_csv(public / "sample_submission.csv", index=False)
    for kind, chosen in (("train", train_records), ("test", test_records)):
        dest = public / f"{kind}_tfrecords"
        dest.mkdir()
        for number, path in enumerate(chosen):
            out_path = dest / f"ld_{kind}{number:02d}-{path.stem.split('-')[1]}.tfrec"
            if kind == "test":
                logger.info("cassava: writing %s without the labels", out_path.name)
                copy_without_features(path, out_path, ("target",))
            else:
                shutil.copyfile(path, out_path)
    with FileSource(raw, "train_images") as images:
        logger.info("cassava: copying %d train and %d test images", len(train), len(test))
        write_files(images, train["image_id"], public / "train_images")
        write_files(images, test["image_id"], public / "test_images")
    shutil.copyfile(raw / "label_num_to_disease_map.json", public / "label_num_to_disease_map.json")
