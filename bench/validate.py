"""Validation of a submission: the verdict the validation server gives an agent (never a score).

For a competition with a grader (every MLE-bench one), the verdict is the grader's, as MLE-bench's
validation server runs the grader and discards the score: valid exactly when it would be scored.
The format checks below, driven by the competition's SubmissionSchema, then only add warnings.
For a competition without one (the offline split), the format checks are the verdict.

The format checks keep memory bounded: the file size is checked first, the bytes are scanned in
blocks (encoding, binary content), and rows are parsed in chunks, stopping as soon as there are
more rows than the answers have.
"""

from __future__ import annotations

import codecs
import csv
import json
import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd
from sandbox import ValidationResult

from bench.competition import Column, Competition
from bench.errors import InvalidSubmissionError
from bench.graders import read_frame

logger = logging.getLogger(__name__)

MAX_BYTES = 1 << 30  # 1 GiB: no MLE-bench submission comes near it
MAX_ROWS_WITHOUT_ANSWERS = 5_000_000
CHUNK_ROWS = 250_000
EXAMPLES = 5


def _result(valid: bool, message: str) -> ValidationResult:
    return ValidationResult(valid=valid, message=message)


@dataclass(frozen=True)
class Expected:
    """What the answers say a submission must contain: its ids (as text) or just its row count."""

    ids: frozenset[str] | None = None
    rows: int | None = None


@dataclass
class _Findings:
    """Problems found so far, each with a count and a few example rows."""

    problems: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, key: str, count: int, examples: Iterable[str]) -> None:
        entry = self.problems.setdefault(key, [0, []])
        entry[0] += count
        entry[1].extend(list(examples)[: EXAMPLES - len(entry[1])])

    def messages(self) -> list[str]:
        return [f"{key}: {count} row(s), e.g. {', '.join(ex)}" for key, (count, ex) in self.problems.items()]


def _examples(items: Iterable[Any], limit: int = EXAMPLES) -> str:
    items = sorted(str(i) for i in items)
    shown = ", ".join(repr(i) for i in items[:limit])
    return shown + (f" (and {len(items) - limit} more)" if len(items) > limit else "")


def _scan_bytes(path: Path) -> str | None:
    """One pass over the raw bytes: binary content and UTF-8 validity. None when fine."""
    head = path.open("rb").read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "the file is UTF-16 encoded; save it as UTF-8 (e.g. pandas to_csv with the default encoding)"
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            if b"\x00" in block:
                return ("the file contains NUL bytes: it looks like a binary file (zip, parquet, pickle?), "
                        "not a CSV text file")
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return (f"the file is not valid UTF-8 (bad byte at offset {offset + exc.start}); "
                        "write it with encoding='utf-8'")
            offset += len(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "the file is not valid UTF-8 (it ends in the middle of a character); write it with encoding='utf-8'"
    return None


def _read_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _header_problems(header: list[str], comp: Competition) -> list[str]:
    schema = comp.schema
    required = [c.name for c in schema.columns]
    problems = []
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        problems.append(f"duplicated column name(s): {_examples(duplicated)}")
    missing = [c for c in required if c not in header]
    if missing:
        hint = ""
        if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
            hint = " (the header looks separated by ';', tab or '|': use commas)"
        problems.append(f"missing column(s) {missing}; found {header[:20]}{hint}")
    extra = [h for h in header if h not in required]
    if extra and not schema.extra_columns_allowed:
        hint = " (an unnamed first column usually means the index was written: use index=False)" if any(
            h == "" or h.startswith("Unnamed") for h in extra) else ""
        problems.append(f"unexpected column(s) {_examples(extra)}; expected exactly {required}{hint}")
    return problems


NUMERIC_KINDS = ("float", "int", "probability")
# Spellings of "missing" in numeric columns (pandas' defaults); text columns treat only "" as missing.
NUMERIC_NA = ["", "nan", "NaN", "NAN", "-nan", "-NaN", "NA", "N/A", "n/a", "NULL", "null", "None", "<NA>", "#N/A"]


def _coerce_floats(values: Any) -> Any:
    """Text cells -> floats, NaN where a cell is not a number (slow path, only for bad columns)."""
    try:
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, copy=True)
    except (OverflowError, TypeError, ValueError):  # e.g. a 400-digit integer
        def one(v: Any) -> float:
            try:
                return float(v)
            except (TypeError, ValueError, OverflowError):
                return float("nan")

        return np.array([one(v) for v in values], dtype=float)


