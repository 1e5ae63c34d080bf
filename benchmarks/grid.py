"""Grid runner benchmark: what running many episodes costs on top of `run_one`, locally and on Ray.

Every run is a short scripted episode: one call to a scripted LLM on loopback (instant reply), one
script in a bwrap sandbox that copies the sample submission, validation, grading, record.json. So a run
is almost pure harness, and the grid's share of it shows.

1. Runner overhead per run: the same specs through `run_one` called in a loop in this process, and
   through the grid on the local pool with one worker (fork server already warm; its one-time start is
   reported apart).
2. Throughput: a grid of short runs with 1 and with 2 workers (runs per minute).
3. Ray: `ray.init` of a local cluster, then the same grid as Ray tasks (one CPU each), against the local
   pool with as many workers, measured in one process inside a fresh network namespace that holds only
   loopback (Ray binds every interface it sees).

    .venv/bin/python benchmarks/grid.py [--runs 8] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import data as bench_data  # noqa: E402
from bench.executors import LocalPool, RayExecutor  # noqa: E402
from bench.grid import Status, run_specs  # noqa: E402
from bench.registry import get_competition  # noqa: E402
from bench.runner import RunSpec, run_one  # noqa: E402
from scaffolds.core.agent import AgentResult  # noqa: E402
from scaffolds.core.llm import Message  # noqa: E402
from scaffolds.core.llm.testing import Reply, ScriptedServer  # noqa: E402

COMPETITION = "titanic-offline"
AGENT = "bench-oneshot"
COPY = "```python\nimport shutil\nshutil.copy('/home/data/sample_submission.csv', '/home/submission/submission.csv')\n```"
OUT = Path(__file__).parent / "results" / "grid.md"


class BenchOneShot:
    """One LLM call, one script, done: the shortest episode that still uses every part of a run."""

    name = AGENT

    def run(self, task, sandbox, llm, run_dir: Path) -> AgentResult:
        reply = llm.chat([Message.user(task.prompt_text())])
        code = re.search(r"```python\n(.*?)```", reply.text, re.S).group(1)
        code = code.replace("/home/data", sandbox.paths.data).replace("/home/submission", sandbox.paths.submission)
        sandbox.write_file("code/solution.py", code)
        sandbox.run_script("code/solution.py")
        return AgentResult("submitted", "copied the sample", steps=1)


def register_agent(site: Path) -> None:
    """Entry-point record for the benchmark agent: worker processes find agents through entry points."""
    dist = site / "mle_suite_grid_bench-0.0.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mle-suite-grid-bench\nVersion: 0.0\n")
    (dist / "entry_points.txt").write_text(f"[mle_suite.agents]\n{AGENT} = benchmarks.grid:BenchOneShot\n")
    sys.path.insert(0, str(site))


def specs(root: Path, n: int, data_dir: Path, api_base: str) -> list[RunSpec]:
    return [RunSpec(agent=AGENT, competition=COMPETITION, seed=i, sandbox="bwrap", data_dir=str(data_dir),
                    models=(("main", "openai/scripted"),), api_base=api_base, out_dir=str(root),
                    run_dir=str(root / f"run{i}")) for i in range(n)]


def timed_grid(batch: list[RunSpec], executor) -> float:
    started = time.perf_counter()
    result = run_specs(batch, executor, poll_s=0.05)
    elapsed = time.perf_counter() - started
    if result.count(Status.DONE) != len(batch):
        raise SystemExit(f"benchmark runs failed: {result.statuses}")
    return elapsed


def local_measures(n: int, data_dir: Path, tmp: Path, url: str) -> dict[str, float]:
    out: dict[str, float] = {}
    warm = specs(tmp / "warm", 1, data_dir, url)
    run_one(warm[0])  # imports and first-use costs, paid once by any process
    seconds = []
    for spec in specs(tmp / "run_one", n, data_dir, url):
        started = time.perf_counter()
        run_one(spec)
        seconds.append(time.perf_counter() - started)
    out["run_one_s"] = statistics.median(seconds)
    started = time.perf_counter()
    pool = LocalPool(1)
    timed_grid(specs(tmp / "pool_warm", 1, data_dir, url), pool)  # starts the fork server
    out["pool_start_s"] = time.perf_counter() - started
    out["pool1_total_s"] = timed_grid(specs(tmp / "pool1", n, data_dir, url), pool)
    out["pool2_total_s"] = timed_grid(specs(tmp / "pool2", n, data_dir, url), LocalPool(2))
    return out


def ray_measures(n: int, data_dir: Path, tmp: Path) -> dict[str, float]:
    """Inside the loopback-only namespace: the local pool and Ray, same grid, same process."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    out: dict[str, float] = {}
    with ScriptedServer(rule=lambda body: Reply(content=COPY)) as server:
        pool = LocalPool(2)
        timed_grid(specs(tmp / "ns_warm", 1, data_dir, server.url), pool)
        out["ns_pool2_total_s"] = timed_grid(specs(tmp / "ns_pool2", n, data_dir, server.url), pool)
        ray = RayExecutor("local", cpus_per_run=1, gpus_per_run=0, workers=2)
        try:
            out["ray_init_s"] = ray.init_s
            out["ray_first_total_s"] = timed_grid(specs(tmp / "ray1", n, data_dir, server.url), ray)
            out["ray_warm_total_s"] = timed_grid(specs(tmp / "ray2", n, data_dir, server.url), ray)
        finally:
            ray.close()
    return out


