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
