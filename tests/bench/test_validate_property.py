"""Property: whatever bytes land in submission.csv, the validator answers with a ValidationResult
and a message, and never falls into its last-resort exception handler (an unforeseen crash)."""

from __future__ import annotations

import csv
import io
import logging
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.validate import Expected, validate_submission
from tests.bench.grading_helpers import BINARY, LABELS, MULTI, make_comp

COMPS = [make_comp(BINARY), make_comp(LABELS), make_comp(MULTI)]
EXPECTED = Expected(ids=frozenset(["a", "b", "c"]))
NAMES = st.sampled_from(["id", "target", "PassengerId", "Transported", "A", "B", "C", "", "x", "Unnamed: 0"])
CELLS = st.one_of(
    st.sampled_from(["a", "b", "c", "0.5", "1", "0", "nan", "-inf", "True", "False", "", "1e309", "0x1p-3"]),
    st.text(max_size=20),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=1, max_value=200_000).map(lambda n: "9" * n),  # huge fields
)


class _Crashes(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _check(data: bytes, comp_index: int) -> None:
    handler = _Crashes()
    logger = logging.getLogger("bench.validate")
    logger.addHandler(handler)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "submission.csv"
            path.write_bytes(data)
            result = validate_submission(path, COMPS[comp_index], EXPECTED)
    finally:
        logger.removeHandler(handler)
    assert isinstance(result.valid, bool)
    assert isinstance(result.message, str) and result.message
    assert not handler.records, f"validator crashed on {data[:200]!r}: {handler.records[0].getMessage()}"


def _to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=2000), st.integers(0, 2))
def test_random_bytes(data, comp_index):
    _check(data, comp_index)


@SETTINGS
@given(st.text(max_size=2000), st.integers(0, 2))
def test_random_text(text, comp_index):
    _check(text.encode("utf-8", errors="surrogatepass"), comp_index)


@SETTINGS
@given(st.lists(NAMES, min_size=1, max_size=5), st.lists(st.lists(CELLS, max_size=6), max_size=8),
       st.integers(0, 2))
def test_random_headers_and_rows(header, rows, comp_index):
    _check(_to_csv(header, rows), comp_index)


@SETTINGS
@given(st.lists(st.lists(CELLS, min_size=4, max_size=4), min_size=1, max_size=6), st.integers(0, 2))
def test_right_header_random_cells(rows, comp_index):
    header = [c.name for c in COMPS[comp_index].schema.columns]
    _check(_to_csv(header, [r[: len(header)] for r in rows]), comp_index)
