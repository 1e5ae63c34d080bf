"""pandas 2's default CSV float parsing, reproduced (values recorded with pandas 2.3's read_csv)."""

from __future__ import annotations

import math

import pytest

from bench.pandas2_floats import parse_float, read_csv_pandas2

# text -> repr of what pandas 2.3's `pd.read_csv` gives; most differ from correct rounding
PANDAS2 = {
    "37.104900117153036": "37.10490011715304",
    "-53.566937316111094": "-53.56693731611109",
    "0.00000997209935789211": "9.9720993578e-06",
    "3.9161900052816124e-11": "3.916190005281613e-11",
    "-190896320356943382.52021300": "-1.9089632035694336e+17",
    "37.399938709042466": "37.39993870904247",
    "-122.10000304561181": "-122.1000030456118",
    "1.5": "1.5",
    "+2E3": "2000.0",
}


@pytest.mark.parametrize("text", sorted(PANDAS2))
def test_cells_parse_as_pandas2_parsed_them(text):
    assert repr(parse_float(text)) == PANDAS2[text]


def test_a_cell_without_digits_is_refused():
    with pytest.raises(ValueError):
        parse_float("-.")


def test_read_csv_pandas2_keeps_types_and_gaps(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("name,n,x\na,1,37.399938709042466\nb,2,\n")
    frame = read_csv_pandas2(path)
    assert list(frame["name"]) == ["a", "b"] and list(frame["n"]) == [1, 2]
    assert repr(float(frame["x"][0])) == "37.39993870904247" and math.isnan(frame["x"][1])
