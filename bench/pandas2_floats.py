"""Floats parsed as pandas 2's default CSV reader parses them, for preparers that must match
MLE-bench's bytes where MLE-bench calls `pd.read_csv` without `float_precision="round_trip"`.

pandas 2's default ("high") C converter does not round correctly: it accumulates at most 17
significant digits into a double, one digit at a time (`x * 10 + digit`), then multiplies or
divides once by the power of ten the exponent asks for. So `37.399938709042466` reads as
37.39993870904247, one unit in the last place away from the nearest double. pandas 3 reads every
float correctly rounded and ignores the `float_precision` option, so the same file written back
would differ; `read_csv_pandas2` re-parses the float columns with the old arithmetic.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bench.graders import read_frame

MAX_DIGITS = 17
_WHITESPACE = " \t\n\v\f\r"


def _power_of_ten(exponent: int) -> float:
    return float(f"1e{exponent}")  # the double nearest 10**exponent, as the C literal table holds


def _digits(text: str, at: int) -> int:
    end = at
    while end < len(text) and "0" <= text[end] <= "9":
        end += 1
    return end


def parse_float(text: str) -> float:
    """One cell as pandas 2's default converter reads it (plain decimal notation, `.` decimal
    point); ValueError for a cell without digits."""
    s = text.strip(_WHITESPACE)
    at, negative = 0, False
    if s[:1] in ("-", "+"):
        negative, at = s[0] == "-", 1
    number, exponent, used = 0.0, 0, 0
    end = _digits(s, at)
    for ch in s[at:end]:
        if used < MAX_DIGITS:
            number, used = number * 10.0 + (ord(ch) - 48), used + 1
        else:
            exponent += 1
    at = end
    if s[at:at + 1] == ".":
        end = _digits(s, at + 1)
        decimals = s[at + 1:end][:max(0, MAX_DIGITS - used)]
        for ch in decimals:
            number = number * 10.0 + (ord(ch) - 48)
        used, exponent, at = used + len(decimals), exponent - len(decimals), end
    if used == 0:
        raise ValueError(f"no digits in {text!r}")
    number = -number if negative else number
    if s[at:at + 1] in ("e", "E"):
        sign, at = (-1, at + 2) if s[at + 1:at + 2] == "-" else (1, at + 2 if s[at + 1:at + 2] == "+" else at + 1)
        end = _digits(s, at)
        exponent += sign * int(s[at:end][:MAX_DIGITS] or 0)
    if exponent > 308:
        return float("-inf") if negative else float("inf")
    if exponent > 0:
        return number * _power_of_ten(exponent)
    if exponent < -308:
        return 0.0 * number if exponent < -616 else number / _power_of_ten(-308 - exponent) / _power_of_ten(308)
    return number / _power_of_ten(-exponent)


def read_csv_pandas2(path: Path) -> pd.DataFrame:
    """`pd.read_csv(path)` as pandas 2 reads it by default: pandas' own type inference, and the
    float columns' cells parsed with pandas 2's arithmetic."""
    frame = read_frame(path)
    floats = [c for c in frame.columns if frame[c].dtype == np.float64]
    if floats:
        text = pd.read_csv(path, dtype=str, usecols=floats)
        for column in floats:
            frame[column] = [np.nan if pd.isna(v) else parse_float(v) for v in text[column]]
    return frame
