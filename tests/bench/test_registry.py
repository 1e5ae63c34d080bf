"""Registry and split lists."""

from __future__ import annotations


import pytest

from bench import registry
from bench.cli import main
from bench.metrics import get_metric
from bench.splits import SPLITS


def test_split_sizes_match_mle_bench():
    assert len(SPLITS["low"]) == 22 and SPLITS["lite"] == SPLITS["low"]
    assert len(SPLITS["medium"]) == 38
    assert len(SPLITS["high"]) == 15
    assert len(SPLITS["split75"]) == 75
    assert len(SPLITS["dev"]) == 7
    assert SPLITS["spaceship-titanic"] == ("spaceship-titanic",)
    assert len(SPLITS["offline"]) >= 10
    assert 3 <= len(SPLITS["offline-lite"]) <= 4 and set(SPLITS["offline-lite"]) < set(SPLITS["offline"])


def test_complexity_levels_partition_split75():
    low, medium, high = (set(SPLITS[s]) for s in ("low", "medium", "high"))
    assert not (low & medium or low & high or medium & high)
    assert low | medium | high == set(SPLITS["split75"])
    assert not set(SPLITS["dev"]) & set(SPLITS["split75"])


def test_every_entry_is_in_the_splits_it_claims():
    for comp in registry.list_competitions():
        for split in comp.splits:
            assert comp.id in SPLITS[split], (comp.id, split)
        assert comp.description and comp.description_obfuscated


def test_offline_split_has_entries_for_all_and_default():
    comps = registry.list_competitions("offline")
    assert [c.id for c in comps] == list(SPLITS["offline"])
    assert all(c.source == "package" and c.fetch_raw is not None for c in comps)
    assert registry.DEFAULT_OFFLINE_COMPETITION in SPLITS["offline"]
    assert registry.get_competition(registry.DEFAULT_OFFLINE_COMPETITION).category == "tabular"
    kinds = {c.category for c in comps}
    assert {"tabular", "image", "text", "time-series"} <= kinds


@pytest.mark.parametrize("cid", ["spaceship-titanic", "spooky-author-identification", "aerial-cactus-identification",
                                 "new-york-city-taxi-fare-prediction", "denoising-dirty-documents"])
def test_mle_bench_entries(cid):
    comp = registry.get_competition(cid)
    assert comp.id == cid and comp.source == "kaggle" and comp.raw_files


def test_unknown_id_suggests_close_ids():
    with pytest.raises(registry.UnknownCompetition) as err:
        registry.get_competition("spaceship-titanik")
    assert "spaceship-titanic" in err.value.suggestions
    assert "Did you mean: spaceship-titanic" in str(err.value)


def test_unknown_id_without_close_match():
    with pytest.raises(registry.UnknownCompetition) as err:
        registry.get_competition("zzzzzz-qqqq")
    assert "Did you mean" not in str(err.value) and "python -m bench list" in str(err.value)


FUTURE_ID = "a-competition-added-to-mle-bench-later"


@pytest.fixture
def split_with_future_id(monkeypatch):
    """MLE-bench's split75 plus an id no entry exists for (as when MLE-bench adds a competition)."""
    monkeypatch.setitem(registry.SPLITS, "split75", (*SPLITS["split75"], FUTURE_ID))


def test_every_mle_bench_competition_has_an_entry():
    assert all(registry.has_entry(cid) for cid in registry.split_ids("all"))
    assert len(registry.split_ids("all")) == 82 and len(registry.list_competitions("all")) == 82


def test_split_id_without_entry_is_a_clear_error(split_with_future_id):
    with pytest.raises(registry.NoEntryYet, match="no entry"):
        registry.get_competition(FUTURE_ID)
    assert registry.list_competitions("low")  # lists those with entries, no crash


def test_entries_are_discovered_from_folders_and_modules():
    ids = registry.entry_ids()
    folders = {p.parent.name for p in registry.COMPETITIONS_DIR.glob("*/competition.yaml")}
    assert folders <= set(ids) and set(SPLITS["offline"]) <= set(ids)
    for cid in folders:
        comp = registry.get_competition(cid)
        assert comp.folder is not None and comp.grade_fn is not None and comp.splits
        assert comp.metric.lower_is_better == get_metric(comp.metric.name).lower_is_better


def test_unknown_split():
    with pytest.raises(registry.UnknownSplit, match="known splits"):
        registry.split_ids("lowest")


def test_cli_list_shows_status_for_every_id(tmp_path, capsys, split_with_future_id):
    assert main(["list", "--split", "split75", "--data-dir", str(tmp_path)]) == 0
    rows = [[cell.strip() for cell in line.strip("│").split("│")]
            for line in capsys.readouterr().out.splitlines() if line.startswith("│")]
    status = {row[0]: row for row in rows}
    assert len(status) == 76
    assert status[FUTURE_ID][-1] == "no entry yet"
    assert status["spooky-author-identification"][1:] == [
        "text", "multiclass_log_loss (lower is better)", "not prepared"]


def test_cli_unknown_competition_exit_code(capsys):
    assert main(["prepare", "-c", "spooky-autor-identification"]) == 2
    assert "Did you mean: spooky-author-identification" in capsys.readouterr().err


@pytest.mark.parametrize("comp", registry.list_competitions(), ids=lambda c: c.id)
def test_obfuscated_description_hides_identity(comp):
    text = comp.description_obfuscated.lower()
    assert "kaggle" not in text
    assert comp.id not in text
    assert comp.title.lower().replace(" (offline)", "") not in text
