"""tensorflow-speech-recognition-challenge: MLE-bench's split of the labelled clips of train.7z.

Every `.wav` under `train/audio/<label>/` (the label is the folder name, `_background_noise_`
included) is listed, sorted by `<label>_<file name>` and split with `train_test_split(test_size=0.1,
random_state=0)`. Train clips keep their place: `public/train/audio/<label>/<name>`. Test clips are
renamed in split order `clip_00000000.wav`, ... into `public/test/audio/` (file names repeat across
labels). Private `test.csv`: `fname,label`; public `sample_submission.csv`: every test clip with
label `silence`.

The 7z is solid, so it is extracted once into a temporary folder beside the prepared data (never
beside the user's files); an already extracted `train/` folder in the raw data is read in place.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from bench.archives import extract_archive
from bench.preparers import RawFileMissing, scratch_for, split

logger = logging.getLogger(__name__)

LOG_EVERY = 10_000


@contextlib.contextmanager
def _train_audio(raw: Path, scratch: Path) -> Iterator[Path]:
    """The `train/audio` folder: the raw one if extracted, else train.7z extracted into `scratch`."""
    if (raw / "train" / "audio").is_dir():
        yield raw / "train" / "audio"
        return
    if not (raw / "train.7z").is_file():
        raise RawFileMissing(f"neither train/audio nor train.7z is in the raw data ({raw})")
    with tempfile.TemporaryDirectory(dir=scratch, prefix="7z-") as tmp:
        logger.info("extracting train.7z into %s", tmp)
        extract_archive(raw / "train.7z", Path(tmp))
        yield Path(tmp) / "train" / "audio"


def _copy(pairs: list[tuple[Path, Path]], what: str) -> None:
    for done, (src, dest) in enumerate(pairs, 1):
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        if done % LOG_EVERY == 0:
            logger.info("%s: %d of %d clips copied", what, done, len(pairs))


def prepare(raw: Path, public: Path, private: Path) -> None:
    with _train_audio(raw, scratch_for(private)) as audio:
        clips = [p for p in audio.rglob("*.wav") if p.is_file() and not p.is_symlink()]
        clips.sort(key=lambda p: f"{p.parent.name}_{p.name}")
        train_at, test_at = split(np.arange(len(clips)), 0.1, 0)
        train = [clips[i] for i in train_at]
        test = [clips[i] for i in test_at]
        _copy([(p, public / "train" / "audio" / p.parent.name / p.name) for p in train], "train")
        names = [f"clip_{i:08d}.wav" for i in range(len(test))]
        (public / "test" / "audio").mkdir(parents=True, exist_ok=True)
        _copy([(p, public / "test" / "audio" / name) for p, name in zip(test, names)], "test")
    answers = pd.DataFrame({"fname": names, "label": [p.parent.name for p in test]})
    answers.to_csv(private / "test.csv", index=False)
    answers.assign(label="silence").to_csv(public / "sample_submission.csv", index=False)
