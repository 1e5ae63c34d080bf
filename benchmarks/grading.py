"""Validation and grading time and peak memory per competition.

For every competition folder with a synthetic raw tree (`tests/bench/raw/`), the tree is prepared
with the competition's own preparer, then its answers and sample submission are enlarged to the
size of MLE-bench's real answers (`REAL_ANSWER_ROWS`: rows of the real `private/` answers file,
derived from Kaggle's sizes and MLE-bench's split calls), rows repeated under new unique ids. Two
submissions are measured: the sample submission and the answers themselves (a submission the size
of its answers). Each is validated (`bench.validate.make_validator`: the grader's verdict plus the
format warnings, as the validation server does) and graded (`bench.grade.grade_submission`).
Baseline in the same run: a bare `pandas.read_csv` of the same file.

    python benchmarks/grading.py [--only ID ...] [--out benchmarks/results/grading.md]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.competition import Competition  # noqa: E402
from bench.data import prepare  # noqa: E402
from bench.grade import grade_submission  # noqa: E402
from bench.paths import competition_paths  # noqa: E402
from bench.registry import get_competition, has_entry  # noqa: E402
from bench.validate import make_validator  # noqa: E402
from tests.bench.raw import builder, raw_ids  # noqa: E402

# Rows of MLE-bench's real answers file: scikit-learn's test part is ceil(test_size * n).
REAL_ANSWER_ROWS = {
    "aerial-cactus-identification": 3325,             # 17,500 x 0.19
    "aptos2019-blindness-detection": 367,             # 3,662 x 0.1
    "denoising-dirty-documents": 5_140_800,           # 29 scans x 540 x (258 or 420) pixels, about
    "detecting-insults-in-social-commentary": 2647,   # Kaggle's labelled test file
    "dog-breed-identification": 1023,                 # 10,222 x 0.1
    "dogs-vs-cats-redux-kernels-edition": 2500,       # 25,000 x 0.1
    "histopathologic-cancer-detection": 45_562,       # 220,025 x 57,458 / 277,483
    "invasive-species-monitoring": 459,               # 2,295 x 0.2
    "jigsaw-toxic-comment-classification-challenge": 153_164,  # Kaggle's test labels
    "leaf-classification": 99,                        # 990 x 0.1
    "ml2021spring-hw2": 330_245,                      # 1,229,932 x 451,552 / 1,681,484
    "mlsp-2013-birds": 1216,                          # 64 recordings x 19 species
    "movie-review-sentiment-analysis-kernels-only": 46_818,  # 156,060 x 0.3
    "new-york-city-taxi-fare-prediction": 9914,
    "nomad2018-predict-transparent-conductors": 240,  # 2,400 x 0.1
    "paddy-disease-classification": 2602,             # 10,407 x 0.25
    "plant-pathology-2020-fgvc7": 183,                # 1,821 x 0.1
    "plant-seedlings-classification": 665,            # 4,750 x 0.14
    "playground-series-s3e18": 1484,                  # 14,838 x 0.1
    "random-acts-of-pizza": 1162,                     # 4,040 x 1,631 / 5,671
    "ranzcr-clip-catheter-line-classification": 3009,  # 30,083 x 0.1
    "spaceship-titanic": 870,                         # 8,693 x 0.1
    "spooky-author-identification": 1958,             # 19,579 x 0.1
}

# Issue 16, batch B (exact where the split is by a fixed count or one table; "about" where
# MLE-bench splits each category or TFRecord file on its own, so the total depends on the groups)
REAL_ANSWER_ROWS.update({
    "alaska2-image-steganalysis": 5000,                # a fixed test size
    "cassava-leaf-disease-classification": 2676,       # about: 2 of 16 TFRecord files of ~1,338 images
    "cdiscount-image-classification-challenge": 706_990,  # 7,069,896 x 0.1
    "herbarium-2020-fgvc7": 206_000,                   # about: 1,030,747 sheets, 20% per category
    "herbarium-2021-fgvc8": 451_600,                   # about: 2,257,759 sheets, 20% per category
    "herbarium-2022-fgvc9": 174_000,                   # about: 839,772 sheets, 20% (rounded up) per category
    "hotel-id-2021-fgvc8": 9756,                       # about: 97,554 rows x 0.1
    "imet-2020-fgvc7": 21_318,                         # 142,119 x 0.15
    "inaturalist-2019-fgvc6": 32_300,                  # about: 265,213 images, 12% per category
})


@dataclass
class Row:
    competition: str
    submission: str
    rows: int
    mib: float
    read_s: float
    validate_s: float
    validate_peak_mib: float
    grade_s: float
    grade_peak_mib: float
    outcome: str
    baseline_mib: float = 0.0


def _operation(kind: str, cid: str, data_dir: Path, path: Path) -> Callable[[], Any]:
    """The measured call: a bare read_csv (baseline), one validation, or one grading."""
    if kind == "read":
        return lambda: pd.read_csv(path)
    comp = get_competition(cid)
    if kind == "validate":
        validator = make_validator(comp, data_dir)  # the server reads the answers once, at start
        return lambda: validator(path)
    return lambda: grade_submission(comp, path, data_dir)


def _high_water_mib() -> float:
    """This process's peak resident set (VmHWM): unlike getrusage's ru_maxrss, it is not inherited
    from the parent across fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def child(kind: str, cid: str, data_dir: Path, path: Path, repeat: int) -> None:
    """Run one operation in this fresh process; print its best CPU time, the process's peak resident
    set after the call and just before it (imports, answers for the validator), and a summary."""
    call = _operation(kind, cid, data_dir, path)
    before = _high_water_mib()
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = call()
        best = min(best, time.process_time() - start)
    peak = _high_water_mib()
    summary = {"read": lambda r: len(r), "validate": lambda r: r.valid, "grade": lambda r: r.score}[kind](result)
    print(json.dumps({"cpu_s": best, "peak_mib": peak, "before_mib": before, "result": summary}))


