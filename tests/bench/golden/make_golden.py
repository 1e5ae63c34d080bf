"""Record what MLE-bench's own preparer and grader make of our synthetic raw trees (run once, by hand).

Not part of the test suite, and nothing of MLE-bench's is committed: this script imports MLE-bench
from a scratch checkout in a scratch virtual environment and writes only numbers and md5 values
into `tests/bench/golden/<id>.json`, which `tests/bench/test_competitions.py` checks ours against.

    git clone https://github.com/openai/mle-bench /tmp/mleb      # or the fetch tool
    python3 -m venv /tmp/mleb-venv
    /tmp/mleb-venv/bin/pip install "pandas>=2.2,<3" scikit-learn numpy scipy pyyaml py7zr pillow \
        levenshtein appdirs diskcache tqdm
    cd <this repository> && PYTHONPATH=/tmp/mleb:. /tmp/mleb-venv/bin/python \
        tests/bench/golden/make_golden.py --mle-bench /tmp/mleb spaceship-titanic [more ids]

For each id it builds the raw tree (`tests/bench/raw/<id>.py`), zips and extracts it as MLE-bench
does, runs MLE-bench's `prepare`, hashes every prepared file, grades every crafted submission
(`tests/bench/golden/cases.py` plus the raw module's `CASES`) with MLE-bench's `grade` exactly as
`mlebench.grade_helpers.Grader` does (any exception -> None, else rounded to 5 decimals), and makes
a 30-row synthetic leaderboard from the answers' score down to the sample's.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import yaml

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO))

from tests.bench.golden import GOLDEN_DIR, files_digest, md5, tree_digest  # noqa: E402
from tests.bench.golden.cases import all_cases, expand  # noqa: E402
from tests.bench.raw import builder  # noqa: E402


def mle_score(grade_fn, submission_path: Path, answers_path: Path):
    from mlebench.utils import load_answers, read_csv

    try:
        submission = read_csv(submission_path)
        score = grade_fn(submission, load_answers(answers_path))
    except Exception as exc:  # MLE-bench's Grader returns None for any exception
        return None, f"{type(exc).__name__}: {str(exc)[:200]}"
    score = float(score)
    return ("nan" if math.isnan(score) else round(score, 5)), ""


def golden_for(cid: str, mle_bench: Path, work: Path) -> dict:
    package = f"mlebench.competitions.{cid}"
    prepare_fn = importlib.import_module(f"{package}.prepare").prepare
    grade_fn = importlib.import_module(f"{package}.grade").grade
    config = yaml.safe_load((mle_bench / "mlebench" / "competitions" / cid / "config.yaml").read_text())
    ours = yaml.safe_load((REPO / "bench" / "competitions" / cid / "competition.yaml").read_text())
    files = builder(cid)()
    raw, data = work / "raw", work / "data"
    with zipfile.ZipFile(io.BytesIO(_zip(files))) as zf:
        zf.extractall(raw)
    public, private = data / cid / "prepared" / "public", data / cid / "prepared" / "private"
    public.mkdir(parents=True)
    private.mkdir(parents=True)
    raw_module = importlib.import_module(f"tests.bench.raw.{cid.replace('-', '_')}")
    if hasattr(raw_module, "patch_mle_bench"):  # a constant scaled to the tiny tree (a listed deviation)
        raw_module.patch_mle_bench(importlib.import_module(f"{package}.prepare"))
    try:
        prepare_fn(raw=raw, public=public, private=private)
    except AssertionError:
        # a final sanity check that holds on Kaggle's full data only (the raw module says which);
        # every file was written before it, so they are what MLE-bench's preparer makes
        if not getattr(raw_module, "MLE_BENCH_FULL_SIZE_ASSERT", ""):
            raise
    answers_path = data / config["dataset"]["answers"]
    sample_path = data / config["dataset"]["sample_submission"]
    # where the answers file is no submission (other columns), the cases start from the gold one the
    # raw module names (SUBMISSION_BASE)
    base = getattr(raw_module, "SUBMISSION_BASE", None)
    answers_text = (data / cid / "prepared" / base).read_text() if base else answers_path.read_text()
    sample_text = sample_path.read_text()
    extra = getattr(raw_module, "CASES", {})
    cases = []
    spec = expand(ours["submission"])
    for name, make in all_cases(spec, extra).items():
        text = make(answers_text, sample_text, spec)
        path = work / f"case-{name}.csv"
        path.write_text(text, encoding="utf-8")
        score, note = mle_score(grade_fn, path, answers_path)
        cases.append({"name": name, "md5": md5(text.encode()), "score": score, "mle_bench_note": note})
    by_name = {c["name"]: c["score"] for c in cases}
    best, worst = by_name["answers_file"], by_name["sample_file"]
    if worst == "nan":  # a constant sample under a correlation metric: the board ends at the worst scored case
        worst = _farthest(best, by_name.values())
    numbers = all(isinstance(v, float) for v in (best, worst))
    board = None if not numbers or best == worst else synthetic_board(best, worst, list(by_name.values()))
    return {
        "competition_id": cid,
        "mle_bench_commit": _commit(mle_bench),
        "versions": {"python": sys.version.split()[0], "pandas": pd.__version__, "numpy": np.__version__,
                     "scikit-learn": sklearn.__version__},
        "raw_md5": files_digest(files),
        "prepared": tree_digest(data / cid / "prepared"),
        "answers": str(answers_path.relative_to(data / cid / "prepared")),
        "sample": str(sample_path.relative_to(data / cid / "prepared")),
        # where the answers are not themselves a submission (JSON lines), MLE-bench's gold submission
        **({"gold": str((data / config["dataset"]["gold_submission"]).relative_to(data / cid / "prepared"))}
           if answers_path.suffix != ".csv" and "gold_submission" in config["dataset"] else {}),
        "cases": cases,
        "leaderboard": board,
    }


def _farthest(best, scores) -> float | str:
    """The scored case farthest from `best` ("nan" when none is a number)."""
    numbers = [v for v in scores if isinstance(v, float) and isinstance(best, float) and v != best]
    return max(numbers, key=lambda v: abs(v - best)) if numbers else "nan"


def synthetic_board(best: float, worst: float, scores: list) -> list[float]:
    """30 scores evenly spaced from the answers' down to the sample's. An infinite best (a log of an
    exact error, e.g. champs' log MAE) heads the board; the rest then run from the best finite case."""
    if not math.isinf(best):
        return [round(float(v), 5) for v in np.linspace(best, worst, 30)]
    finite = [s for s in scores if isinstance(s, float) and math.isfinite(s)]
    top = min(finite) if best < 0 else max(finite)
    return [best] + [round(float(v), 5) for v in np.linspace(top, worst, 29)]


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _commit(mle_bench: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(mle_bench), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return (mle_bench / "COMMIT").read_text().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="+")
    parser.add_argument("--mle-bench", type=Path, required=True, help="an MLE-bench checkout (on PYTHONPATH too)")
    args = parser.parse_args()
    for cid in args.ids:
        with tempfile.TemporaryDirectory() as tmp:
            golden = golden_for(cid, args.mle_bench, Path(tmp))
        (GOLDEN_DIR / f"{cid}.json").write_text(json.dumps(golden, indent=1) + "\n")
        scores = {c["name"]: c["score"] for c in golden["cases"]}
        print(f"{cid}: {len(golden['cases'])} cases, answers {scores['answers_file']}, sample {scores['sample_file']}")


if __name__ == "__main__":
    main()
