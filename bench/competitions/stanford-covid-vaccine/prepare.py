"""stanford-covid-vaccine: MLE-bench's new test set drawn from Kaggle's train.json.

`int(0.1 * rows)` sequences are sampled (pandas `sample(n, random_state=0)`) among those with
`SN_filter > 0`; they become the test set, the rest the train set (both in file order). Private
`test.csv`: one row per base of each test sequence, `id_seqpos` = `<id>_<position>`, the five
targets, and `keep` (True for the first `seq_scored` positions, which carry the measurements; the
others are 0.0 and not scored). Public: `train.json` and `test.json` (JSON lines, the test rows with
test.json's columns only), each with `index` renumbered 0, 1, ...; `sample_submission.csv` (every
`id_seqpos`, all targets 0.0). Floats in the CSVs are written with 10 decimals, as MLE-bench does.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from bench.preparers import read_raw_bytes

TARGETS = ["reactivity", "deg_Mg_pH10", "deg_pH10", "deg_Mg_50C", "deg_50C"]
FLOATS = "%.10f"


def _json_lines(raw: Path, name: str) -> pd.DataFrame:
    return pd.read_json(io.BytesIO(read_raw_bytes(raw, name)), lines=True)


def _per_base(test: pd.DataFrame) -> pd.DataFrame:
    """One row per base: the measured targets for the scored positions, 0.0 for the rest."""
    records = []
    for _, row in test.iterrows():
        scored = row["seq_scored"]
        for position in range(row["seq_length"]):
            keep = position < scored
            values = {t: (row[t][position] if keep else 0.0) for t in TARGETS}
            records.append({"id_seqpos": f"{row['id']}_{position}", **values, "keep": keep})
    return pd.DataFrame(records)


def prepare(raw: Path, public: Path, private: Path) -> None:
    train = _json_lines(raw, "train.json")
    test_columns = _json_lines(raw, "test.json").columns
    chosen = train[train["SN_filter"] > 0].sample(n=int(len(train) * 0.1), random_state=0).index
    in_test = train.index.isin(chosen)
    new_train, new_test = train[~in_test].copy(), train[in_test].copy()
    answers = _per_base(new_test)
    answers.to_csv(private / "test.csv", index=False, float_format=FLOATS)
    new_train["index"] = range(len(new_train))
    new_train.to_json(public / "train.json", orient="records", lines=True)
    public_test = new_test[test_columns].copy()
    public_test["index"] = range(len(public_test))
    public_test.to_json(public / "test.json", orient="records", lines=True)
    sample = answers[["id_seqpos"] + TARGETS].copy()
    sample.loc[:, TARGETS] = 0.0
    sample.to_csv(public / "sample_submission.csv", index=False, float_format=FLOATS)
