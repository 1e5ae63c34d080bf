"""Task text: rules, paths, limits; the obfuscated variant hides the competition."""

from __future__ import annotations

from bench.registry import get_competition, list_competitions
from bench.task import TaskPaths, build_task
from scaffolds.core.task import TaskLimits


def test_rules_paths_and_limits_are_stated():
    comp = get_competition("spooky-author-identification")
    task = build_task(comp, limits=TaskLimits(wall_time_s=7200, max_steps=50), hardware="2 CPU cores, 8 GB RAM")
    text = task.instructions
    for needle in ("/home/data", "/home/submission/submission.csv", "http://localhost:5000/validate",
                   "validate_submission.sh", "never returns a score", "by hand", "other people's solutions",
                   "2 hour(s)", "At most 50 steps", "2 CPU cores, 8 GB RAM", "only that file"):
        assert needle in text, needle
    assert task.description == comp.description
    assert task.metric_name == "multiclass_log_loss" and task.lower_is_better is True
    assert not task.obfuscated and task.prompt_text().startswith(task.instructions)


def test_obfuscated_task_has_no_name_or_kaggle():
    for comp in list_competitions():
        task = build_task(comp, obfuscated=True)
        shown = task.prompt_text()
        assert "kaggle" not in shown.lower(), comp.id
        assert comp.id not in shown and comp.title not in shown, comp.id
        assert "/home/submission/submission.csv" in shown


def test_custom_paths_and_roundtrip(tmp_path):
    comp = get_competition("titanic-offline")
    paths = TaskPaths(data="/work/data", submission="/work/out/submission.csv", validate_url="http://127.0.0.1:9/v")
    task = build_task(comp, limits=TaskLimits(), paths=paths)
    assert "/work/data/description.md" in task.instructions and "http://127.0.0.1:9/v" in task.instructions
    assert "/home/data" not in task.instructions
    task.save(tmp_path / "task.json")
    from scaffolds.core.task import Task

    assert Task.from_json((tmp_path / "task.json").read_text()) == task


def test_prepared_description_is_preferred(tmp_path):
    comp = get_competition("spaceship-titanic")
    public = tmp_path / comp.id / "prepared" / "public"
    public.mkdir(parents=True)
    (public / "description.md").write_text("custom text from an MLE-bench dir")
    assert build_task(comp, data_dir=tmp_path).description == "custom text from an MLE-bench dir"


def test_an_obfuscated_run_sees_the_obfuscated_description_everywhere(tmp_path):
    from bench.data import prepare
    from bench.task import public_description, public_view
    from tests.bench.fake_kaggle import spaceship_titanic_raw

    comp = get_competition("spaceship-titanic")
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, data in spaceship_titanic_raw().items():
        (raw / name).write_bytes(data)
    board = tmp_path / "board.csv"
    board.write_text("teamName,score\na,0.9\nb,0.5\n")
    paths = prepare(comp, tmp_path / "d", raw_dir=raw, leaderboard_from=board, skip_verification=True)
    assert public_view(comp, tmp_path / "d", obfuscated=False) == paths.public
    view = public_view(comp, tmp_path / "d", obfuscated=True)
    assert (view / "description.md").read_text() == comp.description_obfuscated == public_description(comp, True)
    files = sorted(p.name for p in view.iterdir())
    assert files == sorted(p.name for p in paths.public.iterdir())
    plain = comp.description.strip().splitlines()[0]
    for path in view.rglob("*"):  # the plain text is nowhere in what an obfuscated run can read
        assert plain not in path.read_text(errors="ignore"), path
    assert (view / "train.csv").stat().st_ino == (paths.public / "train.csv").stat().st_ino  # linked, not copied
    assert public_view(comp, tmp_path / "d", obfuscated=True) == view  # built once
    task = build_task(comp, tmp_path / "d", obfuscated=True)
    assert task.description_obfuscated == comp.description_obfuscated
