"""bench.bsonfile: documents of a BSON stream, their top-level fields, a field removed."""

from __future__ import annotations

import io
import struct

import pytest

from bench.bsonfile import BSONError, documents, elements, fields, without
from tests.bench.raw.cdiscount_image_classification_challenge import array, binary, document, int32


def _product(product_id: int, category: int | None = None) -> bytes:
    items = [int32("_id", product_id), array("imgs", [document([binary("picture", b"\xff\xd8abc\xff\xd9")])])]
    return document(items + ([int32("category_id", category)] if category is not None else []))


def test_reads_each_document_and_its_fields():
    stream = io.BytesIO(_product(7, 1000010653) + _product(9, 1000004079))
    docs = list(documents(stream))
    assert [fields(d, ("_id", "category_id")) for d in docs] == [
        {"_id": 7, "category_id": 1000010653}, {"_id": 9, "category_id": 1000004079}]
    assert [e.name for e in elements(docs[0])] == ["_id", "imgs", "category_id"]


def test_without_drops_one_field_and_keeps_the_rest_byte_for_byte():
    assert without(_product(7, 1000010653), "category_id") == _product(7)
    assert without(_product(7), "category_id") == _product(7)


def test_int64_double_and_string_values():
    doc = document([bytes([0x12]) + b"big\x00" + struct.pack("<q", 2**40),
                    bytes([0x01]) + b"x\x00" + struct.pack("<d", 0.5),
                    bytes([0x02]) + b"s\x00" + struct.pack("<i", 4) + b"abc\x00"])
    assert fields(doc, ("big", "x", "s")) == {"big": 2**40, "x": 0.5, "s": "abc"}


@pytest.mark.parametrize("data, message", [(b"\x10\x00", "length"), (_product(1)[:-3], "truncated"),
                                           (struct.pack("<i", 3), "impossible")])
def test_damaged_files_are_named(data, message):
    with pytest.raises(BSONError, match=message):
        list(documents(io.BytesIO(data)))


def test_missing_field_and_unknown_type_are_errors():
    with pytest.raises(BSONError, match="lacks"):
        fields(_product(1), ("_id", "category_id"))
    odd = document([bytes([0x20]) + b"odd\x00" + b"\x00" * 4])
    with pytest.raises(BSONError, match="does not know"):
        elements(odd)
