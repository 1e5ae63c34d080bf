"""Where competition data lives, and how it gets there (`prepare`).

Layout is MLE-bench's: `<data_dir>/<id>/prepared/public/` (what the agent sees),
`<data_dir>/<id>/prepared/private/` (answers), `<data_dir>/<id>/raw/` and `<id>.zip` (kept only
with `keep_raw`), and `<data_dir>/<id>/leaderboard.csv`.

A prepare runs in `<data_dir>/<id>/.staging/` and becomes `prepared/` with one atomic rename, the
checksum marker written just before it; an interrupted or failed prepare therefore never looks
ready, and the next run starts the staging over. A `prepared/` made by MLE-bench (no marker) is
reused as is. The user's `--archive` file and `--raw-dir` folder are only read. A lock file
(`<id>/.lock`) keeps two prepares of one competition from running at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bench.archives import ArchiveError, extract_archive, verify_archive
from bench.competition import Competition
from bench.kaggle import download_competition_files
from bench.ladder import install_leaderboard
from bench.leaderboards import copy_leaderboard, fetch_kaggle_leaderboard
from bench.paths import (MARKER, CompetitionPaths, NotPrepared, competition_paths, default_data_dir, dir_size,
                         ensure_prepared, is_prepared, prepare_command)

logger = logging.getLogger(__name__)

# Layout names re-exported for callers that import them from here.
__all__ = ["MARKER", "ChecksumMismatch", "CompetitionPaths", "DiskFull", "NotPrepared", "PrepareError",
           "PrepareOptions", "competition_paths", "default_data_dir", "dir_size", "ensure_prepared", "is_prepared",
           "prepare", "prepare_command", "prepare_with"]


class PrepareError(RuntimeError):
    """Preparation failed; the message says why and what to do."""


class DiskFull(PrepareError):
    """The disk filled up during preparation (nothing was left half-ready)."""


# MLE-bench hashes only these files, and only directly under public/ and private/ (not images).
HASHED_SUFFIXES = (".csv", ".json", ".jsonl", ".parquet", ".bson")


class ChecksumMismatch(PrepareError):
    """The prepared files (or the archive) are not the ones MLE-bench recorded."""


@dataclass(frozen=True)
class PrepareOptions:
    """How to prepare: the source of the raw files and what to keep, check and overwrite."""

    archive: Path | None = None          # a hand-downloaded archive (only read)
    raw_dir: Path | None = None          # a folder of extracted raw files (only read, never deleted)
    keep_raw: bool = False               # keep the downloaded archive and extracted raw files
    leaderboard_from: Path | None = None
    overwrite_leaderboard: bool = False  # download the leaderboard again even if one exists
    skip_verification: bool = False      # do not compare with MLE-bench's checksums
    force: bool = False                  # prepare again even if prepared
    build_ladder: bool = True            # offline split: build the reference ladder


def _md5(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "md5").hexdigest()


def checksums(prepared: Path) -> dict[str, str]:
    """md5 of what MLE-bench hashes: the csv/json/jsonl/parquet/bson files directly under public/
    and private/, keyed `public/<name>`, `private/<name>`."""
    sums = {}
    for side in ("public", "private"):
        folder = prepared / side
        for path in sorted(folder.iterdir()) if folder.is_dir() else ():
            if path.is_file() and path.suffix in HASHED_SUFFIXES:
                sums[f"{side}/{path.name}"] = _md5(path)
    return sums


def checksum_problems(comp: Competition, sums: dict[str, str]) -> list[str]:
    """How `sums` differ from MLE-bench's record (files differing, missing or not recorded)."""
    expected = {k: v for k, v in comp.reference_md5.items() if k != "zip"}
    if not expected:
        return []
    problems = [f"{name} differs" for name in sorted(expected) if name in sums and sums[name] != expected[name]]
    problems += [f"{name} is missing" for name in sorted(set(expected) - set(sums))]
    problems += [f"{name} is not in MLE-bench's record" for name in sorted(set(sums) - set(expected))]
    return problems


def _check_archive_md5(comp: Competition, archive: Path, options: PrepareOptions) -> None:
    expected = comp.reference_md5.get("zip")
    if options.skip_verification or not expected:
        return
    if _md5(archive) != expected:
        raise ChecksumMismatch(
            f"{archive} is not the archive MLE-bench recorded for {comp.id} (md5 differs), so the prepared "
            "split would differ from MLE-bench's. Use the competition's original archive, or pass "
            "--skip-verification to prepare from this one anyway.")


