"""stanford-covid-vaccine: mean column-wise RMSE of the three scored targets, as MLE-bench grades.

MLE-bench checks the row count and the five target columns, sorts both files by `id_seqpos`,
requires the ids to agree row by row, then selects the scored rows with the answers' `keep`
column. That selection is a boolean Series, which pandas aligns by row label, and the labels are
the rows' positions in each file before sorting: a submission in the answers' row order is scored
as expected, one in another order is scored on mismatched rows (bench/DEVIATIONS.md K-F3).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import root_mean_squared_error

from bench.errors import InvalidSubmissionError
from bench.graders import computed, ids, require_columns, require_rows, sort_by

SCORED = ["reactivity", "deg_Mg_pH10", "deg_Mg_50C"]
REQUIRED = ["id_seqpos"] + SCORED + ["deg_pH10", "deg_50C"]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    require_columns(submission, REQUIRED)
    sub = sort_by(submission[REQUIRED], "id_seqpos")
    ans = sort_by(answers, "id_seqpos")
    if (ids(sub, "id_seqpos") != ids(ans, "id_seqpos")).any():
        raise InvalidSubmissionError("the submission's id_seqpos values must be the test set's")
    keep = ans["keep"]
    # MLE-bench's `sub[keep]`: pandas aligns the mask by row label (both files have labels 0..n-1)
    sub, ans = sub[keep.reindex(sub.index).to_numpy(dtype=bool)], ans[keep.to_numpy(dtype=bool)]
    return float(np.mean([computed(root_mean_squared_error, ans[c], sub[c]) for c in SCORED]))
