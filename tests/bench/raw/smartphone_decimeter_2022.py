"""Synthetic raw files of smartphone-decimeter-2022 in Kaggle's layout: train/<drive>/<phone>/
(device_gnss.csv, device_imu.csv, ground_truth.csv, supplemental/<phone>.22o), test/<drive>/<phone>/
(no ground truth), metadata/*.json and sample_submission.csv. Drives span a dozen dates, a few
positions each."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, table, text_of
from tests.bench.raw._files import csv_bytes

PHONES = ["GooglePixel4", "SamsungGalaxyS20Ultra", "XiaomiMi8"]


def _phone_files(rng: np.random.Generator, prefix: str, phone: str, start: int, truth: bool) -> dict[str, bytes]:
    n = 5
    times = start + 1000 * np.arange(n)
    gnss = pd.DataFrame({"MessageType": "Raw", "utcTimeMillis": times - 18_000, "Svid": rng.integers(1, 32, n),
                         "Cn0DbHz": np.round(rng.normal(30, 5, n), 2),
                         "WlsPositionXEcefMeters": rng.normal(-2_700_000, 10, n)})
    imu = pd.DataFrame({"MessageType": "UncalAccel", "utcTimeMillis": times, "MeasurementX": rng.normal(0, 1, n)})
    files = {f"{prefix}/{phone}/device_gnss.csv": csv_bytes(gnss), f"{prefix}/{phone}/device_imu.csv": csv_bytes(imu),
             f"{prefix}/{phone}/supplemental/{phone}.22o": b"     3.03           OBSERVATION DATA\n"}
    if truth:
        ground = pd.DataFrame({"MessageType": "Fix", "Provider": "GT",
                               "LatitudeDegrees": 37.4 + np.cumsum(rng.normal(0, 1e-4, n)),
                               "LongitudeDegrees": -122.1 + np.cumsum(rng.normal(0, 1e-4, n)),
                               "AltitudeMeters": rng.normal(10, 2, n), "SpeedMps": rng.random(n) * 20,
                               "AccuracyMeters": 0.1, "BearingDegrees": rng.random(n) * 360, "UnixTimeMillis": times})
        files[f"{prefix}/{phone}/ground_truth.csv"] = csv_bytes(ground)
    return files


def build() -> dict[str, bytes]:
    rng = np.random.default_rng(80)
    dates = ["2020-05-15", "2020-5-21", "2020-07-08", "2020-08-03", "2020-12-10", "2021-01-04", "2021-03-10",
             "2021-04-15", "2021-04-28", "2021-07-19", "2021-12-07", "2022-01-11"]
    files: dict[str, bytes] = {}
    start = 1_273_608_785_432
    for i, date in enumerate(dates):
        for route in (["US-MTV-1", "US-SJC-1"] if i % 4 == 0 else ["US-MTV-1"]):
            for phone in rng.choice(PHONES, 1 + i % 2, replace=False):
                files.update(_phone_files(rng, f"train/{date}-{route}", str(phone), start, True))
                start += 86_400_000
    test_trip = "2022-04-01-US-LAX-1"
    files.update(_phone_files(rng, f"test/{test_trip}", "GooglePixel6Pro", start, False))
    files["sample_submission.csv"] = csv_bytes(pd.DataFrame({
        "tripId": f"{test_trip}/GooglePixel6Pro", "UnixTimeMillis": start + 1000 * np.arange(5),
        "LatitudeDegrees": 37.904611315634504, "LongitudeDegrees": -86.48107806249548}))
    files["metadata/raw_state_bit_map.json"] = json.dumps({"0": "STATE_CODE_LOCK"}).encode()
    files["metadata/accumulated_delta_range_state_bit_map.json"] = json.dumps({"0": "ADR_STATE_VALID"}).encode()
    return files


def _reversed_in_trip(answers: str, sample: str, spec: dict) -> str:
    """Exact positions, each trip's rows in reverse time order: rows pair by position, so it is wrong."""
    frame = submission(answers, spec)
    order = frame.groupby("tripId", sort=False).apply(lambda g: g.index[::-1].to_series()).to_numpy()
    return text_of(frame.loc[order])


def _one_metre_north(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    frame["LatitudeDegrees"] = [repr(float(v) + 1 / 111_195) for v in frame["LatitudeDegrees"]]
    return text_of(frame)


def _trip_missing_row(answers: str, sample: str, spec: dict) -> str:
    """Right row count overall, but one trip short and another one long."""
    frame = submission(answers, spec)
    trips = list(dict.fromkeys(table(answers)["tripId"]))
    if len(trips) > 1:
        frame.at[0, "tripId"] = trips[1]
    return text_of(frame)


def _nan_latitude(answers: str, sample: str, spec: dict) -> str:
    """An empty latitude: MLE-bench scores it NaN (valid, never a medal)."""
    frame = submission(answers, spec)
    frame.at[0, "LatitudeDegrees"] = ""
    return text_of(frame)


CASES = {"reversed_in_trip": _reversed_in_trip, "one_metre_north": _one_metre_north,
         "trip_missing_row": _trip_missing_row, "nan_latitude": _nan_latitude}
