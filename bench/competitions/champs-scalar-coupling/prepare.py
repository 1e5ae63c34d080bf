"""champs-scalar-coupling: MLE-bench's split of Kaggle's train.csv by molecule.

The molecules (`molecule_name`, in sorted order) are split with `train_test_split(test_size=0.1,
random_state=0)`; each part holds the rows of its molecules, molecule after molecule in the
split's order. Public: `train.csv`, `test.csv` (without the target), `sample_submission.csv`
(`id,scalar_coupling_constant` = 0), the six per-molecule tables filtered to the train molecules,
and `structures/<molecule>.xyz` of the train molecules; private: `answers.csv` (the test rows with
the target).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from bench.preparers import FileSource, read_table, scratch_for, split

logger = logging.getLogger(__name__)

TARGET = "scalar_coupling_constant"
TRAIN_ONLY_TABLES = ("structures", "dipole_moments", "magnetic_shielding_tensors", "mulliken_charges",
                     "potential_energy", "scalar_coupling_contributions")
LOG_EVERY = 10_000


def prepare(raw: Path, public: Path, private: Path) -> None:
    table = read_table(raw, "train.csv")
    molecules = sorted(table.groupby("molecule_name").indices.items())
    train_molecules, test_molecules = split(np.arange(len(molecules)), 0.1, 0)
    train = table.iloc[np.concatenate([molecules[m][1] for m in train_molecules])]
    answers = table.iloc[np.concatenate([molecules[m][1] for m in test_molecules])]
    answers.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    answers.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    answers[["id"]].assign(**{TARGET: 0}).to_csv(public / "sample_submission.csv", index=False)
    for name in TRAIN_ONLY_TABLES:  # one at a time: the largest has millions of rows
        extra = read_table(raw, f"{name}.csv")
        extra[extra["molecule_name"].isin(train["molecule_name"])].to_csv(public / f"{name}.csv", index=False)
    _copy_structures(raw, public / "structures", list(train["molecule_name"].unique()), scratch_for(private))


def _copy_structures(raw: Path, dest: Path, molecules: list[str], scratch: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    with FileSource(raw, "structures", scratch=scratch) as files:
        for done, molecule in enumerate(molecules, 1):
            (dest / f"{molecule}.xyz").write_bytes(files.read(f"{molecule}.xyz"))
            if done % LOG_EVERY == 0:
                logger.info("structures: %d of %d files copied", done, len(molecules))