def _check_column(col: Column, values: Any, first_row: int, found: _Findings) -> None:
    """Values of one column in one chunk: numbers already parsed by pandas when the column was
    clean (the fast path), else strings; NaN where the cell was empty/missing."""
    rows = np.arange(first_row, first_row + len(values))
    if col.kind in NUMERIC_KINDS:
        if pd.api.types.is_numeric_dtype(values.dtype):
            numbers = values.to_numpy(dtype=float)
        else:  # some cells are not numbers: find which
            numbers = _coerce_floats(values)
            not_number = values.notna().to_numpy() & np.isnan(numbers)
            found.add(f"non-numeric values in column '{col.name}'", int(not_number.sum()),
                      [f"row {r} {str(v)[:40]!r}" for r, v in zip(rows[not_number][:EXAMPLES], values[not_number])])
            numbers[not_number] = 0.0  # reported once; keep them out of the NaN/range checks
        nan = np.isnan(numbers)
        if nan.any() and not col.nullable:
            found.add(f"empty or NaN values in column '{col.name}'", int(nan.sum()),
                      [f"row {r}" for r in rows[nan][:EXAMPLES]])
        _check_range(col, numbers, rows, found)
        return
    empty = values.isna().to_numpy()
    if empty.any() and not col.nullable:
        found.add(f"empty values in column '{col.name}'", int(empty.sum()),
                  [f"row {r}" for r in rows[empty][:EXAMPLES]])
    if col.kind == "label" and col.allowed is not None:
        bad = ~empty & ~values.isin(col.allowed).to_numpy()
        if bad.any():  # forgive surrounding spaces, as the metrics do
            bad[bad] = ~values[bad].str.strip().isin(col.allowed).to_numpy()
        if bad.any():
            found.add(f"labels not allowed in column '{col.name}' (allowed: {_examples(col.allowed, 8)})",
                      int(bad.sum()), [f"row {r} {v[:40]!r}" for r, v in zip(rows[bad][:EXAMPLES], values[bad])])


def _check_range(col: Column, numbers: Any, rows: Any, found: _Findings) -> None:
    low = 0.0 if col.kind == "probability" and col.low is None else col.low
    high = 1.0 if col.kind == "probability" and col.high is None else col.high
    with np.errstate(invalid="ignore"):
        inf = np.isinf(numbers)
        bad = inf.copy()
        if low is not None:
            bad |= numbers < low
        if high is not None:
            bad |= numbers > high
        if col.kind == "int":
            bad |= np.isfinite(numbers) & (numbers != np.round(numbers))
    if bad.any():
        what = f"in [{low}, {high}]" if (low, high) != (None, None) else "finite"
        what += " and whole numbers" if col.kind == "int" else ""
        found.add(f"values of column '{col.name}' must be {what}", int(bad.sum()),
                  [f"row {r} {float(v)!r}" for r, v in zip(rows[bad][:EXAMPLES], numbers[bad])])


