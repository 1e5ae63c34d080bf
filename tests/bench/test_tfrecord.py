"""bench.tfrecord reads the ids of TFRecord files of Examples (checked against TensorFlow's reading
by the siim-isic golden case); here: its errors on damaged files, and the writer of records
without one feature (cassava's test files)."""

from __future__ import annotations

import pytest

from bench.tfrecord import (TFRecordError, bytes_feature, copy_without_features, feature_names, masked_crc32c, string_ids,
                            without_features)
from tests.bench.raw._tfrecord import _masked_crc, example, tfrecord


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


def test_checksum_is_tensorflows():
    for data in (b"", b"a", bytes(range(256)) * 3):
        assert masked_crc32c(data) == _masked_crc(data)


def test_a_feature_is_removed_and_the_rest_kept_byte_for_byte(tmp_path):
    records = [example({"image": b"\xff\xd8jpeg", "image_name": f"{i}.jpg".encode(), "target": i, "diagnosis": 2})
               for i in range(3)]
    source, dest = tmp_path / "in.tfrec", tmp_path / "out.tfrec"
    source.write_bytes(tfrecord(records))
    assert copy_without_features(source, dest, ("target", "diagnosis", "absent")) == 3
    expected = [example({"image": b"\xff\xd8jpeg", "image_name": f"{i}.jpg".encode()}) for i in range(3)]
    assert dest.read_bytes() == tfrecord(expected)
    assert string_ids(dest, "image_name") == ["0.jpg", "1.jpg", "2.jpg"]
    assert without_features(expected[0], ("target",)) == expected[0]
    assert feature_names(records[0]) == ["image", "image_name", "target", "diagnosis"]
    assert feature_names(expected[0]) == ["image", "image_name"]
