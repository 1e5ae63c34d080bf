"""Synthetic raw files of champs-scalar-coupling in Kaggle's layout: train.csv, test.csv,
sample_submission.csv, structures.csv with one .xyz file per molecule under structures/, and the
five extra tables (train molecules only, as Kaggle ships them)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, table, text_of
from tests.bench.raw._files import csv_bytes

TYPES = ["1JHC", "2JHH", "3JHC"]
ATOMS = 4


def _pairs(rng: np.random.Generator, molecules: list[str], first_id: int) -> pd.DataFrame:
    rows = [(m, a, b) for m in molecules for a, b in ((0, 1), (0, 2), (1, 3))]
    frame = pd.DataFrame(rows, columns=["molecule_name", "atom_index_0", "atom_index_1"])
    frame.insert(0, "id", range(first_id, first_id + len(frame)))
    frame["type"] = rng.choice(TYPES, len(frame))
    return frame


def _structures(rng: np.random.Generator, molecules: list[str]) -> tuple[pd.DataFrame, dict[str, bytes]]:
    frame = pd.DataFrame([(m, i, "CHHH"[i]) for m in molecules for i in range(ATOMS)],
                         columns=["molecule_name", "atom_index", "atom"])
    frame[["x", "y", "z"]] = rng.normal(0, 1.5, (len(frame), 3))
    files = {}
    for m, atoms in frame.groupby("molecule_name", sort=False):
        lines = [str(ATOMS), ""] + [f"{a} {x:.8f} {y:.8f} {z:.8f}" for a, x, y, z in atoms[["atom", "x", "y", "z"]].values]
        files[f"structures/{m}.xyz"] = ("\n".join(lines) + "\n").encode()
    return frame, files


def _extras(rng: np.random.Generator, train: pd.DataFrame, molecules: list[str]) -> dict[str, pd.DataFrame]:
    atoms = pd.DataFrame([(m, i) for m in molecules for i in range(ATOMS)], columns=["molecule_name", "atom_index"])
    tensors = atoms.copy()
    for c in ["XX", "YX", "ZX", "XY", "YY", "ZY", "XZ", "YZ", "ZZ"]:
        tensors[c] = rng.normal(100, 40, len(atoms))
    contributions = train[["molecule_name", "atom_index_0", "atom_index_1", "type"]].copy()
    for c in ["fc", "sd", "pso", "dso"]:
        contributions[c] = rng.normal(0, 5, len(train))
    return {
        "dipole_moments": pd.DataFrame({"molecule_name": molecules, "X": rng.normal(0, 1, len(molecules)),
                                        "Y": rng.normal(0, 1, len(molecules)), "Z": rng.normal(0, 1, len(molecules))}),
        "magnetic_shielding_tensors": tensors,
        "mulliken_charges": atoms.assign(mulliken_charge=rng.normal(0, 0.3, len(atoms))),
        "potential_energy": pd.DataFrame({"molecule_name": molecules,
                                          "potential_energy": rng.normal(-400, 50, len(molecules))}),
        "scalar_coupling_contributions": contributions,
    }


def build(n: int = 30) -> dict[str, bytes]:
    rng = np.random.default_rng(30)
    names = [f"dsgdb9nsd_{i:06d}" for i in sorted(rng.choice(130_000, n + 4, replace=False))]
    order = list(rng.permutation(n))  # Kaggle's train.csv is not sorted by molecule
    train_molecules, test_molecules = [names[i] for i in order], names[n:]
    train = _pairs(rng, train_molecules, 0)
    train["scalar_coupling_constant"] = rng.normal(20, 30, len(train))
    test = _pairs(rng, test_molecules, len(train))
    structures, xyz = _structures(rng, names)
    files = {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "structures.csv": csv_bytes(structures),
             "sample_submission.csv": csv_bytes(pd.DataFrame({"id": test["id"], "scalar_coupling_constant": 0}))}
    files.update({f"{k}.csv": csv_bytes(v) for k, v in _extras(rng, train, sorted(train_molecules)).items()})
    files.update(xyz)
    return files


def _one_type_off(answers: str, sample: str, spec: dict) -> str:
    """Exact except one coupling type, shifted by 1: that type's log(MAE) is 0, the others -inf."""
    rows = table(answers)
    frame = submission(answers, spec)
    frame["scalar_coupling_constant"] = [repr(float(v) + 1.0) if t == TYPES[0] else v
                                         for v, t in zip(frame["scalar_coupling_constant"], rows["type"])]
    return text_of(frame)


def _each_type_off(answers: str, sample: str, spec: dict) -> str:
    """Every prediction off by 0.5: every type's MAE is 0.5, the score log(0.5)."""
    frame = submission(answers, spec)
    frame["scalar_coupling_constant"] = [repr(float(v) - 0.5) for v in frame["scalar_coupling_constant"]]
    return text_of(frame)


CASES = {"one_type_off": _one_type_off, "each_type_off": _each_type_off}
