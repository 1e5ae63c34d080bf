"""Do a competition's ids give its answers away? An id-only probe and a permutation test.

The probe predicts each test row from the training rows whose ids are nearest to it, read two ways:
as numbers (the digits in the id) and as strings (lexicographic order), with 1, 5 or 25
neighbours. If rows were sorted by label before ids were assigned, neighbours in id share the label
and the probe wins. If the ids carry nothing, the probe's predictions are as good as the same
predictions dealt to the test rows at random: the null is the probe's score after shuffling its
rows (a permutation test), and the noise is the spread of those shuffled scores. The constant
baseline (one prediction for every row) is reported beside it.
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
Score = Callable[[pd.DataFrame, pd.DataFrame], float]


@dataclass(frozen=True)
class ProbeResult:
    constant: float
    best_probe: float
    best_probe_name: str
    null: float   # mean score of the best probe's predictions shuffled over the test rows
    noise: float  # standard deviation of those shuffled scores
    lower_is_better: bool

    @property
    def gain(self) -> float:
        """How much better than its shuffled self the best probe is (positive = better)."""
        return self.null - self.best_probe if self.lower_is_better else self.best_probe - self.null

    def leaks(self, n_sigma: float = 4.0, floor: float = 1e-3) -> bool:
        return self.gain > n_sigma * self.noise + floor


def numeric_key(ids: pd.Series) -> np.ndarray:
    """The digits of each id as one number (ids without digits count as 0)."""
    return np.array([float(int("".join(re.findall(r"\d", s))[-15:] or 0)) for s in ids.astype(str)])


def string_key(ids: pd.Series, others: pd.Series) -> np.ndarray:
    """Position of each id in the lexicographic order of all ids (train and test together)."""
    order = {s: i for i, s in enumerate(sorted(set(ids.astype(str)) | set(others.astype(str))))}
    return np.array([float(order[s]) for s in ids.astype(str)])


def nearest(train_key: np.ndarray, test_key: np.ndarray, k: int) -> np.ndarray:
    """(n_test, k) positions of the training rows with the closest keys."""
    order = np.argsort(train_key, kind="stable")
    sorted_key = train_key[order]
    pos = np.searchsorted(sorted_key, test_key)
    offsets = np.arange(-k, k)
    window = np.clip(pos[:, None] + offsets[None, :], 0, len(order) - 1)
    distance = np.abs(sorted_key[window] - test_key[:, None])
    pick = np.argsort(distance, axis=1, kind="stable")[:, :k]
    return order[np.take_along_axis(window, pick, axis=1)]


def _combine_column(values: np.ndarray, rows: np.ndarray, how: str, top: int) -> list:
    """One prediction per row of `rows` (positions into `values`), merged the way `how` says."""
    if how == "mean":
        return list(values.astype(float)[rows].mean(axis=1))
    out = []
    for picked in values[rows]:
        if how == "ranked-list":  # the items most often listed by the neighbours
            counts = Counter(tok for cell in picked for tok in str(cell).split())
            out.append(" ".join(tok for tok, _ in counts.most_common(top)))
        else:  # the most common value (first seen wins ties)
            out.append(Counter(picked.tolist()).most_common(1)[0][0])
    return out


def _how(comp: Competition) -> dict[str, str]:
    kinds = {c.name: c.kind for c in comp.schema.columns}
    if comp.metric.name == "map_at_k":
        return {c: "ranked-list" for c in comp.schema.prediction_columns}
    return {c: "mean" if kinds[c] in ("float", "probability") else "mode" for c in comp.schema.prediction_columns}


def _predict(comp: Competition, train: pd.DataFrame, test_ids: pd.Series, rows: np.ndarray) -> pd.DataFrame:
    top = int(comp.metric.params.get("k", 10))
    out = {comp.schema.id_column: test_ids.to_numpy()}
    for col, how in _how(comp).items():
        out[col] = _combine_column(train[col].to_numpy(dtype=object if how != "mean" else float), rows, how, top)
    return pd.DataFrame(out)


def probe(comp: Competition, train: pd.DataFrame, test_ids: pd.Series, answers: pd.DataFrame,
          score: Score, seed: int = 0, rounds: int = 30) -> ProbeResult:
    """Score the constant and every id-only probe; `train` holds the id and prediction columns."""
    id_col = comp.schema.id_column
    constant = _predict(comp, train, test_ids[:1], np.arange(len(train))[None, :]).iloc[0].to_dict()
    const_sub = pd.DataFrame([{**constant, id_col: i} for i in test_ids])
    keys = {"number": (numeric_key(train[id_col]), numeric_key(test_ids)),
            "string": (string_key(train[id_col], test_ids), string_key(test_ids, train[id_col]))}
    best = None
    for view, (train_key, test_key) in keys.items():
        for k in NEIGHBOURS:
            sub = _predict(comp, train, test_ids, nearest(train_key, test_key, min(k, len(train))))
            value = score(sub, answers)
            gain = -value if comp.metric.lower_is_better else value
            if best is None or gain > best[0]:
                best = (gain, value, f"{view}-neighbours-k{k}", sub)
    _, value, name, best_sub = best
    rng = np.random.RandomState(seed)
    shuffled = []
    for _ in range(rounds):
        dealt = best_sub.drop(columns=[id_col]).iloc[rng.permutation(len(best_sub))].reset_index(drop=True)
        shuffled.append(score(dealt.assign(**{id_col: best_sub[id_col].to_numpy()}), answers))
    return ProbeResult(score(const_sub, answers), value, name, float(np.mean(shuffled)),
                       float(np.std(shuffled, ddof=1)), comp.metric.lower_is_better)


def training_targets(comp: Competition, module, public: Path) -> pd.DataFrame:
    """Training rows in the submission's format: the module's `leak_probe_frame` or train.csv."""
    hook = getattr(module, "leak_probe_frame", None)
    if hook is not None:
        return hook(public)
    cols = [comp.schema.id_column, *comp.schema.prediction_columns]
    train = pd.read_csv(public / "train.csv", dtype={comp.schema.id_column: str}, keep_default_na=False)
    return train[cols]