def render(args: argparse.Namespace, local: dict[str, float], ray: dict[str, float]) -> str:
    n = args.runs
    per = {k: v / n for k, v in {**local, **ray}.items() if k.endswith("total_s")}
    rows = [
        ("`run_one` alone, per run (median, warm process)", f"{local['run_one_s']:.2f} s", "1.00x"),
        ("local pool, 1 worker, per run (grid wall time / runs)", f"{per['pool1_total_s']:.2f} s", f"{per['pool1_total_s'] / local['run_one_s']:.2f}x"),
        ("runner overhead per run (pool, 1 worker, minus `run_one`)",
         f"{per['pool1_total_s'] - local['run_one_s']:+.2f} s", ""),
        ("local pool start (fork server importing the runner and litellm) + first run", f"{local['pool_start_s']:.1f} s", ""),
        ("throughput, 1 worker", f"{60 / per['pool1_total_s']:.1f} runs/min", "1.00x"),
        ("throughput, 2 workers", f"{60 / per['pool2_total_s']:.1f} runs/min",
         f"{per['pool1_total_s'] / per['pool2_total_s']:.2f}x"),
        ("Ray: `ray.init` of a local cluster", f"{ray['ray_init_s']:.1f} s", ""),
        ("local pool, 2 workers, grid wall time / runs (in the namespace)", f"{per['ns_pool2_total_s']:.2f} s", "1.00x"),
        ("Ray, 2 CPUs, first grid, wall time / runs (worker start-up included)", f"{per['ray_first_total_s']:.2f} s",
         f"{per['ray_first_total_s'] / per['ns_pool2_total_s']:.2f}x"),
        ("Ray, 2 CPUs, warm workers, wall time / runs", f"{per['ray_warm_total_s']:.2f} s",
         f"{per['ray_warm_total_s'] / per['ns_pool2_total_s']:.2f}x"),
        ("Ray per-run difference (warm workers minus the local pool)",
         f"{per['ray_warm_total_s'] - per['ns_pool2_total_s']:+.2f} s", ""),
    ]
    lines = ["## Grid runner", "", f"Command: `.venv/bin/python benchmarks/grid.py --runs {n}`", "",
             f"Machine: {platform.machine()}, {platform.platform()}, python {platform.python_version()}, "
             f"{os.cpu_count()} cores shared with other jobs. Each run: one scripted LLM call on loopback, one "
             f"script in a bwrap sandbox copying the sample submission, validation, grading, record.json "
             f"({COMPETITION}). Grids of {n} runs.", "",
             "| Measure | Value | Ratio |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines += ["", "Ratios are against the row marked 1.00x above them, measured in the same process. The Ray rows "
              "and the pool row they compare with ran in one process inside a fresh network namespace holding "
              "only loopback. A pool run is a fresh process forked from a server that already imported the "
              "runner, litellm, pandas and jupyter_client; what it still pays per run is first-use work (litellm's "
              "lazy imports on the first call, the competition module, a new HTTP client). Ray runs each episode "
              "inside a reused worker process, so after the first grid it pays none of that.", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8, help="runs per grid")
    parser.add_argument("--data-dir", type=Path, help="prepared data (default: a temp dir, prepared here)")
    parser.add_argument("--ray-part", type=Path, help=argparse.SUPPRESS)  # internal: the namespace half
    args = parser.parse_args()
    tmp = args.ray_part or Path(tempfile.mkdtemp(prefix="grid-bench-"))
    register_agent(tmp / "site")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(tmp / "site"), str(Path(__file__).resolve().parents[1])])
    data_dir = args.data_dir or tmp / "data"
    if args.ray_part:
        print(json.dumps(ray_measures(args.runs, data_dir, tmp)))
        return 0
    bench_data.prepare(get_competition(COMPETITION), data_dir)
    with ScriptedServer(rule=lambda body: Reply(content=COPY)) as server:
        local = local_measures(args.runs, data_dir, tmp, server.url)
    ray_tmp = tempfile.mkdtemp(prefix="rt-", dir="/tmp")
    env = {**os.environ, "RAY_TMPDIR": ray_tmp, "RAY_AUTH_MODE": "disabled"}
    done = subprocess.run(["unshare", "--net", "--", sys.executable, __file__, "--runs", str(args.runs),
                           "--data-dir", str(data_dir), "--ray-part", str(tmp)], env=env, capture_output=True,
                          text=True, timeout=1200)
    subprocess.run(["rm", "-rf", ray_tmp, str(tmp)], check=False)
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-4000:], file=sys.stderr)
        return 1
    text = render(args, local, json.loads(done.stdout.strip().splitlines()[-1]))
    OUT.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
