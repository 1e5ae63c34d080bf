"""Reading and filtering BSON files (MongoDB dumps) document by document, without MongoDB's
driver.

Some Kaggle competitions ship their data as one BSON file: a sequence of documents, each an int32
little-endian total length, then elements (a type byte, a NUL-terminated name, the value), then a
NUL byte. A preparer needs only a few top-level fields of each document (its id and label) and
must copy documents, sometimes without one field. Documents are kept as the bytes they were read
as: for the types Kaggle's files hold (int32/int64 numbers, binary images in arrays of
sub-documents), that is exactly what decoding and re-encoding with pymongo's `bson` gives.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

# value sizes of fixed-width types; 0x02/0x0D/0x0E (string-like) and 0x05 (binary) carry a length,
# 0x03/0x04 (document, array) and 0x0F (code with scope) are length-prefixed as a whole
_FIXED = {0x01: 8, 0x06: 0, 0x07: 12, 0x08: 1, 0x09: 8, 0x0A: 0, 0x10: 4, 0x11: 8, 0x12: 8, 0x13: 16,
          0x7F: 0, 0xFF: 0}


class BSONError(ValueError):
    """A file is not a well-formed sequence of BSON documents; the message says where."""


@dataclass(frozen=True)
class Element:
    name: str
    kind: int
    start: int  # offset of the type byte in the document
    end: int    # offset just past the value


def documents(stream: BinaryIO, name: str = "the file") -> Iterator[bytes]:
    """Each document of a BSON stream, as its bytes (length prefix and final NUL included)."""
    while header := stream.read(4):
        if len(header) < 4:
            raise BSONError(f"{name} ends inside a document's length (truncated?)")
        (length,) = struct.unpack("<i", header)
        if length < 5:
            raise BSONError(f"{name} holds a document of impossible length {length}")
        body = stream.read(length - 4)
        if len(body) < length - 4 or body[-1:] != b"\x00":
            raise BSONError(f"{name} ends inside a document (truncated?)")
        yield header + body


def elements(document: bytes) -> list[Element]:
    """The top-level elements of one document, in order."""
    out, at, end = [], 4, len(document) - 1
    while at < end:
        kind, start = document[at], at
        name_end = document.index(b"\x00", at + 1)
        name = document[at + 1:name_end].decode("utf-8")
        at = name_end + 1 + _value_size(document, kind, name_end + 1, name)
        out.append(Element(name, kind, start, at))
    if at != end:
        raise BSONError("a document's elements overrun its length")
    return out


def _value_size(document: bytes, kind: int, at: int, name: str) -> int:
    if kind in _FIXED:
        return _FIXED[kind]
    (length,) = struct.unpack_from("<i", document, at)
    if kind in (0x02, 0x0D, 0x0E):
        return 4 + length
    if kind == 0x05:
        return 5 + length
    if kind in (0x03, 0x04, 0x0F):
        return length
    raise BSONError(f"field {name!r} has a BSON type (0x{kind:02x}) this reader does not know")


def value(document: bytes, element: Element) -> int | float | str:
    """The value of a number or string element (what ids and labels are)."""
    at = element.start + 1 + len(element.name.encode()) + 1
    if element.kind == 0x10:
        return struct.unpack_from("<i", document, at)[0]
    if element.kind == 0x12:
        return struct.unpack_from("<q", document, at)[0]
    if element.kind == 0x01:
        return struct.unpack_from("<d", document, at)[0]
    if element.kind == 0x02:
        (length,) = struct.unpack_from("<i", document, at)
        return document[at + 4:at + 3 + length].decode("utf-8")
    raise BSONError(f"field {element.name!r} is not a number or a string (BSON type 0x{element.kind:02x})")


def fields(document: bytes, names: tuple[str, ...]) -> dict[str, int | float | str]:
    """The named top-level number/string fields of a document; a missing one is an error."""
    found = {e.name: value(document, e) for e in elements(document) if e.name in names}
    missing = [n for n in names if n not in found]
    if missing:
        raise BSONError(f"a document lacks the field(s) {missing}")
    return found


def without(document: bytes, name: str) -> bytes:
    """The document without its top-level field `name` (unchanged if it has none)."""
    kept = b"".join(document[e.start:e.end] for e in elements(document) if e.name != name)
    return struct.pack("<i", len(kept) + 5) + kept + b"\x00"


def read_fields(path: Path, names: tuple[str, ...]) -> Iterator[dict[str, int | float | str]]:
    """`fields(document, names)` of every document of a BSON file, in order."""
    with path.open("rb") as stream:
        for document in documents(stream, str(path)):
            yield fields(document, names)