def _check_sums(comp: Competition, chunk: Any, first_row: int, found: _Findings) -> None:
    cols = list(comp.schema.rows_sum_to_one)
    numbers = np.stack([_coerce_floats(chunk[c]) for c in cols], axis=1)
    numbers = np.nan_to_num(numbers, nan=0.0)  # NaN cells are reported by the column checks
    with np.errstate(invalid="ignore"):
        sums = numbers.sum(axis=1)
        bad = ~(np.abs(sums - 1.0) <= comp.schema.sum_tolerance)
    if bad.any():
        rows = np.arange(first_row, first_row + len(chunk))[bad]
        found.add(f"probabilities in {len(cols)} columns must sum to 1 per row "
                  f"(tolerance {comp.schema.sum_tolerance})", int(bad.sum()),
                  [f"row {r} sums to {s:.6g}" for r, s in zip(rows[:EXAMPLES], sums[bad])])


def _scan_rows(path: Path, comp: Competition, expected: Expected, found: _Findings) -> tuple[int, list[Any], bool]:
    """Parse in chunks; returns (rows read, id chunks, stopped_early)."""
    schema = comp.schema
    limit = expected.rows if expected.ids is None else len(expected.ids)
    limit = MAX_ROWS_WITHOUT_ANSWERS if limit is None else limit
    numeric = {c.name for c in schema.columns if c.kind in NUMERIC_KINDS}
    header = _read_header(path)
    # numeric columns are parsed by pandas' C parser (fast); everything else stays text
    dtype = {name: object for name in header if name not in numeric}
    na_values = {name: (NUMERIC_NA if name in numeric else [""]) for name in header}
    reader = pd.read_csv(path, dtype=dtype, keep_default_na=False, na_values=na_values, encoding="utf-8-sig",
                         index_col=False, chunksize=CHUNK_ROWS, on_bad_lines="error")
    count, ids = 0, []
    with reader, warnings.catch_warnings():
        # pandas only warns (and drops data) when a row has more fields than the header
        warnings.simplefilter("error", pd.errors.ParserWarning)
        for chunk in reader:
            first_row = count + 1
            count += len(chunk)
            if count > limit:
                return count, ids, True
            for col in schema.columns:
                _check_column(col, chunk[col.name], first_row, found)
            if schema.rows_sum_to_one:
                _check_sums(comp, chunk, first_row, found)
            if schema.id_column is not None:
                ids.append(chunk[schema.id_column].fillna("").to_numpy(dtype=object))
    return count, ids, False


def _id_problems(id_chunks: list[Any], expected: Expected, id_column: str, repeats: bool = False) -> list[str]:
    if not id_chunks:
        return []
    ids = np.concatenate(id_chunks).tolist()
    got = set(ids)  # plain Python sets: the cheapest hashing of a million strings
    problems = []
    if len(got) != len(ids) and not repeats:
        series = pd.Series(ids, dtype=object)
        dup = series[series.duplicated()]
        problems.append(f"{len(dup)} duplicated id(s) in column '{id_column}', e.g. {_examples(dup.unique())}")
    if expected.ids is not None:
        missing, extra = expected.ids - got, got - expected.ids
        if missing:
            problems.append(f"{len(missing)} id(s) of the test set are missing, e.g. {_examples(missing)}")
        if extra:
            problems.append(f"{len(extra)} id(s) are not in the test set, e.g. {_examples(extra)}")
    return problems


def format_problems(path: Path, comp: Competition, expected: Expected | None = None, *,
                    max_bytes: int = MAX_BYTES) -> list[str]:
    """What differs from `comp.schema` and the expected ids/row count; never raises for a bad file."""
    try:
        return _validate(Path(path), comp, expected or Expected(), max_bytes)
    except Exception as exc:  # a parser corner we did not foresee must still not be a traceback
        logger.exception("validator failed on %s", path)
        return [f"the file could not be read as CSV ({type(exc).__name__}: {str(exc)[:200]})"]


def validate_submission(
    path: Path, comp: Competition, expected: Expected | None = None, *, max_bytes: int = MAX_BYTES,
) -> ValidationResult:
    """The format checks as a verdict (competitions without a grader). Never raises for a bad file."""
    problems = format_problems(path, comp, expected, max_bytes=max_bytes)
    if problems:
        return _result(False, "Invalid submission: " + "; ".join(problems))
    return _result(True, "Submission is valid.")


