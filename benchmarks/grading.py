"""Validation and grading time and peak memory per competition.

For every competition folder with a synthetic raw tree (`tests/bench/raw/`), the tree is prepared
with the competition's own preparer, then its answers and sample submission are enlarged to the
size of MLE-bench's real answers (`REAL_ANSWER_ROWS`: rows of the real `private/` answers file,
derived from Kaggle's sizes and MLE-bench's split calls), rows repeated under new unique ids; the
competitions in `SYNTHETIC_SIZE` stay at the synthetic size. Two submissions are measured: the
sample submission and the answers themselves (a submission the size of its answers), or the gold
submission where the answers file is no submission (the raw module's `SUBMISSION_BASE`, or a
`gold_submission.csv` the preparer writes). Each is validated (`bench.validate.make_validator`: the grader's verdict plus the
format warnings, as the validation server does) and graded (`bench.grade.grade_submission`).
Baseline in the same run: a bare `pandas.read_csv` of the same file.

    python benchmarks/grading.py [--only ID ...] [--out benchmarks/results/grading.md] [--merge]
"""

from __future__ import annotations

import argparse
import importlib
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


def raw_module(competition_id: str) -> str:
    return f"tests.bench.raw.{competition_id.replace('-', '_')}"

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

# Issue 16, the other batches. Kaggle's training rows x MLE-bench's test_size (ceil), unless noted;
# "about" where the split is by group (logs, molecules, patients, locations, sentences, days) or
# a Kaggle size is only known roughly, so the count depends on the groups drawn.
REAL_ANSWER_ROWS.update({
    "3d-object-detection-for-autonomous-vehicles": 4536,   # about: 22,680 samples, 20% of the logs
    "AI4Code": 20_000,                                     # a fixed count of notebooks
    "billion-word-imputation": 303_000,                    # about: 1% of 30,301,028 sentences
    "bms-molecular-translation": 484_838,                  # 2,424,186 x 0.2
    "chaii-hindi-and-tamil-question-answering": 112,       # 1,114 x 0.1
    "champs-scalar-coupling": 465_800,                     # about: 4,658,147 couplings, 10% of molecules
    "facebook-recruiting-iii-keyword-extraction": 603_420,  # 6,034,195 x 0.1
    "freesound-audio-tagging-2019": 4481,                  # about: the released test labels (FSDKaggle2019)
    "google-quest-challenge": 608,                         # 6,079 x 0.1
    "google-research-identify-contrails-reduce-global-warming": 1856,  # the size of Kaggle's validation set
    "h-and-m-personalized-fashion-recommendations": 70_000,  # about: customers buying in the last 8 days
    "icecube-neutrinos-in-deep-ice": 1_320_000,            # a tenth of the real 13,200,000 (66 of 660
                                                           # batches x 200,000 events), to stay within
                                                           # 4 GB (see NOTES)
    "iwildcam-2019-fgvc6": 19_600,                         # about: 196,157 images, 10% of locations
    "iwildcam-2020-fgvc7": 47_950,                         # about: 22% of 217,959 images, by location
    "jigsaw-unintended-bias-in-toxicity-classification": 97_320,  # Kaggle's private test labels
    "kuzushiji-recognition": 389,                          # 3,881 x 0.1 (gold submission rows)
    "learning-agency-lab-automated-essay-scoring-2": 1731,  # 17,307 x 0.1
    "lmsys-chatbot-arena": 5748,                           # 57,477 x 0.1
    "multi-modal-gesture-recognition": 95,                 # about: the sequences of training4
    "nfl-player-contact-detection": 472_200,               # about: 4,721,618 labels, 10% of game plays
    "osic-pulmonary-fibrosis-progression": 2628,           # about: 18 of 176 patients x 146 weeks
    "petfinder-pawpularity-score": 992,                    # 9,912 x 0.1
    "plant-pathology-2021-fgvc8": 3727,                    # 18,632 x 0.2
    "predict-volcanic-eruptions-ingv-oe": 444,             # 4,431 x 0.1
    "rsna-2022-cervical-spine-fracture-detection": 14_536,  # (2,019 - 202 train studies) x 8 types
    "rsna-breast-cancer-detection": 2384,                  # about: 11,913 patients x 0.1 x 2 sides
    "rsna-miccai-brain-tumor-radiogenomic-classification": 59,  # 585 x 0.1
    "seti-breakthrough-listen": 6000,                      # 60,000 x 0.1
    "siim-covid19-detection": 1240,                        # about: 606 studies + their ~634 images
    "siim-isic-melanoma-classification": 4142,             # 2 TFRecord files of 2,071 images
    "stanford-covid-vaccine": 16_320,                      # 2,400 x 0.1 sequences x 68 scored positions
    "statoil-iceberg-classifier-challenge": 321,           # 1,604 x 0.2
    "tabular-playground-series-dec-2021": 400_000,         # 4,000,000 x 0.1
    "tabular-playground-series-may-2022": 100_000,         # a fixed test size
    "tensorflow-speech-recognition-challenge": 6473,       # about: 64,727 clips x 0.1
    "text-normalization-challenge-english-language": 991_800,  # about: 9,918,441 tokens, 10% of sentences
    "text-normalization-challenge-russian-language": 1_057_500,  # about: 10,574,516 tokens, 10% of sentences
    "tgs-salt-identification-challenge": 1000,             # 4,000 x 0.25
    "the-icml-2013-whale-challenge-right-whale-redux": 15_000,  # about: the last 2 of 4 days of 30,000 clips
    "tweet-sentiment-extraction": 2749,                    # 27,481 x 0.1
    "us-patent-phrase-to-phrase-matching": 3648,           # 36,473 x 0.1
    "uw-madison-gi-tract-image-segmentation": 12_200,      # about: 115,488 rows, 9 of 85 cases
    "ventilator-pressure-prediction": 603_600,             # 75,450 breaths x 0.1 x 80 steps
    "vinbigdata-chest-xray-abnormalities-detection": 1500,  # 15,000 x 0.1 (gold submission rows)
    "hms-harmful-brain-activity-classification": 10_680,   # about: 106,800 rows, 10% of spectrograms
    "whale-categorization-playground": 2536,               # about: 25,361 x 0.1
})

