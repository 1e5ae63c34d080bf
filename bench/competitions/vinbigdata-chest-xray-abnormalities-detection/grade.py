"""vinbigdata-chest-xray-abnormalities-detection: MLE-bench's COCO AP at IoU 0.4, exactly.

MLE-bench grades with pycocotools' COCOeval (the competition's public notebook metric): one COCO
image per distinct answer image, the answers' boxes as ground truth, the submission's as
detections, IoU threshold 0.4, AP over 101 recall points, areas "all", up to 100 detections per
image; the score is `stats[0]`. Its boxes are handed over as (x_min, y_min, x_max, y_max) where
COCO reads (x, y, width, height), so overlaps are computed on those numbers as if they were sizes
(bench/DEVIATIONS.md K-D4), and a match with annotation 0 (the first answer box) counts as none
(K-D5); ours hands over the same numbers and ids, so the score is the same.
Checks in MLE-bench's order: columns `PredictionString` and `image_id`, the set of image ids (rows
may repeat an image); a PredictionString is groups of 'class confidence x_min y_min x_max y_max'
separated by single spaces.
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pandas as pd
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from bench.errors import InvalidSubmissionError
from bench.graders import require_columns

BOX = ["x_min", "y_min", "x_max", "y_max"]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["PredictionString"])
    require_columns(submission, ["image_id"])
    if set(submission["image_id"]) != set(answers["image_id"]):
        raise InvalidSubmissionError("the submission's image_id values must be the test images' (each at least once)")
    image_ids = answers["image_id"].unique()
    position = {image_id: k for k, image_id in enumerate(image_ids)}
    images = [{"id": k} for k in range(len(image_ids))]
    truth = {"type": "instances", "images": images, "categories": _categories(answers),
             "annotations": _truth_boxes(answers, position)}
    detections = {"images": list(images), "categories": list(truth["categories"]),
                  "annotations": _predicted_boxes(submission, position)}
    with contextlib.redirect_stdout(io.StringIO()):  # pycocotools reports progress on stdout
        evaluation = COCOeval(_coco(truth), _coco(detections), "bbox")
        evaluation.params.imgIds = sorted(range(len(image_ids)))
        evaluation.params.useCats = True
        evaluation.params.iouThrs = np.array([0.4])
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    return float(evaluation.stats[0])


def _coco(dataset: dict) -> COCO:
    coco = COCO()
    coco.dataset = dataset
    coco.createIndex()
    return coco


def _categories(answers: pd.DataFrame) -> list[dict]:
    names = answers["class_name"] if "class_name" in answers.columns else answers["class_id"]
    pairs = pd.DataFrame({"class_name": names, "class_id": answers["class_id"]})
    pairs = pairs.drop_duplicates().sort_values(by="class_id").to_numpy()
    return [{"id": class_id, "name": name, "supercategory": "none"} for name, class_id in pairs]


def _truth_boxes(answers: pd.DataFrame, position: dict) -> list[dict]:
    """The answer rows grouped by image (in order of first appearance), numbered in that order."""
    order = sorted(range(len(answers)), key=lambda r: position[answers["image_id"].iat[r]])
    boxes = []
    for k, r in enumerate(order):
        x1, y1, x2, y2 = (answers[c].iat[r] for c in BOX)
        boxes.append({"id": k, "image_id": position[answers["image_id"].iat[r]],
                      "category_id": answers["class_id"].iat[r], "bbox": np.array([x1, y1, x2, y2]),
                      "segmentation": [], "ignore": 0, "area": (x2 - x1) * (y2 - y1), "iscrowd": 0})
    return boxes


def _predicted_boxes(submission: pd.DataFrame, position: dict) -> list[dict]:
    boxes = []
    for image_id, text in zip(submission["image_id"], submission["PredictionString"]):
        for pred in _parse(text):
            boxes.append({"id": len(boxes), "image_id": position[image_id], "category_id": int(pred[0]),
                          "bbox": np.array([pred[2], pred[3], pred[4], pred[5]]), "segmentation": [],
                          "ignore": 0, "area": (pred[4] - pred[2]) * (pred[5] - pred[3]), "iscrowd": 0,
                          "score": pred[1]})
    return boxes


def _parse(text: object) -> np.ndarray:
    if not isinstance(text, str):
        raise InvalidSubmissionError(f"PredictionString must be text, got {text!r}")
    try:
        values = np.array([float(v) for v in text.split(" ")])
        return values.reshape(-1, 6)
    except ValueError as exc:
        raise InvalidSubmissionError(f"PredictionString must be groups of 6 numbers separated by single "
                                     f"spaces ({exc})") from None
