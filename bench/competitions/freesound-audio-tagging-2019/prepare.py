"""freesound-audio-tagging-2019: Kaggle's files as they are, answers from the labels released later.

Every top-level raw item (the CSVs and the zips of clips) is copied into public/ unchanged, except
anything named `FSDKaggle2019.meta...`. The answers come from `test_post_competition.csv` of
FSDKaggle2019.meta.zip, which the organisers published on Zenodo after the competition: its rows
with `usage == "Private"`, in file order, become `fname` plus one 0/1 column per class (the
classes in the order of the sample submission's columns). The meta archive is taken from the raw
data when it is there (`FSDKaggle2019.meta.zip` or its extracted folder: for offline use), else
downloaded from Zenodo into a temporary file beside the prepared data.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import tempfile
import urllib.request
import zipfile
from pathlib import Path

import pandas as pd

from bench.graders import read_frame
from bench.preparers import RawFileMissing, scratch_for

logger = logging.getLogger(__name__)

META = "FSDKaggle2019.meta"
META_URL = "https://zenodo.org/records/3612637/files/FSDKaggle2019.meta.zip?download=1"
LABELS = "test_post_competition.csv"
CHUNK = 1 << 20


def _copy_item(item: Path, dest: Path) -> None:
    """A raw file, or every regular file of a raw folder (links are not followed)."""
    if item.is_file() and not item.is_symlink():
        shutil.copyfile(item, dest)
        return
    for folder, _, names in os.walk(item):
        target = dest / Path(folder).relative_to(item)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                shutil.copyfile(path, target / name)


def _labels_from_zip(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        members = [m for m in archive.namelist() if Path(m).name == LABELS]
        if not members:
            raise RawFileMissing(f"{path} holds no {LABELS}")
        return archive.read(members[0])


def _download(scratch: Path) -> bytes:
    with tempfile.TemporaryDirectory(dir=scratch, prefix="meta-") as tmp:
        target = Path(tmp) / f"{META}.zip"
        logger.info("downloading the released test labels from %s", META_URL)
        with urllib.request.urlopen(META_URL, timeout=120) as response, target.open("wb") as out:
            while chunk := response.read(CHUNK):
                out.write(chunk)
        return _labels_from_zip(target)


def test_labels(raw: Path, scratch: Path) -> pd.DataFrame:
    """The released test labels (`fname, labels, usage, ...`), from the raw data or from Zenodo."""
    if (raw / META / LABELS).is_file():
        data = (raw / META / LABELS).read_bytes()
    elif (raw / f"{META}.zip").is_file():
        data = _labels_from_zip(raw / f"{META}.zip")
    else:
        data = _download(scratch)
    return read_frame(io.BytesIO(data))  # type: ignore[arg-type]


def prepare(raw: Path, public: Path, private: Path) -> None:
    for item in sorted(raw.iterdir()):
        if META not in item.name:
            _copy_item(item, public / item.name)
    classes = list(pd.read_csv(public / "sample_submission.csv", nrows=0).columns[1:])
    labels = test_labels(raw, scratch_for(private))
    rows = labels[labels["usage"] == "Private"]
    answers = pd.DataFrame([[fname] + [int(c in tags.split(",")) for c in classes]
                            for fname, tags in zip(rows["fname"], rows["labels"])], columns=["fname"] + classes)
    answers.to_csv(private / "test.csv", index=False)