def grader_verdict(path: Path, comp: Competition, answers: pd.DataFrame, expected: Expected | None = None, *,
                   max_bytes: int = MAX_BYTES) -> ValidationResult:
    """MLE-bench's verdict: valid when the competition's grader scores the file; the format checks
    add warnings. Files over `max_bytes` are refused unread (a deliberate deviation: memory)."""
    path = Path(path)
    if path.is_symlink():  # the harness validates its own copies; a link is refused, never followed
        return _result(False, f"Invalid submission: {path.name} is a symbolic link, not a regular file")
    if not path.is_file() or path.suffix.lower() != ".csv":
        return _result(False, f"Invalid submission: no .csv file at {path}")
    if path.stat().st_size > max_bytes:
        return _result(False, f"Invalid submission: the file is over the {max_bytes / 2**20:.0f} MiB limit")
    try:
        comp.grade_fn(read_frame(path), answers.copy(deep=True))
    except InvalidSubmissionError as exc:
        return _result(False, f"Invalid submission: {exc}")
    except Exception as exc:  # MLE-bench counts any grader failure as an invalid submission
        logger.warning("the grader of %s failed on %s: %s: %s", comp.id, path, type(exc).__name__, exc)
        return _result(False, f"Invalid submission: grading it failed ({type(exc).__name__}: {str(exc)[:300]})")
    warnings = format_problems(path, comp, expected, max_bytes=max_bytes)
    if warnings:
        return _result(True, "Submission is valid. Warnings (it is scored anyway): " + "; ".join(warnings))
    return _result(True, "Submission is valid.")


def _validate(path: Path, comp: Competition, expected: Expected, max_bytes: int) -> list[str]:
    # The harness hands the validator its own private copy (sandbox.Sandbox.validate, the validation
    # server, bench.grade), never the agent's file: a link here is refused, not followed.
    if path.is_symlink():
        return [f"{path.name} is a symbolic link; the submission must be a regular file"]
    if not path.is_file():
        return [f"no file at {path}; write your predictions to this path"]
    if path.suffix.lower() != ".csv":
        return [f"the submission must be a .csv file, got {path.name!r}"]
    size = path.stat().st_size
    if size == 0:
        return ["the file is empty; it needs a header row and one row per test example"]
    if size > max_bytes:
        return [f"the file is {size / 2**20:.0f} MiB, over the {max_bytes / 2**20:.0f} MiB limit; "
                "a submission holds one row per test example only"]
    if (problem := _scan_bytes(path)) is not None:
        return [problem]
    try:
        header = _read_header(path)
    except csv.Error as exc:
        return [f"the header row could not be parsed as CSV ({exc})"]
    if not header:
        return ["the file has no header row"]
    if problems := _header_problems(header, comp):
        return problems
    found = _Findings()
    try:
        count, id_chunks, stopped = _scan_rows(path, comp, expected, found)
    except pd.errors.ParserWarning:
        return ["some rows have more fields than the header; every row needs exactly "
                f"{len(header)} comma-separated fields (quote text that contains commas)"]
    except (pd.errors.ParserError, csv.Error, UnicodeDecodeError) as exc:
        return [f"the file is not a well-formed CSV ({str(exc).strip()[:200]})"]
    want = len(expected.ids) if expected.ids is not None else expected.rows
    if stopped:
        limit = want if want is not None else MAX_ROWS_WITHOUT_ANSWERS
        return [f"the file has more than {limit} rows (stopped reading at row {count}); "
                f"expected {want if want is not None else 'fewer'} rows, one per test example"]
    if count == 0:
        return ["the file has a header but no rows"]
    problems = found.messages()
    if want is not None and count != want:
        problems.insert(0, f"the file has {count} rows but {want} were expected (one per test example)")
    if comp.schema.id_column is not None:
        problems.extend(_id_problems(id_chunks, expected, comp.schema.id_column, comp.schema.ids_repeat))
    return problems


