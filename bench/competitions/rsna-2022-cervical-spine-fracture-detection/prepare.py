"""rsna-2022-cervical-spine-fracture-detection: MLE-bench's split, drawn with `random.Random(0)`.

MLE-bench keeps only a tenth of the studies (`round(0.1 * n)`) as the new training set and makes
the other nine tenths the test set, preserving the shares of studies with bounding boxes, with
segmentations and with both. The draws, in this order, on lists in these orders: a tenth of the
studies with both (bounding-box study ids sorted, kept when also segmented); a tenth of the
segmented studies minus that, from the segmented ids (sorted stems of `segmentations/*.nii`) not
in the overlap; a tenth of the boxed studies minus the overlap, from the boxed ids not in the
overlap; then the rest of the training set from `train.csv`'s ids (raw order) not yet drawn.

Public: `train.csv`, `train_bounding_boxes.csv` (the rows of the drawn boxed studies only),
`test.csv` (`StudyInstanceUID, prediction_type, row_id`), `sample_submission.csv`
(`row_id,fractured` with 0.5), `segmentations/<uid>.nii` of the drawn segmented studies, and each
study's slices `<uid>/<n>.dcm` copied file by file into `train_images/` or `test_images/`.
Private: `answers.csv`: the test studies melted to one row per study and target
(`patient_overall`, `C1` .. `C7`, column by column), `row_id` = `<uid>_<target>`.
"""

from __future__ import annotations

import logging
import random
from pathlib import Path

from bench.preparers import FileSource, RawTree, copy_folder, read_table, write_files

logger = logging.getLogger(__name__)

RATIO = 0.1


def prepare(raw: Path, public: Path, private: Path) -> None:
    table = read_table(raw, "train.csv")
    boxes = read_table(raw, "train_bounding_boxes.csv")
    with RawTree(raw, "segmentations") as tree:
        segmented = sorted(name[: -len(".nii")] for name in tree.children("")[1] if name.endswith(".nii"))
    train_ids, boxed_ids, segmented_ids = _draw(list(table["StudyInstanceUID"]), sorted(boxes["StudyInstanceUID"].unique()),
                                                segmented, round(len(table) * RATIO))
    train = table[table["StudyInstanceUID"].isin(train_ids)]
    train.to_csv(public / "train.csv", index=False)
    boxes[boxes["StudyInstanceUID"].isin(boxed_ids)].to_csv(public / "train_bounding_boxes.csv", index=False)
    answers = table[~table["StudyInstanceUID"].isin(train_ids)].melt(
        id_vars="StudyInstanceUID", var_name="prediction_type", value_name="fractured")
    answers["row_id"] = answers["StudyInstanceUID"] + "_" + answers["prediction_type"]
    answers.to_csv(private / "answers.csv", index=False)
    answers[["row_id"]].assign(fractured=0.5).to_csv(public / "sample_submission.csv", index=False)
    answers.drop(columns=["fractured"]).to_csv(public / "test.csv", index=False)
    with FileSource(raw, "segmentations") as files:
        write_files(files, [f"{uid}.nii" for uid in segmented_ids], public / "segmentations")
    with RawTree(raw, "train_images") as images:
        for studies, dest in ((train["StudyInstanceUID"], "train_images"),
                              (answers["StudyInstanceUID"].unique(), "test_images")):
            logger.info("copying the slices of %d studies into %s/", len(studies), dest)
            (public / dest).mkdir(exist_ok=True)
            for uid in studies:
                copy_folder(images, uid, public / dest / uid)


def _draw(all_ids: list[str], boxed: list[str], segmented: list[str], n_train: int) -> tuple[list, list, list]:
    """(training ids, boxed ids kept, segmented ids kept), drawn as MLE-bench draws them."""
    rng = random.Random(0)
    overlap = [uid for uid in boxed if uid in segmented]
    both = rng.sample(overlap, round(len(overlap) * RATIO))
    more_segmented = rng.sample([u for u in segmented if u not in overlap], round(len(segmented) * RATIO) - len(both))
    more_boxed = rng.sample([u for u in boxed if u not in overlap], round(len(boxed) * RATIO) - len(both))
    train = both + more_segmented + more_boxed
    train += rng.sample([u for u in all_ids if u not in train], n_train - len(train))
    return train, both + more_boxed, both + more_segmented
