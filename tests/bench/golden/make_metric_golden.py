"""Record MLE-bench's scores for the metric edge cases of issue 11 (run once, by hand, like make_golden.py).

    cd <this repository> && PYTHONPATH=/tmp/mleb:. /tmp/mleb-venv/bin/python tests/bench/golden/make_metric_golden.py \
        --mle-bench /tmp/mleb

Writes `tests/bench/golden/metrics.json`: for each case the submission and answers as CSV text and
the score MLE-bench's grader gives (None when it refuses). `tests/bench/test_metrics_golden.py`
checks our metrics library against them.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO))

from tests.bench.golden import GOLDEN_DIR  # noqa: E402
from tests.bench.golden.make_golden import _commit  # noqa: E402

HMS = ["seizure_vote", "lpd_vote", "gpd_vote", "lrda_vote", "grda_vote", "other_vote"]


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def alaska_cases(rng: np.random.Generator) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    ids = [f"{i:05d}.jpg" for i in range(60)]
    truth = rng.integers(0, 2, 60)
    answers = pd.DataFrame({"Id": ids, "Label": truth})
    noisy = np.clip(truth * 0.3 + rng.random(60) * 0.7, 0, 1)
    return [
        ("continuous", pd.DataFrame({"Id": ids, "Label": noisy}), answers),
        ("ties_one_decimal", pd.DataFrame({"Id": ids, "Label": np.round(noisy, 1)}), answers),
        ("ties_two_levels", pd.DataFrame({"Id": ids, "Label": (noisy > 0.5).astype(float)}), answers),
        ("perfect", pd.DataFrame({"Id": ids, "Label": truth.astype(float)}), answers),
        ("constant", pd.DataFrame({"Id": ids, "Label": 0.5}), answers),
    ]


def _rle(mask: np.ndarray) -> str:
    flat = np.concatenate([[0], mask.T.ravel().astype(np.int8), [0]])
    runs = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    return " ".join(f"{s} {e - s}" for s, e in zip(runs[::2], runs[1::2]))


def tgs_cases(rng: np.random.Generator) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    size = 101
    masks = []
    for frac in (0.62, 0.3, 0.9, 0.0, 0.45, 0.77):
        m = np.zeros((size, size), bool)
        m[: int(round(frac * size)), :] = True
        masks.append(m)
    ids = [f"img{i}" for i in range(len(masks))]
    answers = pd.DataFrame({"id": ids, "rle_mask": [_rle(m) for m in masks]})
    shifted = [np.roll(m, 3, axis=0) & m if m.any() else m for m in masks]
    return [
        ("empty_predictions", pd.DataFrame({"id": ids, "rle_mask": [""] * len(ids)}), answers),
        ("exact", answers.copy(), answers),
        ("shrunk", pd.DataFrame({"id": ids, "rle_mask": [_rle(m) for m in shifted]}), answers),
        ("full_image_predictions", pd.DataFrame({"id": ids, "rle_mask": [f"1 {size * size}"] * len(ids)}), answers),
    ]


def volcanic_cases(rng: np.random.Generator) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    ids = rng.permutation(10**6)[:30]
    truth = rng.integers(10**5, 5 * 10**7, 30)
    answers = pd.DataFrame({"segment_id": ids, "time_to_eruption": truth})
    return [
        ("noise", pd.DataFrame({"segment_id": ids, "time_to_eruption": truth + rng.normal(0, 1e6, 30)}), answers),
        ("small_noise", pd.DataFrame({"segment_id": ids, "time_to_eruption": truth + rng.normal(0, 0.7, 30)}), answers),
        ("half_up", pd.DataFrame({"segment_id": ids, "time_to_eruption": truth + 2.5}), answers),
    ]


def hms_cases(rng: np.random.Generator) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    ids = rng.permutation(10**6)[:25]
    votes = rng.integers(0, 5, (25, 6))
    votes[votes.sum(axis=1) == 0, 0] = 1
    answers = pd.DataFrame(votes, columns=HMS).assign(eeg_id=ids)[["eeg_id", *HMS]]
    uniform = pd.DataFrame(np.full((25, 6), 1 / 6), columns=HMS).assign(eeg_id=ids)[["eeg_id", *HMS]]
    probs = rng.dirichlet(np.ones(6), 25)
    guess = pd.DataFrame(probs, columns=HMS).assign(eeg_id=ids)[["eeg_id", *HMS]]
    share = votes / votes.sum(axis=1, keepdims=True)
    exact = pd.DataFrame(share, columns=HMS).assign(eeg_id=ids)[["eeg_id", *HMS]]
    hard = pd.DataFrame(np.eye(6)[votes.argmax(axis=1)], columns=HMS).assign(eeg_id=ids)[["eeg_id", *HMS]]
    return [("uniform", uniform, answers), ("dirichlet", guess, answers), ("vote_shares", exact, answers),
            ("hard_argmax", hard, answers)]


SUITES = {
    "alaska2-image-steganalysis": alaska_cases,
    "tgs-salt-identification-challenge": tgs_cases,
    "predict-volcanic-eruptions-ingv-oe": volcanic_cases,
    "hms-harmful-brain-activity-classification": hms_cases,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mle-bench", type=Path, required=True)
    args = parser.parse_args()
    from mlebench.utils import read_csv

    out = {"mle_bench_commit": _commit(args.mle_bench), "pandas": pd.__version__, "cases": []}
    for cid, make in SUITES.items():
        grade = importlib.import_module(f"mlebench.competitions.{cid}.grade").grade
        for name, submission, answers in make(np.random.default_rng(7)):
            sub_text, ans_text = _csv(submission), _csv(answers)
            try:
                score = float(grade(read_csv(io.StringIO(sub_text)), read_csv(io.StringIO(ans_text))))
                score = "nan" if math.isnan(score) else round(score, 5)
            except Exception as exc:  # noqa: BLE001 - MLE-bench scores None on any exception
                score = None
                print(f"{cid}/{name}: {type(exc).__name__}: {exc}")
            out["cases"].append({"competition_id": cid, "name": name, "submission": sub_text, "answers": ans_text,
                                 "score": score})
            print(cid, name, score)
    (GOLDEN_DIR / "metrics.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
