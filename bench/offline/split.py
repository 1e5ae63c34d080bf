"""Splits and ids for the offline split that carry nothing about the answers.

Source files are often sorted (by label, by time, by author). Rows are therefore put in a fixed
random order before anything is assigned, and new ids are random numbers drawn without replacement,
so neither their value nor their string order says anything about a row. Only numpy's legacy
`RandomState` is used: its streams are frozen across numpy versions, so every machine prepares the
same split and the committed reference ladders stay valid.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def shuffled(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The rows in a fixed random order, index reset."""
    order = np.random.RandomState(seed).permutation(len(frame))
    return frame.iloc[order].reset_index(drop=True)


def opaque_ids(n: int, prefix: str, seed: int, digits: int = 6) -> list[str]:
    """`n` distinct ids `<prefix><random number>`, zero-padded so string and number order agree."""
    if n > 10 ** digits // 2:
        raise ValueError(f"{n} ids do not fit in {digits} digits with room to spare")
    numbers = np.random.RandomState(seed).choice(10 ** digits, size=n, replace=False)
    return [f"{prefix}{x:0{digits}d}" for x in numbers]


def split_rows(frame: pd.DataFrame, test_fraction: float, seed: int,
               stratify: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test) by a fixed random draw; with `stratify`, each class keeps its share in test."""
    rng = np.random.RandomState(seed)
    if stratify is None:
        order = rng.permutation(len(frame))
        n_test = int(round(test_fraction * len(frame)))
        test_pos = np.sort(order[:n_test])
    else:
        picks = []
        for _, positions in pd.Series(np.arange(len(frame))).groupby(frame[stratify].to_numpy()):
            chosen = rng.permutation(positions.to_numpy())
            picks.append(chosen[:int(round(test_fraction * len(chosen)))])
        test_pos = np.sort(np.concatenate(picks))
    is_test = np.zeros(len(frame), bool)
    is_test[test_pos] = True
    return frame[~is_test].reset_index(drop=True), frame[is_test].reset_index(drop=True)
