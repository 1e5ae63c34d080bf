"""A schema with `expected_ids_from_sample`: the validator expects the sample's ids, not the answers'.

H&M's answers hold only the customers who bought in the test week; expecting the answers' ids
would make the validator's warnings name the buyers (the answers) to the agent.
"""

from __future__ import annotations

from pathlib import Path

from bench.registry import get_competition
from bench.validate import make_validator

CID = "h-and-m-personalized-fashion-recommendations"
CUSTOMERS = ["a" * 64, "b" * 64, "c" * 64]
BUYER = CUSTOMERS[1]


def _data_dir(tmp_path: Path) -> Path:
    prepared = tmp_path / CID / "prepared"
    (prepared / "private").mkdir(parents=True)
    (prepared / "public").mkdir()
    (prepared / "private" / "answers.csv").write_text(f"customer_id,prediction\n{BUYER},706016001 568601043\n")
    rows = "".join(f"{c},0706016001 0568601043\n" for c in CUSTOMERS)
    (prepared / "public" / "sample_submission.csv").write_text("customer_id,prediction\n" + rows)
    return tmp_path


def _submission(tmp_path: Path, customers: list[str]) -> Path:
    path = tmp_path / "submission.csv"
    path.write_text("customer_id,prediction\n" + "".join(f"{c},706016001\n" for c in customers))
    return path


def test_every_customer_of_the_sample_is_valid_without_warnings(tmp_path):
    validator = make_validator(get_competition(CID), _data_dir(tmp_path))
    result = validator(_submission(tmp_path, CUSTOMERS))
    assert result.valid and result.message == "Submission is valid."


def test_warnings_name_only_sample_ids_never_single_out_the_buyers(tmp_path):
    validator = make_validator(get_competition(CID), _data_dir(tmp_path))
    result = validator(_submission(tmp_path, [BUYER]))
    assert result.valid  # MLE-bench scores any superset of the buyers
    assert CUSTOMERS[0] in result.message and BUYER not in result.message


def test_missing_buyer_is_invalid(tmp_path):
    validator = make_validator(get_competition(CID), _data_dir(tmp_path))
    assert not validator(_submission(tmp_path, [CUSTOMERS[0], CUSTOMERS[2]])).valid


def test_repeated_trip_ids_are_not_warned_about(tmp_path):
    """smartphone-decimeter-2022 has one row per timestamp of a trip (`ids_repeat`)."""
    cid = "smartphone-decimeter-2022"
    prepared = tmp_path / cid / "prepared"
    (prepared / "private").mkdir(parents=True)
    rows = "tripId,UnixTimeMillis,LatitudeDegrees,LongitudeDegrees\n" + "".join(
        f"{trip},{1000 * t},37.4,-122.1\n" for trip in ("d-1-Pixel4", "d-2-Pixel5") for t in range(3))
    (prepared / "private" / "test.csv").write_text(rows)
    path = tmp_path / "submission.csv"
    path.write_text(rows)
    validator = make_validator(get_competition(cid), tmp_path)
    assert validator(path).message == "Submission is valid."
    path.write_text(rows + "d-2-Pixel5,4000,37.4,-122.1\n")
    assert not validator(path).valid  # the grader's verdict: a row too many