def _check_raw(comp: Competition, raw: Path) -> None:
    missing = [spec for spec in comp.raw_files if not any((raw / alt).exists() for alt in spec.split("|"))]
    if missing:
        found = sorted(p.name for p in raw.iterdir())[:20] if raw.is_dir() else []
        raise PrepareError(
            f"the raw data for {comp.id} in {raw} lacks {', '.join(m.replace('|', ' or ') for m in missing)} "
            f"(found: {', '.join(found) or 'nothing'}). Pass the competition's own archive or folder.")


def _obtain_raw(comp: Competition, paths: CompetitionPaths, options: PrepareOptions) -> Path:
    """A folder holding the raw files; only folders under staging/ may be written later."""
    if options.raw_dir is not None:
        if not options.raw_dir.is_dir():
            raise PrepareError(f"--raw-dir {options.raw_dir} is not a folder")
        return options.raw_dir
    staged_raw = paths.staging / "raw"
    if options.archive is not None:
        if not options.archive.is_file():
            raise PrepareError(f"--archive {options.archive} does not exist")
        verify_archive(options.archive)
        _check_archive_md5(comp, options.archive, options)
        extract_archive(options.archive, staged_raw)
        return staged_raw
    if paths.raw.is_dir():  # kept by an earlier --keep-raw run
        logger.info("reusing raw files in %s", paths.raw)
        return paths.raw
    if comp.source == "package":
        if comp.fetch_raw is None:
            raise PrepareError(f"{comp.id} has no raw-data fetcher")
        comp.fetch_raw(staged_raw)
        return staged_raw
    return _download_and_extract(comp, paths, staged_raw, options)


def _download_and_extract(comp: Competition, paths: CompetitionPaths, staged_raw: Path,
                          options: PrepareOptions) -> Path:
    downloaded = paths.archive if paths.archive.is_file() else None
    if downloaded is not None:
        try:
            verify_archive(downloaded)
            logger.info("reusing the downloaded archive %s", downloaded)
        except ArchiveError:
            logger.warning("the earlier download %s is damaged; downloading again", downloaded)
            downloaded.unlink()
            downloaded = None
    if downloaded is None:
        downloaded = download_competition_files(comp.id, paths.root)
        try:
            verify_archive(downloaded)
        except ArchiveError as exc:
            downloaded.unlink()
            raise ArchiveError(f"the archive downloaded from Kaggle is corrupt or truncated and was deleted "
                               f"({exc}). Run the same command again to download it anew.") from None
    _check_archive_md5(comp, downloaded, options)
    extract_archive(downloaded, staged_raw)
    return staged_raw


def _build(comp: Competition, paths: CompetitionPaths, raw: Path, options: PrepareOptions) -> None:
    """Run the preparer into staging/prepared, check MLE-bench's checksums, write the description
    and the marker (last)."""
    _check_raw(comp, raw)
    staged = paths.staging / "prepared"
    public, private = staged / "public", staged / "private"
    public.mkdir(parents=True)
    private.mkdir(parents=True)
    try:
        comp.preparer(raw, public, private)
    except OSError:
        raise
    except Exception as exc:
        raise PrepareError(f"preparing {comp.id} failed: {type(exc).__name__}: {exc}. Check that the raw "
                           "files are the competition's original ones.") from exc
    sums = checksums(staged)
    problems = [] if options.skip_verification else checksum_problems(comp, sums)
    if problems:
        raise ChecksumMismatch(
            f"the prepared files of {comp.id} are not the ones MLE-bench recorded: {'; '.join(problems)}. "
            "The raw data or a library version differs from MLE-bench's. Pass --skip-verification to "
            "use them anyway.")
    (public / "description.md").write_text(comp.description, encoding="utf-8")
    marker = {"competition_id": comp.id, "tool": "mle-suite", "source": comp.source,
              "created_at": datetime.now(timezone.utc).isoformat(), "md5": sums,
              "verified_against_mle_bench": bool(comp.reference_md5) and not options.skip_verification}
    (staged / MARKER).write_text(json.dumps(marker, indent=1))