def answers_path(comp: Competition, data_dir: Path) -> Path:
    return Path(data_dir) / comp.id / "prepared" / "private" / comp.schema.answers_file


def read_answers(comp: Competition, data_dir: Path, id_only: bool = False) -> Any:
    """The private answers as a DataFrame (ids as text); FileNotFoundError says how to prepare."""
    path = answers_path(comp, data_dir)
    if not path.is_file():
        raise FileNotFoundError(f"answers not found at {path}; run `python -m bench prepare -c {comp.id}`")
    id_col = comp.schema.id_column
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    usecols = [id_col] if id_only and id_col is not None else None
    dtype = None if id_col is None else {id_col: object}
    return pd.read_csv(path, dtype=dtype, keep_default_na=False if id_only else True, usecols=usecols)


def expected_from_answers(comp: Competition, answers: Any) -> Expected:
    id_col = comp.schema.id_column
    if id_col is None:
        return Expected(rows=len(answers))
    return Expected(ids=frozenset(answers[id_col].astype(str).to_numpy(dtype=object).tolist()))


def load_expected(comp: Competition, data_dir: Path) -> Expected:
    """Ids (or the row count) the submission must match, read from the private answers (or from
    the sample, for a schema with `expected_ids_from_sample`). Answers in JSON lines describe the
    test examples, not the submission's rows (its grader checks those): nothing is expected of the
    rows then, and the file is not read here."""
    if answers_path(comp, data_dir).suffix == ".jsonl" and comp.grade_fn is not None:
        return Expected()
    if comp.schema.expected_ids_from_sample:
        return expected_from_sample(comp, data_dir)
    if comp.schema.ids_repeat:  # one row per (id, something else): the row count is what is known
        return Expected(rows=len(read_answers(comp, data_dir, id_only=True)))
    return expected_from_answers(comp, read_answers(comp, data_dir, id_only=True))


def read_grader_answers(comp: Competition, data_dir: Path) -> pd.DataFrame:
    """The private answers read as MLE-bench reads them (for `comp.grade_fn`)."""
    path = answers_path(comp, data_dir)
    if not path.is_file():
        raise FileNotFoundError(f"answers not found at {path}; run `python -m bench prepare -c {comp.id}`")
    if path.suffix == ".jsonl":
        return read_jsonl_records(path)
    return read_frame(path)


def read_jsonl_records(path: Path) -> pd.DataFrame:
    """A JSON-lines file as MLE-bench's `read_jsonl` gives it (one record per line, values as
    `json` parses them), held in a frame of Python objects so that it can be copied like the others."""
    with open(path, encoding="utf-8") as source:
        records = [json.loads(line) for line in source if line.strip()]
    return pd.DataFrame.from_records(records) if records else pd.DataFrame()


def make_validator(comp: Competition, data_dir: Path) -> Callable[[Path], ValidationResult]:
    """A `(path) -> ValidationResult` for the sandbox; the answers are read once, here."""
    expected = load_expected(comp, data_dir)
    if comp.grade_fn is None:
        return lambda path: validate_submission(Path(path), comp, expected)
    answers = read_grader_answers(comp, data_dir)
    return lambda path: grader_verdict(Path(path), comp, answers, expected)


def expected_from_sample(comp: Competition, data_dir: Path) -> Expected:
    """The sample submission's ids: what a submission is asked for when the answers score a subset."""
    side = "private" if comp.schema.sample_is_private else "public"
    path = Path(data_dir) / comp.id / "prepared" / side / comp.schema.sample_file
    if not path.is_file():
        raise FileNotFoundError(f"sample submission not found at {path}; run `python -m bench prepare -c {comp.id}`")
    sample = pd.read_csv(path, dtype={comp.schema.id_column: object}, keep_default_na=False,
                        usecols=[comp.schema.id_column])
    return expected_from_answers(comp, sample)
