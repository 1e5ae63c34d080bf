"""nomad2018-predict-transparent-conductors: mean of the two targets' RMSLE, with MLE-bench's checks.

MLE-bench pairs the rows by position, not by id (the submission must list the test materials in
the order of `test.csv`); scikit-learn refuses negative values.
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import root_mean_squared_log_error

from bench.graders import computed, require_columns, require_rows

TARGETS = ["formation_energy_ev_natom", "bandgap_energy_ev"]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, TARGETS)
    require_rows(submission, answers)
    scores = [computed(root_mean_squared_log_error, answers[t], submission[t]) for t in TARGETS]
    return (scores[0] + scores[1]) / 2
