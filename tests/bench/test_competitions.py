"""Every competition folder against MLE-bench's own preparer and grader (golden data).

For each competition with a golden file (`tests/bench/golden/<id>.json`, made by `make_golden.py`
with MLE-bench's code): its synthetic raw tree is served by the fake Kaggle server and prepared with
the real `kaggle` client; the prepared files must equal MLE-bench's, byte for byte; every crafted
submission must get MLE-bench's score (or, like there, none); the validator must say valid exactly
when MLE-bench scores; the answers graded as a submission must reach the best score and gold, and
the sample submission must be valid and win nothing (MLE-bench's own per-competition checks).
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.competition import Competition
from bench.data import checksums, prepare
from bench.grade import grade_submission, score_submission
from bench.paths import MARKER, CompetitionPaths
from bench.registry import get_competition
from bench.tfrecord import bytes_feature, feature_names, records
from bench.validate import make_validator
from tests.bench.fake_kaggle import FakeKaggle, competition_archive, leaderboard_rows
from tests.bench.golden import files_digest, golden_ids, load, md5, tree_digest
from tests.bench.golden.cases import all_cases
from tests.bench.raw import builder

IDS = golden_ids()


@dataclass
class Prepared:
    comp: Competition
    golden: dict
    paths: CompetitionPaths
    data_dir: Path
    work: Path


def _point_client_at(mp: pytest.MonkeyPatch, home: Path, proxy: str) -> None:
    (home / ".kaggle").mkdir(parents=True, exist_ok=True)
    mp.setenv("HOME", str(home))
    mp.setenv("KAGGLE_CONFIG_DIR", str(home / ".kaggle"))
    mp.setenv("KAGGLE_API_ENVIRONMENT", "LOCALHOST")
    mp.setenv("KAGGLE_USERNAME", "tester")
    mp.setenv("KAGGLE_KEY", "secret-key")
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        mp.setenv(var, proxy)
    for var in ("NO_PROXY", "no_proxy", "KAGGLE_API_TOKEN"):
        mp.delenv(var, raising=False)


@pytest.fixture(scope="module", params=IDS)
def prepared(request, tmp_path_factory) -> Prepared:
    cid = request.param
    comp, golden = get_competition(cid), load(cid)
    work = tmp_path_factory.mktemp(cid)
    with FakeKaggle() as server, pytest.MonkeyPatch.context() as mp:
        server.state.archives[cid] = competition_archive(cid)
        server.state.leaderboards[cid] = leaderboard_rows(scores=golden["leaderboard"])
        _point_client_at(mp, work / "home", server.proxy_url)
        paths = prepare(comp, work / "data", skip_verification=True)
    return Prepared(comp, golden, paths, work / "data", work)


def test_raw_tree_is_the_one_the_golden_file_was_made_from(prepared):
    files = builder(prepared.comp.id)()
    assert files_digest(files) == prepared.golden["raw_md5"]


def _raw_module(cid: str):
    return importlib.import_module(f"tests.bench.raw.{cid.replace('-', '_')}")


def test_prepared_files_equal_mle_bench(prepared):
    """Byte for byte, except files listed (with a DEVIATIONS.md entry) in the raw module's
    PREPARED_DEVIATIONS, where MLE-bench's preparer is broken; those must exist."""
    deviations = getattr(_raw_module(prepared.comp.id), "PREPARED_DEVIATIONS", {})
    ours = tree_digest(prepared.paths.prepared, skip=("public/description.md", MARKER))
    theirs = dict(prepared.golden["prepared"])
    listed = (Path(__file__).resolve().parents[2] / "bench" / "DEVIATIONS.md").read_text()
    for path, deviation in deviations.items():
        assert f"| {deviation} |" in listed and path in ours and path in theirs, (path, deviation)
        del ours[path], theirs[path]
    assert ours == theirs
    schema = prepared.comp.schema
    sample_side = "private" if schema.sample_is_private else "public"
    assert prepared.golden["answers"] == f"private/{schema.answers_file}"
    assert prepared.golden["sample"] == f"{sample_side}/{schema.sample_file}"


LABEL_FEATURES = {"target", "label", "diagnosis", "benign_malignant"}


