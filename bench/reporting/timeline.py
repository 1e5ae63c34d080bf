"""Score over time: every submission snapshot of a run (`--snapshot-every`) graded on the host.

Grades are cached next to the snapshots (`snapshots/grades.json`, keyed by file name, size and mtime),
so a report over a finished group grades each snapshot once. The last point of a finished run is its
final grade, at the end of its wall time.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.data import default_data_dir
from bench.grade import grade_submission
from bench.group import SPEC_FILE
from bench.registry import get_competition
from bench.reporting.load import MEDALS, GroupData, RunRow
from bench.reporting.summary import Stat, mean_sem
from bench.snapshots import SNAPSHOT_DIR, read_index
from scaffolds.core.rundir import atomic_write_json

log = logging.getLogger(__name__)

CACHE_FILE = "grades.json"


@dataclass(frozen=True)
class Point:
    elapsed_s: float
    score: float | None
    medal: str
    above_median: bool = False


def _point(elapsed: float, grade: dict[str, Any]) -> Point:
    medal = next((m for m in MEDALS if grade.get(f"{m}_medal")), "")
    return Point(elapsed, grade.get("score"), medal, bool(grade.get("above_median")))


def _data_dir(row: RunRow) -> Path:
    spec = (row.record or {}).get("spec")
    if spec is None:
        try:
            spec = json.loads((row.dir / SPEC_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            spec = {}
    return Path(spec["data_dir"]) if spec.get("data_dir") else default_data_dir()


def _grade_cached(row: RunRow, names: list[str]) -> dict[str, dict[str, Any]]:
    folder = row.dir / SNAPSHOT_DIR
    cache_path = folder / CACHE_FILE
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    comp, data_dir, changed, out = None, _data_dir(row), False, {}
    for name in names:
        info = (folder / name).lstat()
        key = f"{info.st_size}:{info.st_mtime_ns}"
        hit = cache.get(name)
        if hit is None or hit.get("key") != key:
            comp = comp or get_competition(row.competition)
            report = grade_submission(comp, folder / name, data_dir)
            hit, changed = {"key": key, "grade": report.to_dict()}, True
            cache[name] = hit
        out[name] = hit["grade"]
    if changed:
        try:
            atomic_write_json(cache_path, cache)
        except OSError as exc:  # a read-only group is still reported, just graded again next time
            log.info("cannot cache snapshot grades in %s: %s", cache_path, exc)
    return out


def run_timeline(row: RunRow) -> list[Point]:
    """The run's graded snapshots in time order, then its final grade (when finished)."""
    entries = read_index(row.dir)
    if not entries:
        return []
    names = [e["file"] for e in entries if e.get("file") and (row.dir / SNAPSHOT_DIR / e["file"]).is_file()]
    grades = _grade_cached(row, names)
    points = [_point(e["elapsed_s"], grades[e["file"]]) if e.get("file") in grades else Point(e["elapsed_s"], None, "")
              for e in entries]
    if row.finished:
        end = max(points[-1].elapsed_s, row.number("wall_time_s"))
        points.append(_point(end, row.grade))
    return points


def medals_over_time(group: GroupData, agent: str, model: str, kind: str,
                     timelines: dict[Path, list[Point]]) -> list[tuple[float, Stat]]:
    """Any-medal % (mean +- SEM over seeds, every planned run counted) at each snapshot time: each run
    holds the medal of its latest snapshot at or before that time."""
    rows = group.select(agent, model, kind)
    comps, seeds = group.competitions(kind), list(group.grid["seeds"])
    times = sorted({p.elapsed_s for r in rows for p in timelines.get(r.dir, [])})
    by_key = {(r.competition, r.seed): timelines.get(r.dir, []) for r in rows}
    out = []
    for t in times:
        per_seed = []
        for seed in seeds:
            hits = 0
            for comp in comps:
                seen = [p for p in by_key.get((comp, seed), []) if p.elapsed_s <= t]
                hits += bool(seen and seen[-1].medal)
            per_seed.append(100.0 * hits / len(comps))
        out.append((t, mean_sem(per_seed)))
    return out
