"""No offline competition gives its answers away through its ids.

For each competition, a model that sees only the ids (as numbers and as strings) must do no better
than chance: no better than its own predictions dealt to the test rows at random, within noise
(for accuracy or RMSE that is also the constant baseline's level; for macro F1 or MAP@k a random
deal scores above a constant). Also checks that the probe catches a planted leak.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.data import prepare
from bench.ladder import score_submission
from bench.offline.leaks import probe, training_targets
from bench.registry import competition_module, get_competition, split_ids


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("offline-leaks")


@pytest.mark.parametrize("cid", split_ids("offline"))
def test_ids_carry_no_signal(data_dir, cid):
    comp = get_competition(cid)
    paths = prepare(comp, data_dir, build_ladder=False)
    id_col = comp.schema.id_column
    answers = pd.read_csv(paths.private / comp.schema.answers_file, dtype={id_col: str}, keep_default_na=False)
    test_ids = pd.read_csv(paths.public / comp.schema.sample_file, dtype={id_col: str})[id_col]
    train = training_targets(comp, competition_module(cid), paths.public)
    result = probe(comp, train, test_ids, answers, lambda sub, ans: score_submission(comp, sub, ans))
    assert not result.leaks(), (
        f"{cid}: an id-only model ({result.best_probe_name}) scores {result.best_probe:.4f}, against "
        f"{result.null:.4f} ± {result.noise:.4f} for its predictions dealt at random "
        f"(constant: {result.constant:.4f})")


def _toy(labels_sorted: bool) -> tuple[Competition, pd.DataFrame, pd.Series, pd.DataFrame]:
    rng = np.random.RandomState(1)
    labels = np.repeat(np.arange(4), 100) if labels_sorted else rng.randint(0, 4, 400)
    ids = pd.Series([f"img_{i:05d}" for i in range(400)])
    test = rng.rand(400) < 0.25
    comp = Competition("toy", "toy", (), MetricSpec("accuracy"),
                       SubmissionSchema("id", (Column("id", "id"), Column("label", "label"))),
                       "package", lambda *a: None, "toy")
    frame = pd.DataFrame({"id": ids, "label": labels.astype(str)})
    return comp, frame[~test].reset_index(drop=True), ids[test].reset_index(drop=True), frame[test]


@pytest.mark.parametrize("planted", [True, False])
def test_probe_catches_a_planted_leak(planted):
    comp, train, test_ids, answers = _toy(labels_sorted=planted)
    result = probe(comp, train, test_ids, answers, lambda sub, ans: score_submission(comp, sub, ans))
    assert result.leaks() is planted
    if planted:
        assert result.best_probe > 0.9 and result.constant < 0.35 and result.null < 0.35
