"""Leaderboards beside the data (`<data_dir>/<id>/leaderboard.csv`), never in this repository.

Sources: Kaggle (downloaded at prepare time), an MLE-bench checkout or data dir the user points
at (`--leaderboard-from`), or a reference ladder (`bench.ladder`, offline split).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from bench.competition import Competition

logger = logging.getLogger(__name__)


class LeaderboardError(RuntimeError):
    """A leaderboard file could not be found or read; the message says what to do."""


def _candidates(comp: Competition, source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    return [source / comp.id / "leaderboard.csv",
            source / "mlebench" / "competitions" / comp.id / "leaderboard.csv",
            source / "competitions" / comp.id / "leaderboard.csv",
            source / "leaderboard.csv"]


def read_leaderboard_file(path: Path) -> pd.DataFrame:
    head = path.read_bytes()[:200]
    if head.startswith(b"version https://git-lfs"):
        raise LeaderboardError(f"{path} is a Git LFS pointer, not the leaderboard: run `git lfs pull` in that "
                               "MLE-bench checkout first.")
    frame = pd.read_csv(path)
    if "score" not in frame.columns:
        raise LeaderboardError(f"{path} has no `score` column (columns: {list(frame.columns)})")
    if frame.empty:
        raise LeaderboardError(f"{path} is empty")
    return frame


def _write(frame: pd.DataFrame, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".csv.tmp")
    frame.to_csv(tmp, index=False)
    tmp.replace(dest)
    return dest


def copy_leaderboard(comp: Competition, source: Path, dest: Path) -> Path:
    """Copy the leaderboard for `comp` from a CSV, an MLE-bench checkout, or a data dir."""
    for candidate in _candidates(comp, Path(source).expanduser()):
        if candidate.is_file() and candidate.resolve() != dest.resolve():
            logger.info("leaderboard for %s taken from %s", comp.id, candidate)
            return _write(read_leaderboard_file(candidate), dest)
        if candidate.is_file():
            return dest
    raise LeaderboardError(f"no leaderboard for {comp.id} under {source}: expected a CSV file, an MLE-bench "
                           f"checkout (mlebench/competitions/{comp.id}/leaderboard.csv) or a data dir "
                           f"({comp.id}/leaderboard.csv).")


def fetch_kaggle_leaderboard(comp: Competition, dest: Path) -> Path | None:
    """Download the leaderboard from Kaggle; on failure warn (the data is still usable) and return None."""
    from bench.kaggle import KaggleError, download_leaderboard

    try:
        frame = download_leaderboard(comp.id)
    except KaggleError as exc:
        logger.warning("no leaderboard for %s: %s Grading needs one: re-run prepare later, or pass "
                       "--leaderboard-from PATH (an MLE-bench checkout with `git lfs pull` done).", comp.id, exc)
        return None
    return _write(frame, dest)
