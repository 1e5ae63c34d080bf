"""Synthetic raw files of mlsp-2013-birds: mlsp_contest_dataset.zip (nested in Kaggle's archive) with
essential_data/ (CVfolds_2.txt, rec_id2filename.txt, rec_labels_test_hidden.txt, species_list.txt,
src_wavs/*.wav) and supplemental_data/ (spectrogram BMPs, segment tables), and sample_submission.csv."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, zip_bytes

ROOT = "mlsp_contest_dataset"


def _bmp(rng: np.random.Generator) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (4, 6), dtype=np.uint8), mode="L").save(buffer, format="BMP")
    return buffer.getvalue()


def _segments(rng: np.random.Generator, recs: list[int], width: int) -> str:
    lines = ["rec_id,segment_id,[features]"]
    for r in recs:
        for seg in range(int(rng.integers(0, 3))):
            lines.append(",".join([str(r), str(seg)] + [f"{v:.6f}" for v in rng.random(width)]))
    return "\n".join(lines) + "\n"


def build(n_train: int = 320, n_test: int = 30) -> dict[str, bytes]:
    """320 recordings in fold 0: MLE-bench's preparer insists on 64 new test recordings (20%)."""
    rng = np.random.default_rng(20)
    n = n_train + n_test
    recs = list(range(n))
    folds = pd.DataFrame({"rec_id": recs, "fold": rng.permutation([0] * n_train + [1] * n_test)})
    names = [f"PC{rng.integers(1, 19)}_2009{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}_{r:06d}" for r in recs]
    label_lines = ["rec_id,[labels]"]
    for r, fold in zip(recs, folds["fold"]):
        species = sorted(rng.choice(19, int(rng.integers(0, 4)), replace=False))
        label_lines.append(f"{r},?" if fold == 1 else ",".join([str(r)] + [str(s) for s in species]))
    species_list = "class_id,code,species\n" + "".join(f"{i},SP{i:02d},Species {i}\n" for i in range(19))
    files = {
        "essential_data/CVfolds_2.txt": csv_bytes(folds),
        "essential_data/rec_id2filename.txt": csv_bytes(pd.DataFrame({"rec_id": recs, "filename": names})),
        "essential_data/rec_labels_test_hidden.txt": ("\n".join(label_lines) + "\n").encode(),
        "essential_data/species_list.txt": species_list.encode(),
        "supplemental_data/histogram_of_segments.txt": _segments(rng, recs, 5).encode(),
        "supplemental_data/segment_features.txt": _segments(rng, recs, 7).encode(),
        "supplemental_data/segment_rectangles.txt": _segments(rng, recs, 4).encode(),
        "supplemental_data/segment_clusters.bmp": _bmp(rng),
        "supplemental_data/segment_mosaic.bmp": _bmp(rng),
    }
    for name in names:
        files[f"essential_data/src_wavs/{name}.wav"] = b"RIFF" + rng.bytes(40)
        for folder in ("filtered_spectrograms", "spectrograms", "supervised_segmentation"):
            files[f"supplemental_data/{folder}/{name}.bmp"] = _bmp(rng)
        if rng.random() < 0.3:
            files[f"supplemental_data/segmentation_examples/{name}.bmp"] = _bmp(rng)
    test = [r for r, f in zip(recs, folds["fold"]) if f == 1]
    sample = pd.DataFrame({"Id": [r * 100 + s for r in test for s in range(19)], "Probability": 0})
    return {f"{ROOT}.zip": zip_bytes({f"{ROOT}/{k}": v for k, v in files.items()}),
            "sample_submission.csv": csv_bytes(sample)}
