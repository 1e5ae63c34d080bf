"""Where a competition's data lives (MLE-bench's layout) and whether it is prepared.

`<data_dir>/<id>/prepared/public/` (what the agent sees), `<data_dir>/<id>/prepared/private/`
(answers), `<data_dir>/<id>/raw/` and `<id>.zip` (kept only with `keep_raw`), and
`<data_dir>/<id>/leaderboard.csv`. Preparation itself is `bench.data`; this module only names paths,
so the ladder, the grader and the task builder can use it without importing the preparation code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from bench.competition import Competition

MARKER = ".mle-suite-prepared.json"


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
