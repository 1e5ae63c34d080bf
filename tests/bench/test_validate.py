"""Format validation: each problem gets a precise message; valid files pass; memory stays bounded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bench.validate import Expected, load_expected, make_validator, validate_submission
from tests.bench.grading_helpers import BINARY, LABELS, MULTI, REGRESSION, make_comp, write_data

IDS = [f"id{i}" for i in range(20)]
EXPECTED = Expected(ids=frozenset(IDS))


def _write(tmp_path: Path, text: str | bytes, name: str = "submission.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def _csv(rows: dict, tmp_path: Path) -> Path:
    path = tmp_path / "submission.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def check(path: Path, schema=BINARY, expected=EXPECTED, **kw):
    return validate_submission(path, make_comp(schema), expected, **kw)


def test_valid_submission_passes_and_result_is_sandbox_type(tmp_path):
    from sandbox.config import ValidationResult

    res = check(_csv({"id": IDS[::-1], "target": np.linspace(0, 1, 20)}, tmp_path))
    assert isinstance(res, ValidationResult)
    assert res.valid and res.message == "Submission is valid."


@pytest.mark.parametrize("content,needle", [
    (b"", "empty"),
    (b"id,target\n", "header but no rows"),
    ("id,target\nid0,0.5\n".encode("utf-16"), "UTF-16"),
    (b"id,target\nid0,\xe9t\xe9\n", "not valid UTF-8"),
    (b"PK\x03\x04\x00\x00binary", "binary"),
    (b"id;target\nid0;0.5\n", "separated by ';'"),
    (b"id,target,target\n", "duplicated column"),
    (b"id,target\nid0,\"0.5\n", "not a well-formed CSV"),
    (b"id,target\nid0,0.5,7\n", "more fields than the header"),
    (b"id,target\nid0,0.5\nid1,0.5,7\n", "Expected 2 fields in line 3"),
])
def test_file_level_problems(tmp_path, content, needle):
    res = check(_write(tmp_path, content))
    assert not res.valid and needle in res.message, res.message


def test_missing_file_and_wrong_suffix(tmp_path):
    assert "no file at" in check(tmp_path / "nope.csv").message
    res = check(_write(tmp_path, "id,target\n", name="submission.parquet"))
    assert not res.valid and ".csv" in res.message


def test_missing_and_extra_columns_with_index_hint(tmp_path):
    res = check(_csv({"id": IDS, "prob": 0.5}, tmp_path))
    assert "missing column(s) ['target']" in res.message and "unexpected column(s) 'prob'" in res.message
    path = tmp_path / "submission.csv"
    pd.DataFrame({"id": IDS, "target": 0.5}).to_csv(path)  # index written
    assert "index=False" in check(path).message


def test_missing_extra_and_duplicated_ids_with_five_examples(tmp_path):
    ids = IDS[:12] + [f"zz{i}" for i in range(7)] + ["id0"]
    res = check(_csv({"id": ids, "target": 0.5}, tmp_path))
    assert not res.valid
    assert "8 id(s) of the test set are missing" in res.message
    assert "7 id(s) are not in the test set, e.g. 'zz0', 'zz1', 'zz2', 'zz3', 'zz4' (and 2 more)" in res.message
    assert "1 duplicated id(s)" in res.message and "'id0'" in res.message


def test_wrong_row_count(tmp_path):
    res = check(_csv({"id": IDS[:15], "target": 0.5}, tmp_path))
    assert "has 15 rows but 20 were expected" in res.message
    res = check(_csv({"id": IDS + ["x"] * 5, "target": 0.5}, tmp_path))
    assert "more than 20 rows" in res.message


def test_nan_empty_non_numeric_and_out_of_range(tmp_path):
    values = ["0.5"] * 20
    values[3], values[4], values[5], values[6] = "nan", "", "abc", "1.5"
    res = check(_csv({"id": IDS, "target": values}, tmp_path))
    assert not res.valid
    assert "empty or NaN values in column 'target': 2 row(s), e.g. row 4, row 5" in res.message
    assert "non-numeric values in column 'target': 1 row(s), e.g. row 6 'abc'" in res.message
    assert "must be in [0.0, 1.0]: 1 row(s), e.g. row 7 1.5" in res.message
    res = check(_csv({"id": IDS, "y": [-1.0] + [1.0] * 19}, tmp_path), schema=REGRESSION)
    assert "values of column 'y' must be in [0.0, None]" in res.message
    res = check(_csv({"id": IDS, "y": ["inf"] + [1.0] * 19}, tmp_path), schema=REGRESSION)
    assert not res.valid and "row 1 inf" in res.message


def test_labels_not_in_allowed_set(tmp_path):
    ids = [str(i) for i in range(20)]
    labels = ["True"] * 18 + ["yes", "1"]
    res = check(_csv({"PassengerId": ids, "Transported": labels}, tmp_path), schema=LABELS,
                expected=Expected(ids=frozenset(ids)))
    assert "labels not allowed in column 'Transported'" in res.message and "'yes'" in res.message
    assert "2 row(s)" in res.message


def test_rows_must_sum_to_one(tmp_path):
    probs = np.full((20, 3), 1 / 3)
    probs[2] = [0.5, 0.5, 0.5]
    res = check(_csv({"id": IDS, "A": probs[:, 0], "B": probs[:, 1], "C": probs[:, 2]}, tmp_path), schema=MULTI)
    assert "must sum to 1" in res.message and "row 3 sums to 1.5" in res.message
    probs[2] = [0.2, 0.3, 0.5]
    assert check(_csv({"id": IDS, "A": probs[:, 0], "B": probs[:, 1], "C": probs[:, 2]}, tmp_path),
                 schema=MULTI).valid


def test_row_order_competition_counts_rows(tmp_path):
    from bench.competition import Column, SubmissionSchema

    schema = SubmissionSchema(id_column=None, columns=(Column("fare", "float"),))
    assert check(_csv({"fare": [1.0] * 5}, tmp_path), schema=schema, expected=Expected(rows=5)).valid
    assert "has 4 rows but 5" in check(_csv({"fare": [1.0] * 4}, tmp_path), schema=schema,
                                       expected=Expected(rows=5)).message


def test_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "submission.csv"
    with path.open("wb") as handle:  # sparse 2 GiB file: costs no disk, must not be read
        handle.truncate(2 * 1024 ** 3)
    res = check(path)
    assert not res.valid and "2048 MiB, over the 1024 MiB limit" in res.message


def test_many_rows_stop_early_with_bounded_memory(tmp_path):
    import tracemalloc

    path = tmp_path / "submission.csv"
    path.write_text("id,target\n" + "".join(f"id{i},0.5\n" for i in range(1_500_000)))
    tracemalloc.start()
    res = check(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not res.valid and "more than 20 rows" in res.message
    assert peak < 200 * 2 ** 20  # one chunk, not the whole file


def test_make_validator_reads_ids_from_answers(tmp_path):
    comp = make_comp(BINARY)
    root = write_data(tmp_path / "data", comp, pd.DataFrame({"id": IDS, "target": [0, 1] * 10}), None)
    assert load_expected(comp, root).ids == frozenset(IDS)
    validator = make_validator(comp, root)
    assert validator(_csv({"id": IDS, "target": 0.5}, tmp_path)).valid
    assert not validator(_csv({"id": IDS[:-1], "target": 0.5}, tmp_path)).valid
    with pytest.raises(FileNotFoundError, match="bench prepare -c other"):
        make_validator(make_comp(BINARY, cid="other"), root)


def test_jsonl_answers_are_read_as_records_of_parsed_values(tmp_path):
    from bench.validate import read_jsonl_records

    path = tmp_path / "test.jsonl"
    path.write_text('{"example_id": "-12", "annotations": [{"yes_no_answer": "NONE"}]}\n\n'
                    '{"example_id": "7", "annotations": []}\n', encoding="utf-8")
    frame = read_jsonl_records(path)
    assert frame["example_id"].tolist() == ["-12", "7"]  # text stays text, as json.loads gives it
    assert frame["annotations"].tolist() == [[{"yes_no_answer": "NONE"}], []]
