"""The competition registry: ids -> `Competition` records, and the split lists.

Entries are discovered, never listed: every folder `bench/competitions/<id>/` holding a
`competition.yaml` is a competition (MLE-bench's, read by `bench.folders`), and every module
`bench/competitions/<name>.py` (name not starting with `_`) is one whose id is the name with `_`
written `-` and which defines `COMPETITION` (and `LADDER` for the offline split). Split lists
(`bench.splits`) name every MLE-bench competition; ids without an entry are listed as such.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import logging
from pathlib import Path
from types import ModuleType

from bench import competitions as _package
from bench.competition import Competition
from bench.folders import ENTRY_FILE, load_folder
from bench.splits import SPLITS

logger = logging.getLogger(__name__)

COMPETITIONS_DIR = Path(_package.__file__).parent
DEFAULT_OFFLINE_COMPETITION = "titanic-offline"


class UnknownCompetition(LookupError):
    """No competition by that id; the message suggests close ids."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()):
        super().__init__(message)
        self.suggestions = suggestions


class NoEntryYet(UnknownCompetition):
    """The id is an MLE-bench competition (in a split list) that has no entry in mle-suite yet."""


class UnknownSplit(LookupError):
    """No split by that name."""


def _folder_ids() -> dict[str, Path]:
    return {p.parent.name: p.parent for p in COMPETITIONS_DIR.glob(f"*/{ENTRY_FILE}")}


def _module_ids() -> dict[str, str]:
    return {p.stem.replace("_", "-"): p.stem for p in COMPETITIONS_DIR.glob("*.py") if not p.stem.startswith("_")}


def entry_ids() -> list[str]:
    """Ids of every competition with an entry (folders and modules), sorted."""
    return sorted({*_folder_ids(), *_module_ids()})


def all_known_ids() -> list[str]:
    """Every id with an entry plus every id named in a split list, sorted."""
    ids = set(entry_ids())
    for members in SPLITS.values():
        ids.update(members)
    return sorted(ids)


def has_entry(competition_id: str) -> bool:
    return competition_id in _folder_ids() or competition_id in _module_ids()


def suggest(competition_id: str, n: int = 3) -> tuple[str, ...]:
    return tuple(difflib.get_close_matches(competition_id, all_known_ids(), n=n, cutoff=0.5))


def competition_module(competition_id: str) -> ModuleType | None:
    """The Python module of a module-shaped competition (the offline split), or None for a folder."""
    name = _module_ids().get(competition_id)
    return importlib.import_module(f"bench.competitions.{name}") if name else None


def _load(competition_id: str) -> Competition | None:
    folder = _folder_ids().get(competition_id)
    if folder is not None:
        return load_folder(folder)
    name = _module_ids().get(competition_id)
    if name is None:
        return None
    module = importlib.import_module(f"bench.competitions.{name}")
    comp = module.COMPETITION
    if comp.id != competition_id:
        raise ValueError(f"bench/competitions/{name}.py defines {comp.id!r}; its file name says {competition_id!r}")
    return dataclasses.replace(comp, ladder=tuple(getattr(module, "LADDER", ())))


def get_competition(competition_id: str) -> Competition:
    """The competition with this id; `UnknownCompetition` (with close ids) when there is none."""
    comp = _load(competition_id)
    if comp is not None:
        return comp
    if competition_id in all_known_ids():
        raise NoEntryYet(
            f"{competition_id!r} is an MLE-bench competition, but mle-suite has no entry for it yet "
            f"(entries exist for: {', '.join(entry_ids())})."
        )
    close = suggest(competition_id)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise UnknownCompetition(
        f"unknown competition {competition_id!r}.{hint} Run `python -m bench list` to see all ids.", close)


def split_ids(split: str) -> tuple[str, ...]:
    """All ids of a split, with or without an entry."""
    try:
        return SPLITS[split]
    except KeyError:
        raise UnknownSplit(f"unknown split {split!r}; known splits: {', '.join(SPLITS)}") from None


def list_competitions(split: str | None = None) -> list[Competition]:
    """Competitions that have an entry, in split order (all entries when `split` is None)."""
    ids = split_ids(split) if split is not None else tuple(entry_ids())
    return [get_competition(cid) for cid in ids if has_entry(cid)]
