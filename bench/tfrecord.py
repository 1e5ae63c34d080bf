"""Reading TFRecord files of `tf.train.Example` records without TensorFlow.

Some Kaggle competitions ship their images as TFRecord files, and MLE-bench's preparers read the
ids inside them with TensorFlow. Only the ids are needed, so this module reads the two formats
directly: a TFRecord file is a sequence of records, each `length` (uint64, little-endian), a
4-byte checksum of the length, `length` bytes of data and a 4-byte checksum of the data; the data
of an Example is a protocol-buffer message `Example{features: Features{feature: map<string,
Feature>}}`, a `Feature` holding one of `bytes_list` (1), `float_list` (2) or `int64_list` (3).
Checksums are not verified (a truncated file is still detected): the files are only read for ids,
and computing CRC-32C in Python over gigabytes of images would take far longer than the prepare.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO, Iterator

_VARINT, _FIXED64, _LENGTH, _FIXED32 = 0, 1, 2, 5


class TFRecordError(ValueError):
    """The file is not a well-formed TFRecord file of Examples; the message names it."""


def records(stream: BinaryIO, name: str = "the file") -> Iterator[bytes]:
    """The data of each record of a TFRecord stream, in order."""
    while header := stream.read(12):
        if len(header) < 12:
            raise TFRecordError(f"{name} ends inside a record header (truncated?)")
        (length,) = struct.unpack("<Q", header[:8])
        data = stream.read(length)
        if len(data) < length or len(stream.read(4)) < 4:
            raise TFRecordError(f"{name} ends inside a record (truncated?)")
        yield data


def bytes_feature(example: bytes, key: str) -> list[bytes]:
    """The values of the bytes feature `key` of a serialized Example ([] when absent)."""
    for number, features in _fields(example):
        if number != 1:
            continue
        for entry_number, entry in _fields(features):
            if entry_number != 1:
                continue
            parts = dict(_fields(entry))
            if parts.get(1) == key.encode():
                feature = dict(_fields(parts.get(2, b"")))
                return [value for n, value in _fields(feature.get(1, b"")) if n == 1]
    return []


def string_ids(path: Path, key: str) -> list[str]:
    """The first value of the bytes feature `key` of every record in `path`, decoded as UTF-8
    (as MLE-bench's TensorFlow reader does); a record without it is an error."""
    out = []
    with path.open("rb") as stream:
        for index, example in enumerate(records(stream, str(path))):
            values = bytes_feature(example, key)
            if not values:
                raise TFRecordError(f"record {index} of {path} has no bytes feature {key!r}")
            out.append(values[0].decode("utf-8"))
    return out


def _fields(message: bytes) -> Iterator[tuple[int, bytes | int]]:
    """(field number, value) of each field of a protocol-buffer message: ints for varints and
    fixed-width fields, bytes for length-delimited ones."""
    pos = 0
    while pos < len(message):
        tag, pos = _varint(message, pos)
        number, wire = tag >> 3, tag & 7
        if wire == _VARINT:
            value, pos = _varint(message, pos)
        elif wire == _LENGTH:
            size, pos = _varint(message, pos)
            value, pos = message[pos:pos + size], pos + size
        elif wire in (_FIXED64, _FIXED32):
            width = 8 if wire == _FIXED64 else 4
            value, pos = int.from_bytes(message[pos:pos + width], "little"), pos + width
        else:
            raise TFRecordError(f"unsupported protocol-buffer wire type {wire}")
        if pos > len(message):
            raise TFRecordError("a protocol-buffer field runs past the end of its message")
        yield number, value


def _varint(message: bytes, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if pos >= len(message):
            raise TFRecordError("a protocol-buffer varint runs past the end of its message")
        byte = message[pos]
        value |= (byte & 0x7F) << shift
        pos, shift = pos + 1, shift + 7
        if not byte & 0x80:
            return value, pos


# --- writing (issue 16: test records published without their labels) ------------------------

def _crc32c_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC32C = _crc32c_table()


def masked_crc32c(data: bytes) -> bytes:
    """TFRecord's checksum of `data`: CRC-32C (Castagnoli), rotated right by 15 bits plus a
    constant, little-endian. Pure Python (about 10 MB/s): used only for the few files rewritten."""
    crc, table = 0xFFFFFFFF, _CRC32C
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFF
    return struct.pack("<I", (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF)


def write_record(stream: BinaryIO, data: bytes) -> None:
    """Append one record (length, its checksum, data, its checksum) as TensorFlow writes it."""
    length = struct.pack("<Q", len(data))
    stream.write(length + masked_crc32c(length) + data + masked_crc32c(data))


def _length_field(number: int, payload: bytes) -> bytes:
    return _encode_varint(number << 3 | _LENGTH) + _encode_varint(len(payload)) + payload


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def feature_names(example: bytes) -> list[str]:
    """The keys of a serialized Example's features, in stored order."""
    names = []
    for number, features in _fields(example):
        if number == 1:
            names += [dict(_fields(entry)).get(1, b"").decode("utf-8", "replace")
                      for entry_number, entry in _fields(features) if entry_number == 1]
    return names


def without_features(example: bytes, keys: tuple[str, ...]) -> bytes:
    """A serialized Example without its features named in `keys` (the other features' bytes unchanged)."""
    drop = {key.encode() for key in keys}
    kept = []
    for number, features in _fields(example):
        if number != 1:
            raise TFRecordError(f"an Example holds an unexpected field {number}")
        for entry_number, entry in _fields(features):
            if entry_number == 1 and dict(_fields(entry)).get(1) not in drop:
                kept.append(_length_field(1, entry))
    return _length_field(1, b"".join(kept))


def copy_without_features(source: Path, dest: Path, keys: tuple[str, ...]) -> int:
    """Copy a TFRecord file of Examples with the features `keys` removed from every record; the count."""
    count = 0
    with source.open("rb") as stream, dest.open("wb") as out:
        for data in records(stream, str(source)):
            write_record(out, without_features(data, keys))
            count += 1
    return count