def _timed(call: Callable[[], Any]) -> float:
    start = time.process_time()
    call()
    return time.process_time() - start


def _in_child(kind: str, cid: str, data_dir: Path, path: Path, repeat: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, cid, str(data_dir), str(path), str(repeat)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _enlarged(frame: pd.DataFrame, id_column: str | None, rows: int) -> pd.DataFrame:
    """`frame` repeated to `rows` rows; copy k > 0 gets new ids (numbers shifted, text suffixed)."""
    n = len(frame)
    copies = -(-rows // n)
    out = frame.iloc[np.tile(np.arange(n), copies)[:rows]].reset_index(drop=True)
    copy_of = np.repeat(np.arange(copies), n)[:rows]
    if id_column is not None:
        ids = out[id_column]
        if pd.api.types.is_integer_dtype(ids):
            out[id_column] = ids.to_numpy() + copy_of * (int(frame[id_column].max()) + 1)
        else:
            out[id_column] = [f"{v}~{k}" if k else str(v) for v, k in zip(ids, copy_of)]
    return out


def _prepared(comp: Competition, root: Path) -> Path:
    raw = root / "raw" / comp.id
    for name, data in builder(comp.id)().items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)
    board = root / "board.csv"
    pd.DataFrame({"teamName": ["a", "b"], "score": [1.0, 0.0]}).to_csv(board, index=False)
    prepare(comp, root / "data", raw_dir=raw, leaderboard_from=board, skip_verification=True)
    return root / "data"


def _scale(comp: Competition, data_dir: Path, rows: int) -> tuple[Path, Path]:
    """Answers and sample enlarged in place to `rows` rows; returns (answers, sample) paths."""
    paths = competition_paths(comp, data_dir)
    answers_path = paths.private / comp.schema.answers_file
    sample_path = (paths.private if comp.schema.sample_is_private else paths.public) / comp.schema.sample_file
    id_col = comp.schema.id_column
    for path in (answers_path, sample_path):
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
        _enlarged(frame, id_col, rows).to_csv(path, index=False)
    return answers_path, sample_path


def measure(comp: Competition, label: str, path: Path, data_dir: Path) -> Row:
    size = path.stat().st_size
    repeat = 1 if size > 20 * 2**20 else 3
    read = {"cpu_s": min(_timed(lambda: pd.read_csv(path)) for _ in range(repeat)), "result": len(pd.read_csv(path))}
    validate = _in_child("validate", comp.id, data_dir, path, repeat)
    grade = _in_child("grade", comp.id, data_dir, path, repeat)
    outcome = ("valid" if validate["result"] else "invalid") + f"; score {grade['result']}"
    return Row(comp.id, label, read["result"], size / 2**20, read["cpu_s"], validate["cpu_s"], validate["peak_mib"],
               grade["cpu_s"], grade["peak_mib"], outcome, min(validate["before_mib"], grade["before_mib"]))


def _fmt(x: float, digits: int = 3) -> str:
    return "-" if x != x else f"{x:.{digits}f}"


def render(rows: list[Row], command: str) -> str:
    lines = [
        "## Validation and grading per competition (bench-grading)", "",
        f"Command: `{command}`", "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs (shared with other jobs: load average "
        f"{os.getloadavg()[0]:.1f} at the end of the run), Python {platform.python_version()}, pandas "
        f"{pd.__version__}.", "",
        "Data: each competition's synthetic raw tree prepared by its own preparer, answers and sample "
        "enlarged to the row count of MLE-bench's real answers (see `REAL_ANSWER_ROWS` in the script). "
        "`answers` is the answers file submitted as a submission. Each operation runs in a fresh "
        "process: times are its CPU seconds (best of 3, 1 above 20 MiB); `/ read_csv` is the ratio to "
        "a bare `pandas.read_csv` of the same file (CPU seconds, in the parent) in the same run. Validation "
        "is one call of what the validation server runs (the grader's verdict plus the format "
        "warnings; the server reads the answers once, at start, outside the measure); grading "
        "includes reading the answers and the leaderboard. Peak MiB is the peak resident set of that "
        "process (everything, pandas' C buffers included); before the call, after its imports (and, for "
        f"the validator, reading the answers), it stood at {min(r.baseline_mib for r in rows):.0f}-"
        f"{max(r.baseline_mib for r in rows):.0f} MiB, so a value near that means the call itself needed "
        "little.", "",
        "| competition | submission | rows | MiB | read_csv s | validate s | / read_csv | validate peak MiB | "
        "grade s | / read_csv | grade peak MiB | outcome |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        base = r.read_s if r.read_s > 0 else float("nan")
        lines.append(f"| {r.competition} | {r.submission} | {r.rows} | {r.mib:.1f} | {_fmt(r.read_s)} | "
                     f"{_fmt(r.validate_s)} | {_fmt(r.validate_s / base, 1)} | {_fmt(r.validate_peak_mib, 1)} | "
                     f"{_fmt(r.grade_s)} | {_fmt(r.grade_s / base, 1)} | {_fmt(r.grade_peak_mib, 1)} | {r.outcome} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="competition ids (default: every one with a raw tree)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "grading.md")
    parser.add_argument("--child", nargs=5, metavar=("KIND", "ID", "DATA_DIR", "PATH", "REPEAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, cid, data_dir, path, repeat = args.child
        logging.basicConfig(level=logging.ERROR)
        child(kind, cid, Path(data_dir), Path(path), int(repeat))
        return
    logging.basicConfig(level=logging.ERROR)
    ids = args.only or [cid for cid in raw_ids() if has_entry(cid)]
    rows: list[Row] = []
    for cid in ids:
        comp = get_competition(cid)
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = _prepared(comp, Path(tmp))
            real = REAL_ANSWER_ROWS.get(cid)
            answers, sample = _scale(comp, data_dir, real) if real else (None, None)
            if answers is None:
                paths = competition_paths(comp, data_dir)
                answers = paths.private / comp.schema.answers_file
                sample = (paths.private if comp.schema.sample_is_private else paths.public) / comp.schema.sample_file
            for label, path in (("sample", sample), ("answers", answers)):
                rows.append(measure(comp, label if real else f"{label} (synthetic size)", path, data_dir))
                print(rows[-1], flush=True)
    command = "python benchmarks/grading.py " + " ".join(sys.argv[1:])
    text = render(rows, command.strip())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