# Measured at the synthetic size: enlarging by repeated rows would not be the real shape, or the
# real size is not known here.
SYNTHETIC_SIZE = {
    "hubmap-kidney-segmentation": "3 slides whose masks are far larger than the synthetic ones",
    "smartphone-decimeter-2022": "the real row count is not known here",
    "tensorflow2-question-answering": "the answers are JSON lines",
    "vesuvius-challenge-ink-detection": "one fragment's mask, far larger than the synthetic one",
}


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


def _enlarged(frame: pd.DataFrame, id_column: str | None, copies: int, rows: int | None) -> pd.DataFrame:
    """`frame` repeated `copies` times (cut to `rows` rows if given); copy k > 0 gets new ids
    (numbers shifted, text prefixed so that ids such as "patient_week" still split), so files
    repeated alike keep matching ids."""
    n = len(frame)
    total = copies * n if rows is None else rows
    out = frame.iloc[np.tile(np.arange(n), copies)[:total]].reset_index(drop=True)
    copy_of = np.repeat(np.arange(copies), n)[:total]
    if id_column is not None and id_column in out.columns:
        ids = out[id_column]
        if pd.api.types.is_integer_dtype(ids):
            out[id_column] = ids.to_numpy() + copy_of * (int(frame[id_column].max()) + 1)
        else:
            out[id_column] = [f"{k}~{v}" if k else str(v) for v, k in zip(ids, copy_of)]
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


