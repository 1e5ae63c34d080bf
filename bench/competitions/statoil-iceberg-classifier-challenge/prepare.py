"""statoil-iceberg-classifier-challenge: MLE-bench's split of the labelled radar images.

Kaggle ships `train.json.7z` and `test.json.7z` (each holding `data/processed/<name>.json`, a list
of records). The train records are split with test_size 0.2, random_state 0 (a list split, as
MLE-bench splits it). Public: `train.json.7z` (the train records) and `test.json.7z` (the test
records keeping only the fields of Kaggle's test records), each holding one file at the top, and
`sample_submission.csv.7z`. Private: `test.csv` (`id,is_iceberg` as 0/1) and
`sample_submission.csv` (every probability 0.5).

The archives are extracted into a temporary folder beside the prepared data; of Kaggle's test file
(about 1.5 GB) only the first record is parsed, for its field names.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import py7zr

from bench.archives import extract_archive
from bench.preparers import RawFileMissing, scratch_for, split


def _extracted(raw: Path, name: str, into: Path) -> Path:
    archive = raw / f"{name}.7z"
    if not archive.is_file():
        if (raw / name).is_file():
            return raw / name
        raise RawFileMissing(f"{name}.7z is not in the raw data ({raw})")
    extract_archive(archive, into / name)
    found = sorted((into / name).rglob(name))
    if not found:
        raise RawFileMissing(f"{archive} holds no {name}")
    return found[0]


def _first_record_fields(path: Path) -> list[str]:
    """Field names of the first record of a JSON list, read without parsing the rest."""
    decoder, text = json.JSONDecoder(), ""
    with path.open(encoding="utf-8") as handle:
        while True:
            chunk = handle.read(1 << 22)
            text += chunk
            try:
                record, _ = decoder.raw_decode(text, text.index("{"))
                return list(record)
            except (ValueError, json.JSONDecodeError):
                if not chunk:
                    raise RawFileMissing(f"{path} does not start with a list of JSON records") from None


def _seven_zip(dest: Path, source: Path, arcname: str) -> None:
    with py7zr.SevenZipFile(dest, "w") as archive:
        archive.write(source, arcname=arcname)


def prepare(raw: Path, public: Path, private: Path) -> None:
    with tempfile.TemporaryDirectory(dir=scratch_for(private), prefix="statoil-") as tmp:
        work = Path(tmp)
        test_fields = _first_record_fields(_extracted(raw, "test.json", work))
        records = json.loads(_extracted(raw, "train.json", work).read_text(encoding="utf-8"))
        train, test = split(records, test_size=0.2, random_state=0)
        with (work / "train-part.json").open("w") as out:
            json.dump(train, out)
        with (work / "test-part.json").open("w") as out:
            json.dump([{key: record[key] for key in test_fields} for record in test], out)
        _seven_zip(public / "train.json.7z", work / "train-part.json", "train.json")
        _seven_zip(public / "test.json.7z", work / "test-part.json", "test.json")
        answers = pd.DataFrame([{"id": r["id"], "is_iceberg": int(r["is_iceberg"])} for r in test])
        answers.to_csv(private / "test.csv", index=False)
        answers.assign(is_iceberg=0.5).to_csv(private / "sample_submission.csv", index=False)
        _seven_zip(public / "sample_submission.csv.7z", private / "sample_submission.csv", "sample_submission.csv")
