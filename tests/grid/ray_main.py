"""The test grid on a real Ray cluster. Run it only inside a fresh network namespace holding nothing but
loopback (`unshare -n python -m tests.grid.ray_main OUT DATA_DIR`): Ray opens ports on every
interface it finds, so there must be no other. Prints one JSON line with what the test checks."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from bench.executors import RayExecutor
from bench.grid import Grid, run_grid, write_group
from bench.hardware import detect
from bench.runner import RunSpec
from scaffolds.core.llm.testing import ScriptedServer

from .agents import SLEEPING
from .conftest import COMPETITIONS, solution_for

AGENTS = ("grid-oneshot", "grid-sample", "grid-dies-once")


def loopback_only() -> list[str]:
    """Bring loopback up and return the namespace's interfaces; refuse to go on if there is any other."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    links = [line.split(":")[1].strip() for line in
             subprocess.run(["ip", "-o", "link"], capture_output=True, text=True, check=True).stdout.splitlines()]
    if links != ["lo"]:
        raise SystemExit(f"refusing to start Ray: this namespace has interfaces {links}, not only loopback")
    return links


def cancel_a_running_run(executor: RayExecutor, template: RunSpec, out: Path) -> float:
    """Start a run that never ends, cancel it once it runs; seconds the cancel took."""
    run_dir = out / "sleeper"
    executor.start(replace(template, agent="grid-sleeper", competition=COMPETITIONS[0], run_dir=str(run_dir),
                           models=(("main", "openai/none"),)))
    deadline = time.monotonic() + 300
    # Its agent's loop, not only its spec: on a loaded machine the sandbox may still be starting 2 s later.
    while not (run_dir / SLEEPING).is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    started = time.monotonic()
    executor.cancel()
    return time.monotonic() - started


def main(out: Path, data_dir: Path) -> dict:
    links = loopback_only()
    facts = {c: {"leaderboard_kind": "reference-ladder"} for c in COMPETITIONS}
    with ScriptedServer(rule=solution_for) as server:
        template = RunSpec(agent="", competition="", sandbox="bwrap", data_dir=str(data_dir), api_base=server.url)
        grid = Grid(agents=AGENTS, models=("openai/scripted",), competitions=COMPETITIONS, seeds=(0, 1),
                    template=template)
        executor = RayExecutor("local", cpus_per_run=1, gpus_per_run=0, grace_s=30)
        try:
            nodes = sorted({n["NodeManagerAddress"] for n in executor.ray.nodes()})
            write_group(grid, out / "group", facts, detect(), executor.describe())
            result = run_grid(grid, out / "group", executor)
            cancel_s = cancel_a_running_run(executor, template, out)
        finally:
            executor.close()
    return {"links": links, "nodes": nodes, "init_s": executor.init_s, "cancel_s": cancel_s,
            "statuses": {k: v.value for k, v in result.statuses.items()}, "llm_calls": len(server.chat_requests)}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]))))
