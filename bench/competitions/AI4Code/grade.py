"""AI4Code: Kendall tau over the cells' positions, with MLE-bench's checks.

As MLE-bench: the row count, the `id` and `cell_order` columns, the same set of ids; both orders
written as text (an empty cell becomes "nan"), both frames sorted by `id` and paired by position;
each row's two orders must have the same number of cells and list the same cells (a cell of the
answer missing from the submission makes it invalid). Score = 1 - 4 * (total inversions) /
(sum over notebooks of n(n - 1)), the inversions of the submitted order counted against the true
one, summed over all notebooks before dividing.
"""

from __future__ import annotations

from bisect import bisect

import pandas as pd

from bench.errors import InvalidSubmissionError
from bench.graders import as_strings, require_rows, sort_by


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_rows(submission, answers)
    if "id" not in submission.columns or "cell_order" not in submission.columns:
        raise InvalidSubmissionError("the submission needs the columns 'id' and 'cell_order'")
    if set(submission["id"]) != set(answers["id"]):
        raise InvalidSubmissionError("the submission's ids must be the test notebooks' ids")
    sub, ans = sort_by(submission, "id"), sort_by(answers, "id")
    inversions = most = 0
    for submitted, true in zip(as_strings(sub["cell_order"].to_numpy()), as_strings(ans["cell_order"].to_numpy())):
        predicted_cells, true_cells = submitted.split(), true.split()
        if len(predicted_cells) != len(true_cells):
            raise InvalidSubmissionError("each notebook's cell_order must list as many cells as it has")
        position = {cell: i for i, cell in reversed(list(enumerate(predicted_cells)))}  # first occurrence wins
        if any(cell not in position for cell in true_cells):
            raise InvalidSubmissionError("each notebook's cell_order must list every one of its cells")
        inversions += _inversions([position[cell] for cell in true_cells])
        most += len(predicted_cells) * (len(predicted_cells) - 1)
    if most == 0:
        raise InvalidSubmissionError("no notebook has two cells to order")
    return 1 - 4 * inversions / most


def _inversions(ranks: list[int]) -> int:
    count, seen = 0, []
    for i, rank in enumerate(ranks):
        j = bisect(seen, rank)
        count += i - j
        seen.insert(j, rank)
    return count