def _files(comp: Competition, data_dir: Path) -> tuple[Path, Path, Path]:
    """(answers, sample, the submission that is right): the answers themselves, or the gold
    submission where the answers are no submission (the raw module's `SUBMISSION_BASE`, relative
    to the prepared folder, or a `gold_submission.csv` the preparer writes)."""
    paths = competition_paths(comp, data_dir)
    answers = paths.private / comp.schema.answers_file
    sample = (paths.private if comp.schema.sample_is_private else paths.public) / comp.schema.sample_file
    base = getattr(importlib.import_module(raw_module(comp.id)), "SUBMISSION_BASE", None)
    gold = paths.prepared / base if base else paths.private / "gold_submission.csv"
    return answers, sample, gold if gold.exists() else answers


def _scale(comp: Competition, files: tuple[Path, Path, Path], rows: int) -> str:
    """Answers, sample and gold submission enlarged in place to about `rows` submission rows;
    returns a note when the answers have several rows per submission row (whole copies then)."""
    frames = {path: pd.read_csv(path, keep_default_na=False, na_values=[""]) for path in set(files)}
    n, id_col = len(frames[files[1]]), comp.schema.id_column
    copies = -(-rows // n)
    # a cut last copy keeps the same ids in every file only if each has one row per id, in one order
    aligned = all(len(frame) == n and id_col in frame.columns and frame[id_col].is_unique
                  for frame in frames.values())
    if aligned:
        frames = {path: frame.sort_values(id_col, kind="stable") for path, frame in frames.items()}
    for path, frame in frames.items():
        _enlarged(frame, id_col, copies, rows if aligned else None).to_csv(path, index=False)
    return "" if aligned else f"answers repeated as {copies} whole copies"


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


# Said below the table: where a row is not what its size suggests.
NOTES = [
    "`gold submission` rows (detecting-insults, hms, hubmap, kuzushiji, "
    "tabular-playground-series-may-2022, tensorflow2-question-answering, vesuvius, vinbigdata): the "
    "answers file is no submission (it holds vote counts, slide sizes, boxes, JSON lines or more "
    "columns than the target), so the right submission measured is the gold submission the "
    "preparer writes.",
    "`synthetic size`: hubmap and vesuvius have the real row counts (3 slides, 1 fragment) but masks "
    "far smaller than the real run-length encodings; tensorflow2-question-answering's answers are JSON "
    "lines that rows cannot be repeated in; smartphone-decimeter-2022's real row count is not known "
    "here. Their times say nothing about the real sizes.",
    "`answers repeated as N whole copies`: the answers have several rows per submission row, so every "
    "file is repeated whole and the rows differ a little from `REAL_ANSWER_ROWS` (vinbigdata: one box "
    "per row). vinbigdata's gold submission scores 0.99472, not 1: MLE-bench's metric "
    "(COCOeval reading the corners as sizes) gives a perfect submission less than 1, 0.62624 at the "
    "synthetic size as its golden file records, and the score moves with the number of copies "
    "(0.94678 at 10).",
    "h-and-m-personalized-fashion-recommendations: the sample here is enlarged like the answers "
    "(70,000 customers), but the real sample submission lists all 1,371,980 customers, about 20 times "
    "as many rows.",
    "icecube-neutrinos-in-deep-ice: measured at 1,320,000 events, a tenth of the real 13,200,000: "
    "the validator's peak grew by about 550 MiB over its start here, so the real size would need "
    "about 5.5 GB if it grows in proportion, above the 4 GB this benchmark allows itself.",
    "champs-scalar-coupling: the answers score -inf, as under MLE-bench's grader (the log of a mean "
    "absolute error of 0).",
    "us-patent-phrase-to-phrase-matching: the sample scores nan, the Pearson correlation of a "
    "constant prediction.",
    "osic-pulmonary-fibrosis-progression: the answers score -4.95174, not a metric's best, because "
    "their confidence column is 100 (the Laplace log-likelihood of a perfect mean with sigma 100).",
]

RUN_PREFIX = "- `python benchmarks/grading.py"
TABLE_HEAD = ["| competition | submission | rows | MiB | read_csv s | validate s | / read_csv | validate peak MiB | "
              "grade s | / read_csv | grade peak MiB | outcome |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]


def _table_line(r: Row) -> str:
    base = r.read_s if r.read_s > 0 else float("nan")
    return (f"| {r.competition} | {r.submission} | {r.rows} | {r.mib:.1f} | {_fmt(r.read_s)} | "
            f"{_fmt(r.validate_s)} | {_fmt(r.validate_s / base, 1)} | {_fmt(r.validate_peak_mib, 1)} | "
            f"{_fmt(r.grade_s)} | {_fmt(r.grade_s / base, 1)} | {_fmt(r.grade_peak_mib, 1)} | {r.outcome} |")


def _previous(text: str) -> tuple[list[str], list[str]]:
    """The run lines and table lines of an earlier results file (for --merge)."""
    lines = text.splitlines()
    runs = [line for line in lines if line.startswith(RUN_PREFIX)]
    table = [line for line in lines if line.startswith("| ") and line not in TABLE_HEAD[:1]]
    return runs, table


def render(rows: list[Row], command: str, previous: str = "") -> str:
    """The results page; with `previous` (an earlier page), its runs and its rows of other
    competitions are kept, rows in alphabetical order of competition."""
    runs, old_table = _previous(previous)
    measured = {r.competition for r in rows}
    table = [line for line in old_table if line.split(" | ")[0][2:] not in measured]
    table += [_table_line(r) for r in rows]
    table.sort(key=lambda line: line.split(" | ")[0][2:].lower())  # stable: sample before answers
    runs.append(f"{RUN_PREFIX}{command[len('python benchmarks/grading.py'):]}`: load average "
                f"{os.getloadavg()[0]:.1f} at its end; before the call, each process stood at "
                f"{min(r.baseline_mib for r in rows):.0f}-{max(r.baseline_mib for r in rows):.0f} MiB")
    lines = [
        "## Validation and grading per competition (bench-grading)", "",
        "Runs (each merged into this page with `--merge`):", "", *runs, "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs (shared with other jobs, hence the load "
        f"averages above), Python {platform.python_version()}, pandas {pd.__version__}.", "",
        "Data: each competition's synthetic raw tree prepared by its own preparer, answers and sample "
        "enlarged to the row count of MLE-bench's real answers (see `REAL_ANSWER_ROWS` in the script; "
        "`synthetic size` in the outcome where it is not). `answers` is the answers file submitted as a "
        "submission; `gold submission` is the right submission where the answers file is none. Each "
        "operation runs in a fresh process: times are its CPU seconds (best of 3, 1 above 20 MiB); "
        "`/ read_csv` is the ratio to a bare `pandas.read_csv` of the same file (CPU seconds, in the "
        "parent) in the same run. Validation is one call of what the validation server runs (the "
        "grader's verdict plus the format warnings; the server reads the answers once, at start, "
        "outside the measure); grading includes reading the answers and the leaderboard. Peak MiB is "
        "the peak resident set of that process (everything, pandas' C buffers included); the runs "
        "above say where it stood before the call, after its imports (and, for the validator, reading "
        "the answers), so a value near that means the call itself needed little.", "",
        *TABLE_HEAD, *table, "", "Notes:", "", *(f"- {note}" for note in NOTES),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="competition ids (default: every one with a raw tree)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "grading.md")
    parser.add_argument("--merge", action="store_true",
                        help="keep the runs and other competitions' rows already in --out")
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
            answers, sample, right = _files(comp, data_dir)
            real = None if cid in SYNTHETIC_SIZE else REAL_ANSWER_ROWS.get(cid)
            note = _scale(comp, (answers, sample, right), real) if real else ""
            if not real:
                note = "synthetic size" + (f": {SYNTHETIC_SIZE[cid]}" if cid in SYNTHETIC_SIZE else "")
            right_label = "answers" if right == answers else "gold submission"
            for label, path in (("sample", sample), (right_label, right)):
                row = measure(comp, label, path, data_dir)
                row.outcome += f"; {note}" if note else ""
                rows.append(row)
                print(rows[-1], flush=True)
    command = "python benchmarks/grading.py " + " ".join(sys.argv[1:])
    previous = args.out.read_text() if args.merge and args.out.exists() else ""
    text = render(rows, command.strip(), previous)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
