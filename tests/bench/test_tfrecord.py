"""bench.tfrecord reads the ids of TFRecord files of Examples (checked against TensorFlow's reading
by the siim-isic golden case); here: its errors on damaged files."""

from __future__ import annotations

import pytest

from bench.tfrecord import TFRecordError, bytes_feature, string_ids
from tests.bench.raw._tfrecord import example, tfrecord


def _file(tmp_path, data: bytes):
    path = tmp_path / "train00-2.tfrec"
    path.write_bytes(data)
    return path


def test_reads_the_bytes_feature_of_every_record_beside_other_features(tmp_path):
    records = [example({"image": b"\xff\xd8jpeg", "image_name": name.encode(), "target": 1}) for name in ("a", "é")]
    assert string_ids(_file(tmp_path, tfrecord(records)), "image_name") == ["a", "é"]
    assert bytes_feature(records[0], "missing") == []


def test_a_truncated_file_is_an_error_not_fewer_ids(tmp_path):
    data = tfrecord([example({"image_name": b"a"}), example({"image_name": b"b"})])
    for cut in (len(data) - 2, len(data) - 20, 5):
        with pytest.raises(TFRecordError, match="truncated"):
            string_ids(_file(tmp_path, data[:cut]), "image_name")


def test_a_record_without_the_feature_is_named(tmp_path):
    path = _file(tmp_path, tfrecord([example({"image_name": b"a"}), example({"other": b"b"})]))
    with pytest.raises(TFRecordError, match="record 1 .* no bytes feature 'image_name'"):
        string_ids(path, "image_name")
