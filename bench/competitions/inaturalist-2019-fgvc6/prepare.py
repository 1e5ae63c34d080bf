"""inaturalist-2019-fgvc6: MLE-bench's per-category split of `train2019.json` (test share 0.12,
small categories by rule, see `bench.competitions._fgvc.split_category`).

Public: `train2019.json` (the train pairs, category by category, other keys kept), `val2019.json`
(copied; its photographs are not published, as in MLE-bench), `test2019.json` (`images`, `info`,
`licenses`; each test image's `file_name` becomes `test2019/<base name>`), and the photographs as
two uncompressed tar files named as MLE-bench names them: `train_val2019.tar.gz` (members
`<kingdom>/<category>/<name>.jpg`) and `test2019.tar.gz` (members `<name>.jpg`);
`kaggle_sample_submission.csv` (`id`, `predicted`: one constant class). Private: `answers.csv`
(`id`, `predicted` = category id).

Kaggle's `train_val2019.tar.gz` is read once, member by member, and each photograph is written
straight into its output tar: nothing is extracted and no photograph is held whole in memory.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import tarfile
from pathlib import Path

from bench.competitions._fgvc import answers_and_sample, by_category, split_all, write_json
from bench.preparers import RawFileMissing, read_raw_bytes

logger = logging.getLogger(__name__)

SAMPLE_CLASS = random.Random(42).randint(0, 1009)  # MLE-bench draws it anew from seed 42 for every row


def prepare(raw: Path, public: Path, private: Path) -> None:
    metadata = json.loads(read_raw_bytes(raw, "train2019.json").decode("utf-8"))
    train, test = split_all(by_category(metadata), test_size=0.12)
    pairs = [pair for items in train.values() for pair in items]
    kept = {key: value for key, value in metadata.items() if key not in ("annotations", "images")}
    write_json({**kept, "annotations": [a for a, _ in pairs], "images": [i for _, i in pairs]},
               public / "train2019.json")
    shutil.copyfile(raw / "val2019.json", public / "val2019.json")
    test_images = [{**image, "file_name": "test2019/" + image["file_name"].split("/")[-1]} for _, image in test]
    public_test = {key: value for key, value in kept.items() if key != "categories"}
    write_json({**public_test, "images": test_images}, public / "test2019.json")
    answers_and_sample([image["id"] for image in test_images], [a["category_id"] for a, _ in test], private,
                       public / "kaggle_sample_submission.csv", "id", "predicted", SAMPLE_CLASS)
    destinations = {image["file_name"]: ("train", image["file_name"].split("/", 1)[1]) for _, image in pairs}
    destinations.update({old["file_name"]: ("test", new["file_name"].split("/", 1)[1])
                         for (_, old), new in zip(test, test_images)})
    _write_tars(raw, destinations, public)


def _write_tars(raw: Path, destinations: dict[str, tuple[str, str]], public: Path) -> None:
    """One pass over Kaggle's photographs (the tar.gz, or a folder `train_val2019/` already
    extracted), each wanted one streamed into the train or test tar under its new name."""
    outputs = {"train": tarfile.open(public / "train_val2019.tar.gz", "w"),
               "test": tarfile.open(public / "test2019.tar.gz", "w")}
    written = set()
    try:
        for name, info, stream in _photographs(raw):
            if name not in destinations:
                continue
            side, arcname = destinations[name]
            entry = tarfile.TarInfo(arcname)
            entry.size, entry.mtime, entry.mode = info.size, info.mtime, 0o644
            outputs[side].addfile(entry, stream)
            written.add(name)
            if len(written) % 10000 == 0:
                logger.info("inaturalist: %d of %d photographs written", len(written), len(destinations))
    finally:
        for out in outputs.values():
            out.close()
    missing = sorted(set(destinations) - written)
    if missing:
        raise RawFileMissing(f"{len(missing)} photograph(s) named in train2019.json are not in train_val2019.tar.gz, "
                             f"e.g. {missing[:3]}")


def _photographs(raw: Path):
    """(path as in the metadata, size/mtime info, open stream) of every photograph."""
    folder = raw / "train_val2019"
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                info = tarfile.TarInfo(path.name)
                info.size, info.mtime = path.stat().st_size, int(path.stat().st_mtime)
                with path.open("rb") as stream:
                    yield str(path.relative_to(raw)), info, stream
        return
    archive = raw / "train_val2019.tar.gz"
    if not archive.is_file():
        raise RawFileMissing(f"train_val2019.tar.gz (or the folder train_val2019/) is not in the raw data ({raw})")
    with tarfile.open(archive, "r|*") as tar:
        for member in tar:
            if member.isfile():
                yield member.name.removeprefix("./"), member, tar.extractfile(member)
