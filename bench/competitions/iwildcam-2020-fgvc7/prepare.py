"""iwildcam-2020-fgvc7: MLE-bench's split of the camera-trap images by camera location.

The distinct `location`s of the train images (in order of first appearance) are split with
test_size 0.22, random_state 0. Then, as MLE-bench does, while the test images are fewer than
0.22 x (all images + test images) the last train location moves to test, and while they are more,
the last test location moves back. Annotations follow their image. Public:
`iwildcam2020_train_annotations.json` (train annotations, images, all categories, info),
`iwildcam2020_test_information.json` (test images, the categories and info of Kaggle's test file),
`iwildcam2020_megadetector_results.json` (copied), `train/` and `test/` (`<image id>.jpg`), and
the sample: every test annotation with a class drawn by `numpy.random.seed(0); randint(0, 676)`.
Private: `answers.csv` (`Id,Category`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from bench.copying import copy_each
from bench.preparers import FileSource, locate, read_raw_bytes, split

TEST_SHARE = 0.22
TRAIN_JSON, TEST_JSON = "iwildcam2020_train_annotations.json", "iwildcam2020_test_information.json"
DETECTIONS = "iwildcam2020_megadetector_results.json"


def _location_split(images: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    train_locs, test_locs = split(images["location"].unique(), test_size=TEST_SHARE, random_state=0)

    def share(locs: np.ndarray) -> float:
        n_test = int(images["location"].isin(locs).sum())
        return n_test / (len(images) + n_test)

    while share(test_locs) < TEST_SHARE:
        train_locs, test_locs = train_locs[:-1], np.append(test_locs, train_locs[-1])
    while share(test_locs) > TEST_SHARE:
        train_locs, test_locs = np.append(train_locs, test_locs[-1]), test_locs[:-1]
    return train_locs, test_locs


def _dump(data: dict, dest: Path) -> None:
    with dest.open("w") as out:
        json.dump(data, out)


def _copy_raw(raw: Path, name: str, dest: Path) -> None:
    """Copy a raw file (streamed when it is a plain file; read from Kaggle's zip otherwise)."""
    if locate(raw, name).name == name:
        shutil.copyfile(locate(raw, name), dest)
    else:
        dest.write_bytes(read_raw_bytes(raw, name))


def prepare(raw: Path, public: Path, private: Path) -> None:
    train_json = json.loads(read_raw_bytes(raw, TRAIN_JSON))
    test_json = json.loads(read_raw_bytes(raw, TEST_JSON))
    annotations, images = pd.DataFrame(train_json["annotations"]), pd.DataFrame(train_json["images"])
    train_locs, test_locs = _location_split(images)
    train_images, test_images = images[images["location"].isin(train_locs)], images[images["location"].isin(test_locs)]
    train_ids, test_ids = train_images["id"].unique(), test_images["id"].unique()
    test_annotations = annotations[annotations["image_id"].isin(test_ids)]
    answers = test_annotations[["image_id", "category_id"]].rename(columns={"image_id": "Id", "category_id": "Category"})
    np.random.seed(0)  # MLE-bench draws the sample's classes from numpy's global generator
    sample = answers.assign(Category=np.random.randint(0, 676, size=len(answers)))
    answers.to_csv(private / "answers.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    _dump({"annotations": annotations[annotations["image_id"].isin(train_ids)].to_dict(orient="records"),
           "images": train_images.to_dict(orient="records"),
           "categories": pd.DataFrame(train_json["categories"]).to_dict(orient="records"),
           "info": train_json["info"]}, public / TRAIN_JSON)
    _dump({"images": test_images.to_dict(orient="records"),
           "categories": pd.DataFrame(test_json["categories"]).to_dict(orient="records"),
           "info": test_json["info"]}, public / TEST_JSON)
    _copy_raw(raw, DETECTIONS, public / DETECTIONS)
    with FileSource(raw, "train", ".jpg") as photos:
        for ids, folder in ((train_ids, "train"), (test_ids, "test")):
            copy_each(photos.read, ((f"{i}.jpg", public / folder / f"{i}.jpg") for i in ids), f"{folder} images")