def test_no_public_tfrecord_holds_a_test_label(prepared):
    """Held-out images published as TFRecords carry no label feature (P-B1, P-B2): a record of a public
    file whose `image_name` is a test id must not say what the answers say."""
    files = sorted((prepared.paths.prepared / "public").rglob("*.tfrec"))
    if not files:
        return
    answers = (prepared.paths.prepared / "private" / prepared.comp.schema.answers_file).read_text()
    test_ids = {Path(line.split(",")[0]).stem for line in answers.splitlines()[1:]}
    held_out = 0
    for path in files:
        with path.open("rb") as stream:
            for example in records(stream, str(path)):
                names = bytes_feature(example, "image_name")
                if names and Path(names[0].decode()).stem in test_ids:
                    held_out += 1
                    assert not LABEL_FEATURES & set(feature_names(example)), path
    assert held_out, "the test images are in the public TFRecord files (else this test checks nothing)"


def _submission_base(p: Prepared) -> str:
    """The file the crafted cases start from: the answers, or where they are no submission (other
    columns), the gold submission the raw module names (SUBMISSION_BASE)."""
    return getattr(_raw_module(p.comp.id), "SUBMISSION_BASE", None) or p.golden["answers"]


def _gold_file(p: Prepared) -> str:
    """The file that must win gold: the cases' base, or MLE-bench's gold submission where the answers
    are not a CSV (the golden file's `gold`)."""
    return getattr(_raw_module(p.comp.id), "SUBMISSION_BASE", None) or p.golden.get("gold") or p.golden["answers"]


def _case_files(p: Prepared) -> dict[str, tuple[Path, dict]]:
    spec = {"columns": [{"name": c.name, "kind": c.kind, **({"high": c.high} if c.high is not None else {})}
                        for c in p.comp.schema.columns],
            "id_column": p.comp.schema.id_column, "rows_sum_to_one": list(p.comp.schema.rows_sum_to_one)}
    answers = (p.paths.prepared / _submission_base(p)).read_text()
    sample = (p.paths.prepared / p.golden["sample"]).read_text()
    extra = getattr(_raw_module(p.comp.id), "CASES", {})
    makers = all_cases(spec, extra)
    out = {}
    for case in p.golden["cases"]:
        text = makers[case["name"]](answers, sample, spec)
        assert md5(text.encode()) == case["md5"], f"case {case['name']} is not the text MLE-bench graded"
        path = p.work / f"case-{case['name']}.csv"
        path.write_text(text, encoding="utf-8")
        out[case["name"]] = (path, case)
    return out


def _same(ours: float | None, theirs: float | str | None) -> bool:
    if theirs == "nan":
        return ours is not None and math.isnan(ours)
    return ours == theirs


def test_every_case_scores_as_mle_bench(prepared):
    wrong = {}
    for name, (path, case) in _case_files(prepared).items():
        score, message = score_submission(prepared.comp, path, prepared.data_dir)
        if not _same(score, case["score"]):
            wrong[name] = (score, case["score"], message, case["mle_bench_note"])
    assert not wrong, f"scores differ from MLE-bench's (ours, theirs, our message, their note): {wrong}"


def test_validator_says_valid_exactly_when_mle_bench_scores(prepared):
    validator = make_validator(prepared.comp, prepared.data_dir)
    disagree = {}
    for name, (path, case) in _case_files(prepared).items():
        result = validator(path)
        if result.valid != (case["score"] is not None):
            disagree[name] = result.message
    assert not disagree


def test_answers_win_gold_and_the_sample_wins_nothing(prepared):
    board = prepared.golden["leaderboard"]
    assert board, "the golden file has no leaderboard: the answers and the sample must both be scored"
    gold = grade_submission(prepared.comp, prepared.paths.prepared / _gold_file(prepared), prepared.data_dir)
    assert gold.valid_submission and gold.gold_medal and gold.score == board[0]
    sample = grade_submission(prepared.comp, prepared.paths.prepared / prepared.golden["sample"], prepared.data_dir)
    assert sample.valid_submission and not sample.any_medal and not sample.above_median
    sample_case = next(c for c in prepared.golden["cases"] if c["name"] == "sample_file")
    if sample_case["score"] == "nan":  # a constant sample has no correlation: valid, NaN, below every rank
        assert math.isnan(sample.score)
    else:
        assert sample.score == board[-1]
    assert gold.is_lower_better == prepared.comp.metric.lower_is_better


def test_hashes_exactly_the_files_mle_bench_hashes(prepared):
    recorded = {name for name in prepared.comp.reference_md5 if name != "zip"}
    assert recorded and set(checksums(prepared.paths.prepared)) == recorded
