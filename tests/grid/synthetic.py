"""Hand-made run groups (group.json + record.json files) for report tests with known answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.group import GROUP_SCHEMA_VERSION, run_name

MEDALS = ("gold", "silver", "bronze")


def grade(comp: str, score: float | None, medal: str = "", above_median: bool = False) -> dict[str, Any]:
    return {"competition_id": comp, "score": score, "gold_threshold": 0.9, "silver_threshold": 0.8,
            "bronze_threshold": 0.7, "median_threshold": 0.5, "any_medal": bool(medal),
            **{f"{m}_medal": medal == m for m in MEDALS}, "above_median": above_median,
            "submission_exists": score is not None, "valid_submission": score is not None,
            "is_lower_better": False, "created_at": "2026-01-01T00:00:00", "submission_path": "x.csv",
            "message": "", "warnings": []}


def record(agent: str, model: str, comp: str, seed: int, g: dict[str, Any] | None, kind: str,
           status: str = "finished", cost: float = 0.0, tokens: int = 0, wall: float = 60.0) -> dict[str, Any]:
    spec = {"agent": agent, "competition": comp, "seed": seed, "models": {"main": model}, "sandbox": "bwrap",
            "limits": {"action_timeout_s": 600.0}, "out_dir": "runs", "obfuscated": False}
    return {"schema_version": 1, "spec": spec, "run_dir": "x", "status": status,
            "reason": "submitted" if status == "finished" else "harness_error", "message": "",
            "started_at": "2026-01-01T00:00:00+00:00", "finished_at": "2026-01-01T00:01:00+00:00",
            "wall_time_s": wall, "steps": 1, "cost_usd": cost, "tokens": tokens, "llm_calls": 1,
            "sandbox_backend": "bwrap", "agent_config": {}, "limits": {}, "grade": g, "leaderboard_kind": kind,
            "code_version": "test", "host": {}}


def write_group(root: Path, agents: list[str], models: list[str], comps: dict[str, str], seeds: list[int],
                runs: dict[tuple[str, str, str, int], dict[str, Any] | None], obfuscated: bool = False) -> Path:
    """A group dir; `comps` maps id -> leaderboard kind; a run given as None has no record at all."""
    root.mkdir(parents=True)
    coords = [(a, m, c, s) for s in seeds for c in comps for a in agents for m in models]
    meta = {"schema_version": GROUP_SCHEMA_VERSION, "created_at": "2026-01-01T00:00:00+00:00", "code_version": "test",
            "grid": {"agents": agents, "models": models, "competitions": list(comps), "seeds": seeds, "split": None,
                     "gpus_per_run": 0, "max_attempts": 3,
                     "run": {"obfuscated": obfuscated, "limits": {"wall_time_s": 3600.0}, "models": {}}},
            "competitions": {c: {"leaderboard_kind": k} for c, k in comps.items()},
            "runs": [{"dir": run_name(*x), "agent": x[0], "model": x[1], "competition": x[2], "seed": x[3]}
                     for x in coords],
            "invocations": [{"started_at": "2026-01-01T00:00:00+00:00", "hardware": {"hostname": "h", "cpus": 2,
                                                                                    "memory_mb": 1024, "gpus": []},
                             "executor": {"kind": "local"}}]}
    (root / "group.json").write_text(json.dumps(meta))
    for x, rec in runs.items():
        if rec is not None:
            run_dir = root / run_name(*x)
            run_dir.mkdir()
            (run_dir / "record.json").write_text(json.dumps(rec))
    return root