def _swap_in(paths: CompetitionPaths) -> None:
    old = paths.root / ".replaced"
    if paths.prepared.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(paths.prepared, old)
    os.replace(paths.staging / "prepared", paths.prepared)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _exclusive(root: Path):
    """One prepare per competition dir at a time (a second one waits, then finds the data ready)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info("another prepare of %s is running; waiting for it", root.name)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def prepare(comp: Competition, data_dir: Path | None = None, archive: Path | None = None,
            raw_dir: Path | None = None, keep_raw: bool = False, leaderboard_from: Path | None = None,
            force: bool = False, build_ladder: bool = True, *, overwrite_leaderboard: bool = False,
            skip_verification: bool = False) -> CompetitionPaths:
    """Prepare one competition (idempotent: a prepared one is left as is unless `force`)."""
    options = PrepareOptions(archive=archive, raw_dir=raw_dir, keep_raw=keep_raw, leaderboard_from=leaderboard_from,
                             overwrite_leaderboard=overwrite_leaderboard, skip_verification=skip_verification,
                             force=force, build_ladder=build_ladder)
    return prepare_with(comp, data_dir, options)


def prepare_with(comp: Competition, data_dir: Path | None, options: PrepareOptions) -> CompetitionPaths:
    paths = competition_paths(comp, data_dir)
    if is_prepared(comp, data_dir) and not options.force:
        logger.info("%s is already prepared in %s", comp.id, paths.prepared)
    else:
        with _exclusive(paths.root):
            if options.force or not is_prepared(comp, data_dir):
                _prepare_locked(comp, paths, options)
    with _exclusive(paths.root):
        ensure_leaderboard(comp, paths, options.leaderboard_from, build_ladder=options.build_ladder,
                           overwrite=options.overwrite_leaderboard)
    return paths


def _prepare_locked(comp: Competition, paths: CompetitionPaths, options: PrepareOptions) -> None:
    """Build into staging/ and swap it in; staging is removed whatever happens."""
    shutil.rmtree(paths.staging, ignore_errors=True)  # leftovers of an interrupted run
    raw = None
    try:
        paths.staging.mkdir()
        raw = _obtain_raw(comp, paths, options)
        _build(comp, paths, raw, options)
        _swap_in(paths)
        _finish_raw(paths, raw, options)
    except OSError as exc:
        shutil.rmtree(paths.staging, ignore_errors=True)
        if exc.errno == errno.ENOSPC:
            raise DiskFull(f"the disk filled up while preparing {comp.id} in {paths.root}; nothing was "
                           "marked prepared. Free some space (or use --data-dir on a larger disk) and "
                           "run the command again.") from None
        raise
    except ChecksumMismatch:
        if raw is not None:  # keep what was downloaded, so --skip-verification need not download again
            _finish_raw(paths, raw, dataclasses.replace(options, keep_raw=True))
        shutil.rmtree(paths.staging, ignore_errors=True)
        raise
    except BaseException:
        shutil.rmtree(paths.staging, ignore_errors=True)
        raise
    shutil.rmtree(paths.staging, ignore_errors=True)


def _finish_raw(paths: CompetitionPaths, raw: Path, options: PrepareOptions) -> None:
    """Keep or delete what we downloaded or extracted; never the user's own files (an --archive or
    a --raw-dir, wherever it lies, even inside the data dir)."""
    if options.raw_dir is not None:
        return
    ours = raw == paths.staging / "raw"
    if options.keep_raw:
        if ours:
            shutil.rmtree(paths.raw, ignore_errors=True)
            os.replace(raw, paths.raw)
        return
    if ours:
        shutil.rmtree(raw, ignore_errors=True)
    elif raw == paths.raw:
        shutil.rmtree(paths.raw, ignore_errors=True)
    if paths.archive.is_file() and (options.archive is None or options.archive.resolve() != paths.archive.resolve()):
        paths.archive.unlink()


def ensure_leaderboard(comp: Competition, paths: CompetitionPaths, leaderboard_from: Path | None = None,
                       build_ladder: bool = True, overwrite: bool = False) -> Path | None:
    """Make `<id>/leaderboard.csv` exist: copied from `leaderboard_from`, the committed reference ladder
    (offline split), or downloaded; with `overwrite`, downloaded again even if one exists."""
    if leaderboard_from is not None:
        return copy_leaderboard(comp, leaderboard_from, paths.leaderboard)
    if comp.source == "package":  # always the reference ladder committed with the competition (bench.ladder)
        if not build_ladder:
            return paths.leaderboard if paths.leaderboard.is_file() else None
        return install_leaderboard(comp, paths.private, paths.leaderboard)
    if paths.leaderboard.is_file() and not overwrite:
        return paths.leaderboard
    return fetch_kaggle_leaderboard(comp, paths.leaderboard)
