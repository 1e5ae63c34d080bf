"""Synthetic raw files of nomad2018-predict-transparent-conductors: train.csv.zip, test.csv.zip,
train.zip / test.zip (<part>/<id>/geometry.xyz) and sample_submission.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, zip_bytes

FEATURES = ["spacegroup", "number_of_total_atoms", "percent_atom_al", "percent_atom_ga", "percent_atom_in",
            "lattice_vector_1_ang", "lattice_vector_2_ang", "lattice_vector_3_ang", "lattice_angle_alpha_degree",
            "lattice_angle_beta_degree", "lattice_angle_gamma_degree"]


def _table(rng: np.random.Generator, n: int, start: int) -> pd.DataFrame:
    frac = rng.dirichlet(np.ones(3), n).round(4)
    return pd.DataFrame({
        "id": range(start, start + n), "spacegroup": rng.choice([12, 33, 167, 194, 206, 227], n),
        "number_of_total_atoms": rng.choice([10.0, 20.0, 40.0, 80.0], n), "percent_atom_al": frac[:, 0],
        "percent_atom_ga": frac[:, 1], "percent_atom_in": frac[:, 2],
        "lattice_vector_1_ang": rng.uniform(3, 25, n).round(4), "lattice_vector_2_ang": rng.uniform(3, 10, n).round(4),
        "lattice_vector_3_ang": rng.uniform(5, 25, n).round(4), "lattice_angle_alpha_degree": rng.uniform(89, 91, n).round(4),
        "lattice_angle_beta_degree": rng.uniform(89, 106, n).round(4), "lattice_angle_gamma_degree": rng.uniform(29, 121, n).round(4)})


def _geometry(rng: np.random.Generator) -> bytes:
    lines = [f"lattice_vector {a:.8f} {b:.8f} {c:.8f} " for a, b, c in rng.uniform(-5, 5, (3, 3))]
    lines += [f"atom {x:.8f} {y:.8f} {z:.8f} {el}" for (x, y, z), el in
              zip(rng.uniform(0, 5, (4, 3)), rng.choice(["Al", "Ga", "In", "O"], 4))]
    return ("#=======================================================\n" + "\n".join(lines) + "\n").encode()


def build(n: int = 50, n_test: int = 10) -> dict[str, bytes]:
    rng = np.random.default_rng(22)
    train = _table(rng, n, 1).assign(formation_energy_ev_natom=rng.uniform(0, 0.6, n).round(4),
                                     bandgap_energy_ev=rng.uniform(0.1, 5, n).round(4))
    test = _table(rng, n_test, 1)
    sample = pd.DataFrame({"id": test["id"], "formation_energy_ev_natom": 0.1779, "bandgap_energy_ev": 1.8892})
    return {"train.csv.zip": zip_bytes({"train.csv": csv_bytes(train)}),
            "test.csv.zip": zip_bytes({"test.csv": csv_bytes(test)}),
            "train.zip": zip_bytes({f"train/{i}/geometry.xyz": _geometry(rng) for i in train["id"]}),
            "test.zip": zip_bytes({f"test/{i}/geometry.xyz": _geometry(rng) for i in test["id"]}),
            "sample_submission.csv": csv_bytes(sample)}
