"""Do a competition's ids give its answers away? An id-only probe against the constant baseline.

The probe predicts each test row from the training rows whose ids are nearest to it, read two ways:
as numbers (the digits in the id) and as strings (lexicographic order). If rows were sorted by label
before ids were assigned, neighbours in id share the label and the probe wins; if the ids carry
nothing, it does no better than predicting the same thing for every row (the "constant" baseline:
the same combiner applied to all training rows). The margin allowed is noise: a paired bootstrap
of the score difference over test rows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from bench.competition import Competition

NEIGHBOURS = (1, 5, 25)
Combine = Callable[[pd.DataFrame], dict]


@dataclass(frozen=True)
class ProbeResult:
    constant: float
    best_probe: float
    best_probe_name: str
    noise: float  # standard error of (probe - constant) on the test rows
    lower_is_better: bool

    @property
    def gain(self) -> float:
        """How much better than the constant the best probe is (positive = better)."""
        return self.constant - self.best_probe if self.lower_is_better else self.best_probe - self.constant

    def leaks(self, n_sigma: float = 4.0, floor: float = 1e-9) -> bool:
        return self.gain > n_sigma * self.noise + floor


def numeric_key(ids: pd.Series) -> np.ndarray:
    """The digits of each id as one number (ids without digits count as 0)."""
    return np.array([float(int("".join(re.findall(r"\d", s))[-15:] or 0)) for s in ids.astype(str)])


def string_key(ids: pd.Series, others: pd.Series) -> np.ndarray:
    """Position of each id in the lexicographic order of all ids (train and test together)."""
    order = {s: i for i, s in enumerate(sorted(set(ids.astype(str)) | set(others.astype(str))))}
    return np.array([float(order[s]) for s in ids.astype(str)])


def _combiner(comp: Competition) -> Combine:
    """How to merge training targets into one prediction, by the kind of the prediction columns."""
    cols = list(comp.schema.prediction_columns)
    kinds = {c.name: c.kind for c in comp.schema.columns}

    def combine(rows: pd.DataFrame) -> dict:
        out = {}
        for col in cols:
            values = rows[col]
            if comp.metric.name == "map_at_k":
                counts = Counter(tok for cell in values.astype(str) for tok in cell.split())
                out[col] = " ".join(tok for tok, _ in counts.most_common(comp.metric.params.get("k", 10)))
            elif kinds[col] in ("float", "probability"):
                out[col] = float(pd.to_numeric(values).mean())
            else:
                out[col] = values.astype(str).mode().iloc[0]
        return out

    return combine


def _predict(train: pd.DataFrame, train_key: np.ndarray, test_key: np.ndarray, k: int,
             combine: Combine) -> list[dict]:
    order = np.argsort(train_key, kind="stable")
    sorted_key = train_key[order]
    preds = []
    for key in test_key:
        pos = int(np.searchsorted(sorted_key, key))
        window = order[max(0, pos - k):pos + k]
        nearest = window[np.argsort(np.abs(train_key[window] - key), kind="stable")[:k]]
        preds.append(combine(train.iloc[nearest]))
    return preds


def probe(comp: Competition, train: pd.DataFrame, test_ids: pd.Series, answers: pd.DataFrame,
          score: Callable[[pd.DataFrame, pd.DataFrame], float], seed: int = 0) -> ProbeResult:
    """Score the constant and every id-only probe; `train` holds the id and prediction columns."""
    id_col = comp.schema.id_column
    combine = _combiner(comp)
    constant = combine(train)
    const_sub = pd.DataFrame([{id_col: i, **constant} for i in test_ids])
    keys = {"number": (numeric_key(train[id_col]), numeric_key(test_ids)),
            "string": (string_key(train[id_col], test_ids), string_key(test_ids, train[id_col]))}
    best = None
    for view, (train_key, test_key) in keys.items():
        for k in NEIGHBOURS:
            rows = _predict(train, train_key, test_key, k, combine)
            sub = pd.DataFrame([{id_col: i, **r} for i, r in zip(test_ids, rows)])
            value = score(sub, answers)
            gain = -value if comp.metric.lower_is_better else value
            if best is None or gain > best[0]:
                best = (gain, value, f"{view}-neighbours-k{k}", sub)
    _, value, name, best_sub = best
    noise = _paired_noise(comp, const_sub, best_sub, answers, score, seed)
    return ProbeResult(score(const_sub, answers), value, name, noise, comp.metric.lower_is_better)


def _paired_noise(comp: Competition, a: pd.DataFrame, b: pd.DataFrame, answers: pd.DataFrame,
                  score: Callable[[pd.DataFrame, pd.DataFrame], float], seed: int, rounds: int = 60) -> float:
    """Bootstrap standard error of score(b) - score(a) over test rows (rows resampled with new ids)."""
    id_col = comp.schema.id_column
    rng = np.random.RandomState(seed)
    index = answers.set_index(answers[id_col].astype(str))
    a, b = (f.set_index(f[id_col].astype(str)).loc[index.index] for f in (a, b))
    diffs = []
    for _ in range(rounds):
        pick = rng.randint(0, len(index), len(index))
        fresh = [f"row{j}" for j in range(len(pick))]
        ans, sa, sb = (f.iloc[pick].assign(**{id_col: fresh}).reset_index(drop=True) for f in (index, a, b))
        try:
            diffs.append(score(sb, ans) - score(sa, ans))
        except ValueError:  # a resample where the metric is undefined (e.g. one class only)
            continue
    return float(np.std(diffs, ddof=1)) if len(diffs) > 1 else 0.0


def training_targets(comp: Competition, module, public: Path) -> pd.DataFrame:
    """Training rows in the submission's format: the module's `leak_probe_frame` or train.csv."""
    hook = getattr(module, "leak_probe_frame", None)
    if hook is not None:
        return hook(public)
    cols = [comp.schema.id_column, *comp.schema.prediction_columns]
    train = pd.read_csv(public / "train.csv", dtype={comp.schema.id_column: str}, keep_default_na=False)
    return train[cols]
