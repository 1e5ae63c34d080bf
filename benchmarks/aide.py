"""AIDE harness benchmark: what the scaffold itself costs per node, next to what a node must cost anyway.

1. Per-node harness overhead: a scripted LLM server (instant replies) and a trivial script that copies
   the sample submission, so a step is almost pure harness: prompt building, parsing, writing the script,
   clearing/copying/validating the submission, the progress saves before the script and before the
   review, the journal + tree HTML saves, the heartbeat. Overhead = step time minus LLM call time minus
   the script's own run time (as recorded per node in the journal).
2. Node start-up: running the same trivial script through `sandbox.run_script` vs a bare
   `python script.py` (subprocess), in the same run.
3. Steps per hour with the embedded local model (only when its runtime and weights are installed).
4. With `--baseline-src DIR` (another checkout, e.g. `git archive <commit> | tar -x -C DIR`): the
   per-node overhead of this checkout and of the baseline, measured in alternating child processes
   in the same run, and their ratio.

    .venv/bin/python benchmarks/aide.py [--steps 30] [--backend local] [--local-steps 3] [--baseline-src DIR]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TRIVIAL = """import shutil
shutil.copyfile({sample!r}, {sub!r})
print("Validation accuracy: 0.5000")
"""


def _rule(public: Path, sub_path_of):
    from scaffolds.core.llm.testing import Reply

    def rule(body):
        first = str((body.get("messages") or [{}])[0].get("content") or "")
        if body.get("tools") or "submit_review" in first:
            return Reply.tool("submit_review", {"is_bug": False, "summary": "ok", "metric": 0.5,
                                                "lower_is_better": False, "has_csv_submission": True})
        code = TRIVIAL.format(sample=str(public / "sample_submission.csv"), sub=sub_path_of(body))
        return Reply.text(f"Copy the sample.\n\n```python\n{code}```")

    return rule


def _sub_path(body) -> str:
    import re

    text = "\n".join(str(m.get("content") or "") for m in body["messages"])
    return re.search(r"save the predictions for the test set to `([^`]+)`", text).group(1)


def prepare(data_dir: Path):
    from bench import data as bench_data
    from bench.registry import get_competition

    comp = get_competition("titanic-offline")
    if not bench_data.is_prepared(comp, data_dir):
        bench_data.prepare(comp, data_dir)
    return comp, bench_data.competition_paths(comp, data_dir).public


def open_box(comp, data_dir: Path, public: Path, workspace: Path, backend: str):
    from bench.validate import make_validator
    from sandbox import SandboxConfig, open_sandbox

    return open_sandbox(SandboxConfig(data_dir=public, workspace=workspace, backend=backend,
                                      validator=make_validator(comp, data_dir)))


def task_for(comp, sandbox, steps: int):
    from bench.task import TaskPaths, build_task
    from scaffolds.core.task import TaskLimits

    p = sandbox.paths
    paths = TaskPaths(data=str(p.data), submission=f"{p.submission}/submission.csv", code=str(p.code),
                      logs=str(p.logs), validate_url=sandbox.validation_url,
                      validate_script=f"{p.home}/validate_submission.sh")
    return build_task(comp, Path("."), TaskLimits(wall_time_s=3600, max_steps=steps), paths=paths)


def bench_overhead(comp, data_dir, public, backend, steps, tmp: Path) -> dict:
    from scaffolds.aide.agent import AideAgent
    from scaffolds.aide.config import load_config, parse_override
    from scaffolds.core.llm import LLM
    from scaffolds.core.llm.testing import ScriptedServer
    from scaffolds.core.rundir import RunDir

    rd = RunDir(tmp / "overhead")
    cfg = load_config("default", None, [parse_override(f"steps={steps}"), parse_override("search.num_drafts=2"),
                                        parse_override("search.debug_prob=0")])
    with ScriptedServer(rule=_rule(public, _sub_path)) as server, \
            open_box(comp, data_dir, public, rd.workspace, backend) as sandbox:
        llm = LLM("openai/scripted", api_base=server.url, price=(0.0, 0.0))
        llm.count_tokens("warm up")  # the tokenizer loads once per process, not per node
        AideAgent(cfg).run(task_for(comp, sandbox, steps), sandbox, llm, rd)
    nodes = json.loads(rd.journal.read_text())["nodes"][1:]  # step 0 pays one-off imports
    return summarize(nodes)


def summarize(nodes: list[dict]) -> dict:
    over = [n["timing"]["overhead_s"] for n in nodes]
    step = [n["timing"]["step_s"] for n in nodes]
    llm_s = [n["timing"]["code_llm_s"] + n["timing"]["review_llm_s"] for n in nodes]
    exec_s = [n["timing"]["exec_s"] for n in nodes]
    return {"nodes": len(nodes), "overhead_ms": 1000 * statistics.median(over),
            "overhead_p90_ms": 1000 * sorted(over)[int(0.9 * (len(over) - 1))],
            "step_ms": 1000 * statistics.median(step), "llm_ms": 1000 * statistics.median(llm_s),
            "exec_ms": 1000 * statistics.median(exec_s),
            "share_scripted": statistics.median(o / s for o, s in zip(over, step, strict=True)),
            "buggy": sum(n["is_buggy"] for n in nodes), "raw_nodes": nodes}


def bench_versus(args, rounds: int) -> dict:
    """Overhead of this checkout and of `args.baseline_src`, alternating child processes (ABBA...)."""
    here = str(Path(__file__).resolve().parents[1])
    pooled: dict[str, list[dict]] = {"this": [], "baseline": []}
    for r in range(rounds):
        order = [("this", here), ("baseline", str(args.baseline_src))]
        for label, src in order if r % 2 == 0 else order[::-1]:
            cmd = [sys.executable, __file__, "--overhead-only", "--src", src, "--steps", str(args.steps),
                   "--backend", args.backend, "--data-dir", str(args.data_dir)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=True)
            pooled[label] += json.loads(done.stdout.strip().splitlines()[-1])["raw_nodes"]
    this, base = summarize(pooled["this"]), summarize(pooled["baseline"])
    return {"this": this, "baseline": base, "ratio": this["overhead_ms"] / base["overhead_ms"], "rounds": rounds}


def bench_startup(comp, data_dir, public, backend, repeats, tmp: Path) -> dict:
    with open_box(comp, data_dir, public, tmp / f"startup-{backend}", backend) as sandbox:
        code = "print('hello')\n"
        sandbox.write_file("code/trivial.py", code)
        host_script = Path(sandbox.host_paths.code) / "trivial.py"
        sandbox.run_script("code/trivial.py", timeout=60)  # warm
        subprocess.run([sys.executable, str(host_script)], capture_output=True)
        inside, bare = [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            sandbox.run_script("code/trivial.py", timeout=60)
            inside.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, str(host_script)], capture_output=True)
            bare.append(time.perf_counter() - t0)
        backend_name = sandbox.backend
    return {"backend": backend_name, "sandbox_ms": 1000 * statistics.median(inside),
            "bare_ms": 1000 * statistics.median(bare),
            "ratio": statistics.median(inside) / statistics.median(bare)}


def bench_local(comp, data_dir, public, backend, steps, tmp: Path) -> dict | None:
    """Steps per hour with the embedded model on a real run; None when it is not installed."""
    from scaffolds.aide.agent import AideAgent
    from scaffolds.aide.config import load_config, parse_override
    from scaffolds.core.llm import LLM, LLMError
    from scaffolds.core.rundir import RunDir

    try:
        llm = LLM("local", temperature=0.5)
    except LLMError as exc:
        print(f"local model not available: {exc}")
        return None
    rd = RunDir(tmp / "local")
    cfg = load_config("default", None, [parse_override(f"steps={steps}")])
    t0 = time.monotonic()
    with open_box(comp, data_dir, public, rd.workspace, backend) as sandbox:
        result = AideAgent(cfg).run(task_for(comp, sandbox, steps), sandbox, llm, rd)
    wall = time.monotonic() - t0
    nodes = json.loads(rd.journal.read_text())["nodes"]
    llm_s = sum(n["timing"]["code_llm_s"] + n["timing"]["review_llm_s"] for n in nodes)
    return {"steps": len(nodes), "wall_s": wall, "steps_per_hour": 3600 * len(nodes) / wall,
            "llm_share": llm_s / wall, "working": sum(not n["is_buggy"] for n in nodes),
            "tokens": result.tokens, "reason": result.reason}


def render(args, over: dict, starts: list[dict], local: dict | None, versus: dict | None) -> str:
    lines = [
        "## AIDE scaffold",
        "",
        f"Command: `.venv/bin/python benchmarks/aide.py --steps {args.steps} --backend {args.backend} "
        f"--startup-backends {args.startup_backends} --repeats {args.repeats} --local-steps {args.local_steps} "
        f"--data-dir {args.data_dir}"
        + (f" --baseline-src {args.baseline_src} --baseline-label {args.baseline_label} --rounds {args.rounds}"
           if versus else "") + "`",
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"python {platform.python_version()}; "
        "2 cores shared with other jobs. Competition: titanic-offline.",
        "",
        "| Measure | Value |",
        "|---|---|",
        f"| Harness overhead per node (median / p90), scripted LLM, trivial script, {over['nodes']} nodes | "
        f"{over['overhead_ms']:.0f} ms / {over['overhead_p90_ms']:.0f} ms |",
        f"| Whole scripted step (median): LLM calls / script run | {over['step_ms']:.0f} ms: "
        f"{over['llm_ms']:.0f} ms / {over['exec_ms']:.0f} ms |",
        "| Overhead share of a scripted step (worst case: instant LLM, trivial script) | "
        f"{100 * over['share_scripted']:.1f} % |",
    ]
    if versus:
        this, base = versus["this"], versus["baseline"]
        lines.append(f"| Overhead per node vs baseline `{args.baseline_label}` ({versus['rounds']} alternating rounds, "
                     f"{this['nodes']} + {base['nodes']} nodes) | {this['overhead_ms']:.0f} ms vs "
                     f"{base['overhead_ms']:.0f} ms (x{versus['ratio']:.2f}) |")
    lines += [f"| Script start-up via sandbox.run_script ({s['backend']}) vs bare `python script.py` | "
              f"{s['sandbox_ms']:.0f} ms vs {s['bare_ms']:.0f} ms (x{s['ratio']:.2f}) |" for s in starts]
    if local:
        share = over["overhead_ms"] / 1000 / (local["wall_s"] / max(local["steps"], 1))
        lines += [
            f"| Steps per hour, embedded model ({local['steps']} steps, {local['working']} working) | "
            f"{local['steps_per_hour']:.0f} (LLM {100 * local['llm_share']:.0f} % of wall time) |",
            f"| Overhead share of a real local-model step | {100 * share:.3f} % |",
        ]
    else:
        lines.append("| Steps per hour, embedded model | not measured: model not installed on this machine |")
    lines += ["", "Overhead counts prompt building, reply parsing, writing the script, clearing, copying and "
              "validating the submission, the progress saves before the script and the review, and the journal "
              "+ tree HTML saves; LLM time counts the client and the HTTP round trip to the scripted server."]
    return "\n".join(lines) + "\n"


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--backend", default="local")
    p.add_argument("--local-steps", type=int, default=3)
    p.add_argument("--startup-backends", default="local,bwrap", help="backends for the start-up comparison")
    p.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "mle-suite-bench-data")
    p.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "aide.md")
    p.add_argument("--baseline-src", type=Path, help="another checkout to compare the per-node overhead with")
    p.add_argument("--baseline-label", default="baseline", help="how the baseline is named in the table")
    p.add_argument("--rounds", type=int, default=4, help="alternating rounds of the baseline comparison")
    p.add_argument("--src", type=Path, help=argparse.SUPPRESS)  # child: import the project from here
    p.add_argument("--overhead-only", action="store_true", help=argparse.SUPPRESS)  # child: print JSON
    args = p.parse_args()
    if args.src:
        sys.path.insert(0, str(args.src.resolve()))
    comp, public = prepare(args.data_dir)
    if args.overhead_only:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(bench_overhead(comp, args.data_dir, public, args.backend, args.steps, Path(tmp))))
        return 0
    versus = bench_versus(args, args.rounds) if args.baseline_src else None
    with tempfile.TemporaryDirectory() as tmp:
        over = bench_overhead(comp, args.data_dir, public, args.backend, args.steps, Path(tmp))
        starts = []
        for backend in args.startup_backends.split(","):
            try:
                starts.append(bench_startup(comp, args.data_dir, public, backend, args.repeats, Path(tmp)))
            except Exception as exc:  # a backend missing here is reported, not fatal
                print(f"start-up on {backend} not measured: {exc}")
        local = bench_local(comp, args.data_dir, public, args.backend, args.local_steps, Path(tmp)) \
            if args.local_steps > 0 else None
    text = render(args, over, starts, local, versus)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
