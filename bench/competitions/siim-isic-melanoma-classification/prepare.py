"""siim-isic-melanoma-classification: MLE-bench's split by TFRecord file.

Kaggle's test labels are not public. MLE-bench makes the images of two of the sixteen training
TFRecord files (`train00-2071.tfrec`, `train06-2071.tfrec`, about a tenth of the data) the test
set: the rows of `train.csv` whose `image_name` is in them (raw row order kept). Public:
`train.csv`, `test.csv` (the five metadata columns), `sample_submission.csv` (every target 0),
the DICOMs in `train/` and `test/`, the JPEGs in `jpeg/train/` and `jpeg/test/`, and the training
TFRecord files renamed in file-name order: the two test files `test00-*`, `test01-*`, the others
`train00-*` .. `train13-*`. Private: `test.csv` (`image_name,target`).

One deliberate difference (bench/DEVIATIONS.md P-B2): MLE-bench copies the two held-out TFRecord files
as they are, so every test record still carries its `target` (and its `diagnosis`, melanoma or not):
the answers. Here they are written without those features; the image and metadata bytes are unchanged.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.preparers import FileSource, RawFileMissing, read_table, write_files
from bench.tfrecord import copy_without_features, string_ids

TEST_RECORDS = ("train00-2071.tfrec", "train06-2071.tfrec")
LABEL_FEATURES = ("target", "diagnosis", "benign_malignant")  # each says whether the image is a melanoma
TEST_COLUMNS = ["image_name", "patient_id", "sex", "age_approx", "anatom_site_general_challenge"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    table = read_table(raw, "train.csv")
    test_ids: set[str] = set()
    for name in TEST_RECORDS:
        path = raw / "tfrecords" / name
        if not path.is_file():
            raise RawFileMissing(f"tfrecords/{name} is not in the raw data ({raw})")
        test_ids.update(string_ids(path, "image_name"))
    in_test = table["image_name"].isin(test_ids)
    train, test = table[~in_test], table[in_test]
    train.to_csv(public / "train.csv", index=False)
    test[TEST_COLUMNS].to_csv(public / "test.csv", index=False)
    answers = test[["image_name", "target"]]
    answers.assign(target=0).to_csv(public / "sample_submission.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)
    for source, dest, suffix in (("train", "", ".dcm"), ("jpeg/train", "jpeg/", ".jpg")):
        _copy_images(FileSource(raw, source), public, dest, suffix, train["image_name"], test["image_name"])
    _copy_records(raw / "tfrecords", public / "tfrecords")


def _copy_images(files: FileSource, public: Path, dest: str, suffix: str, train_names, test_names) -> None:
    try:
        write_files(files, [f"{n}{suffix}" for n in train_names], public / f"{dest}train")
        write_files(files, [f"{n}{suffix}" for n in test_names], public / f"{dest}test")
    finally:
        files.close()


def _copy_records(source: Path, dest: Path) -> None:
    """The training TFRecord files, the test ones renumbered `testNN-<count>` (without their labels), the
    rest `trainNN-<count>`."""
    dest.mkdir(parents=True, exist_ok=True)
    numbers = {"test": 0, "train": 0}
    for path in sorted(source.glob("train*.tfrec")):
        count = path.stem.split("-")[1]
        kind = "test" if path.name in TEST_RECORDS else "train"
        out = dest / f"{kind}{numbers[kind]:02d}-{count}.tfrec"
        if kind == "test":
            copy_without_features(path, out, LABEL_FEATURES)
        else:
            shutil.copyfile(path, out)
        numbers[kind] += 1
