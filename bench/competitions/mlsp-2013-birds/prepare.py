"""mlsp-2013-birds: MLE-bench's re-split of Kaggle's training fold.

From `mlsp_contest_dataset` (a zip nested in Kaggle's archive, read in place): the recordings of
fold 0 in `essential_data/CVfolds_2.txt` are kept and renumbered 0, 1, ... in file order; a random
20% of them (pandas `sample(frac=0.2, random_state=0)`) become fold 1, the new test set. Every file
indexed by recording is filtered to the kept recordings and renumbered; the labels of the new test
recordings are replaced by `?`. Answers: one row per (test recording, species 0-18), `Id` =
rec_id * 100 + species, `Probability` 1 when the species is heard. The audio and spectrogram files
of the kept recordings are copied.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from bench.preparers import RawTree, read_frame

SPECIES = 19
RENUMBERED_HEADER = "rec_id,[histogram of segment features]"  # MLE-bench writes it on all three files


def _renumber_lines(text: str, new_id: dict[int, int]) -> list[tuple[int, str]]:
    """(new rec_id, rest of the line) for each line after the header whose rec_id is kept."""
    rows = []
    for line in text.splitlines()[1:]:
        first, _, rest = line.partition(",")
        if int(first) in new_id:
            rows.append((new_id[int(first)], rest))
    return rows


def _write_labels(rows: list[tuple[int, str]], test_ids: set[int], dest: Path) -> None:
    lines = ["rec_id,[labels]"]
    for rec_id, labels in rows:
        labels = "?" if rec_id in test_ids else labels
        lines.append(f"{rec_id},{labels}" if labels else f"{rec_id}")
    dest.write_text("\n".join(lines) + "\n")


def _answers(rows: list[tuple[int, str]], test_ids: set[int]) -> pd.DataFrame:
    ids, heard = [], []
    for rec_id, labels in rows:
        if rec_id in test_ids:
            species = {int(s) for s in labels.split(",") if s != ""}
            ids += [rec_id * 100 + s for s in range(SPECIES)]
            heard += [int(s in species) for s in range(SPECIES)]
    return pd.DataFrame({"Id": ids, "Probability": heard})


def prepare(raw: Path, public: Path, private: Path) -> None:
    with RawTree(raw, "mlsp_contest_dataset") as tree:
        folds = read_frame(io.BytesIO(tree.read("essential_data/CVfolds_2.txt")))
        folds = folds[folds["fold"] == 0].reset_index(drop=True)
        folds.loc[folds.sample(frac=0.2, random_state=0).index, "fold"] = 1
        new_id = {old: new for new, old in enumerate(folds["rec_id"].values)}
        folds["rec_id"] = folds.index
        (public / "essential_data").mkdir()
        folds.to_csv(public / "essential_data/CVfolds_2.txt", index=False)
        test_ids = set(folds.loc[folds["fold"] == 1, "rec_id"])
        names = read_frame(io.BytesIO(tree.read("essential_data/rec_id2filename.txt")))
        names = names[names["rec_id"].isin(new_id.keys())].copy()
        names["rec_id"] = names["rec_id"].map(new_id)
        names.to_csv(public / "essential_data/rec_id2filename.txt", index=False)
        labels = [(new, rest) for new, rest in _renumber_lines(tree.text("essential_data/rec_labels_test_hidden.txt"), new_id)]
        _write_labels(labels, test_ids, public / "essential_data/rec_labels_test_hidden.txt")
        _answers(labels, test_ids).to_csv(private / "answers.csv", index=False)
        sample_ids = [r * 100 + s for r in folds.loc[folds["fold"] == 1, "rec_id"] for s in range(SPECIES)]
        pd.DataFrame({"Id": sample_ids, "Probability": 0}).to_csv(public / "sample_submission.csv", index=False)
        _copy_media(tree, list(names["filename"]), public)
        for table in ("histogram_of_segments", "segment_features", "segment_rectangles"):
            rows = _renumber_lines(tree.text(f"supplemental_data/{table}.txt"), new_id)
            text = "\n".join([RENUMBERED_HEADER] + [f"{r},{rest}" for r, rest in rows]) + "\n"
            (public / f"supplemental_data/{table}.txt").write_text(text)


def _copy_media(tree: RawTree, filenames: list[str], public: Path) -> None:
    tree.copy("essential_data/species_list.txt", public / "essential_data/species_list.txt")
    for folder in ("filtered_spectrograms", "segmentation_examples", "spectrograms", "supervised_segmentation"):
        (public / "supplemental_data" / folder).mkdir(parents=True, exist_ok=True)
    (public / "essential_data/src_wavs").mkdir()
    for name in filenames:
        tree.copy(f"essential_data/src_wavs/{name}.wav", public / f"essential_data/src_wavs/{name}.wav")
        for folder in ("filtered_spectrograms", "spectrograms", "supervised_segmentation"):
            tree.copy(f"supplemental_data/{folder}/{name}.bmp", public / f"supplemental_data/{folder}/{name}.bmp")
        if tree.exists(f"supplemental_data/segmentation_examples/{name}.bmp"):
            tree.copy(f"supplemental_data/segmentation_examples/{name}.bmp",
                      public / f"supplemental_data/segmentation_examples/{name}.bmp")
    for name in ("segment_clusters.bmp", "segment_mosaic.bmp"):
        tree.copy(f"supplemental_data/{name}", public / f"supplemental_data/{name}")
