"""The competition registry: ids -> `Competition` records, and the split lists.

Each entry lives in its own module under `bench.competitions` (imported only when asked for).
Split lists name every MLE-bench competition; ids that have no entry here yet are still listed,
with status "no entry yet".
"""

from __future__ import annotations

import difflib
import importlib
import logging
from types import ModuleType

from bench.competition import Competition
from bench.splits import SPLITS

logger = logging.getLogger(__name__)

# id -> module under bench.competitions. One line per competition with an entry.
_MODULES: dict[str, str] = {
    "spaceship-titanic": "spaceship_titanic",
    "spooky-author-identification": "spooky_author_identification",
    "aerial-cactus-identification": "aerial_cactus_identification",
    "new-york-city-taxi-fare-prediction": "new_york_city_taxi_fare_prediction",
    "denoising-dirty-documents": "denoising_dirty_documents",
    "titanic-offline": "titanic_offline",
    "house-prices-offline": "house_prices_offline",
    "mnist-5k-offline": "mnist_5k_offline",
    "tweet-sentiment-offline": "tweet_sentiment_offline",
    "gunpoint-offline": "gunpoint_offline",
    "telco-churn-offline": "telco_churn_offline",
    "movie-genres-offline": "movie_genres_offline",
    "movielens-ranking-offline": "movielens_ranking_offline",
    "g2p-offline": "g2p_offline",
    "japanese-vowels-offline": "japanese_vowels_offline",
}

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


def all_known_ids() -> list[str]:
    """Every id with an entry plus every id named in a split list, sorted."""
    ids = set(_MODULES)
    for members in SPLITS.values():
        ids.update(members)
    return sorted(ids)


def has_entry(competition_id: str) -> bool:
    return competition_id in _MODULES


def competition_module(competition_id: str) -> ModuleType | None:
    name = _MODULES.get(competition_id)
    return importlib.import_module(f"bench.competitions.{name}") if name else None


def suggest(competition_id: str, n: int = 3) -> tuple[str, ...]:
    return tuple(difflib.get_close_matches(competition_id, all_known_ids(), n=n, cutoff=0.5))


def get_competition(competition_id: str) -> Competition:
    """The competition with this id; `UnknownCompetition` (with close ids) when there is none."""
    module = competition_module(competition_id)
    if module is not None:
        return module.COMPETITION
    if competition_id in all_known_ids():
        raise NoEntryYet(
            f"{competition_id!r} is an MLE-bench competition, but mle-suite has no entry for it yet "
            f"(entries exist for: {', '.join(sorted(_MODULES))})."
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
    ids = split_ids(split) if split is not None else tuple(sorted(_MODULES))
    return [get_competition(cid) for cid in ids if has_entry(cid)]
