"""siim-covid19-detection: MLE-bench's split of Kaggle's training studies.

`train_study_level.csv` (id `<study>_study`, four 0/1 columns: Negative for Pneumonia, Typical,
Indeterminate, Atypical Appearance) is split 90/10 (random_state 0); `train_image_level.csv` (id
`<image>_image`, boxes, label, StudyInstanceUID) follows its studies. Public: both tables for the
train part (sorted by id), `train/<study>/` and `test/<study>/` (the DICOM files under
`<study>/<series>/<image>.dcm`, copied one at a time), `sample_submission.csv`. Private: `test.csv`
(`id,PredictionString`): each test study's class as '<class> 1 0 0 1 1', then each test image's
Kaggle label string (boxes as 'opacity <confidence> xmin ymin xmax ymax', or 'none 1 0 0 1 1').
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from bench.preparers import RawTree, read_table, split, tree_files

log = logging.getLogger(__name__)
STUDY_CLASSES = ["negative", "typical", "indeterminate", "atypical"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    studies = read_table(raw, "train_study_level.csv")
    train_studies, test_studies = (part.sort_values(by="id") for part in split(studies, test_size=0.1, random_state=0))
    train_studies.to_csv(public / "train_study_level.csv", index=False)
    images = read_table(raw, "train_image_level.csv")
    study_of_image = images["StudyInstanceUID"] + "_study"
    train_images = images[study_of_image.isin(train_studies["id"])].sort_values(by="id")
    test_images = images[study_of_image.isin(test_studies["id"])].sort_values(by="id")
    if len(train_images) + len(test_images) != len(images):
        raise ValueError("train_image_level.csv names studies that train_study_level.csv lacks")
    train_images.to_csv(public / "train_image_level.csv", index=False)
    with RawTree(raw, "train") as tree:
        for side, part in (("train", train_studies), ("test", test_studies)):
            for n, study in enumerate(part["id"].str.replace("_study", "", regex=False), 1):
                for path in tree_files(tree, study):
                    tree.copy(path, public / side / path)
                if n % 200 == 0:
                    log.info("copied %d of %d studies into %s", n, len(part), side)
    classes = [STUDY_CLASSES[int(row.argmax())] for row in test_studies.iloc[:, 1:].to_numpy()]
    answers = pd.DataFrame({"id": list(test_studies["id"]) + list(test_images["id"]),
                            "PredictionString": [f"{c} 1 0 0 1 1" for c in classes] + list(test_images["label"])})
    answers.to_csv(private / "test.csv", index=False)
    sample = ["negative 1 0 0 1 1"] * len(test_studies) + ["none 1 0 0 1 1"] * len(test_images)
    answers.assign(PredictionString=sample).to_csv(public / "sample_submission.csv", index=False)
