"""The metrics library against MLE-bench's graders on the edge cases of issue 11 (golden/metrics.json,
recorded with MLE-bench's own code by golden/make_metric_golden.py): tied scores in ALASKA2's
weighted AUC, empty TGS predictions, volcanic MAE rounding, HMS vote normalisation."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bench.metrics import get_metric
from bench.metrics.mlebench import MLEBENCH_METRICS

GOLDEN = json.loads((Path(__file__).parent / "golden" / "metrics.json").read_text())
HMS = ["seizure_vote", "lpd_vote", "gpd_vote", "lrda_vote", "grda_vote", "other_vote"]
COLUMNS = {  # id column, prediction columns
    "alaska2-image-steganalysis": ("Id", ["Label"]),
    "tgs-salt-identification-challenge": ("id", ["rle_mask"]),
    "predict-volcanic-eruptions-ingv-oe": ("segment_id", ["time_to_eruption"]),
    "hms-harmful-brain-activity-classification": ("eeg_id", HMS),
}


def _frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[])


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: f"{c['competition_id']}-{c['name']}")
def test_metric_equals_mle_bench(case):
    id_col, cols = COLUMNS[case["competition_id"]]
    sub = _frame(case["submission"]).sort_values(id_col)
    ans = _frame(case["answers"]).sort_values(id_col)
    use = MLEBENCH_METRICS[case["competition_id"]]
    y_true, y_pred = ans[cols].to_numpy(), sub[cols].to_numpy()
    if len(cols) == 1:
        y_true, y_pred = y_true.ravel(), y_pred.ravel()
    score = get_metric(use.metric)(y_true, y_pred, **use.params)
    assert round(score, 5) == case["score"]


def test_the_edge_cases_the_issue_names_are_covered():
    names = {(c["competition_id"], c["name"]) for c in GOLDEN["cases"]}
    assert ("alaska2-image-steganalysis", "ties_one_decimal") in names
    assert ("tgs-salt-identification-challenge", "empty_predictions") in names
    assert ("hms-harmful-brain-activity-classification", "uniform") in names
    assert np.isfinite([c["score"] for c in GOLDEN["cases"]]).all()
