"""MLAB harness benchmark: what the scaffold itself costs per step, next to what a step costs anyway.

1. Per-step harness overhead: a scripted LLM server (instant replies) drives a cycle of the actions
   MLE-bench's models used (List Files, Edit Script (AI), Execute Script on a trivial script, Validate
   Submission, Inspect Script Lines), so a step is almost pure harness: prompt building, parsing,
   the action's sandbox calls, the changed-file scan, copies of changed files, the trajectory line.
   Overhead = the step's share of the run's elapsed time minus its LLM time minus its script time
   (all recorded in trajectory.jsonl).
2. Execute Script through MLAB's launcher vs the same script through a bare `sandbox.run_script`, in
   the same run (the launcher's cost; both include the sandbox's process start).
3. A smoke run with the embedded model (`--local-steps N`, needs `make local-model`): what each real
   step did and cost, and whether the run ended with a valid submission.

    .venv/bin/python benchmarks/mlab.py [--steps 40] [--backend bwrap] [--repeats 10] [--local-steps 0]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._titanic import open_box, prepare, task_for  # noqa: E402

TRIVIAL = ('import shutil\nshutil.copyfile("data/sample_submission.csv", "submission/submission.csv")\n'
           'print("Validation accuracy: 0.5000")\n')


def _say(action: str, args: dict) -> str:
    return (f"Reflection: fine.\nResearch Plan and Status: 1. baseline **in progress**\nFact Check: none\n"
            f"Thought: next.\nAction: {action}\nAction Input: {json.dumps(args)}")


CYCLE = [
    ("List Files", {"dir_path": "."}),
    ("Edit Script (AI)", {"script_name": "train.py", "edit_instruction": "copy the sample", "save_name": "train.py"}),
    ("Execute Script", {"script_name": "train.py"}),
    ("Validate Submission", {"submission_path": "submission/submission.csv"}),
    ("Inspect Script Lines", {"script_name": "train.py", "start_line_number": 1, "end_line_number": 3}),
]


def _rule(max_steps: int):
    """Main replies cycle through CYCLE (the step is read from <STEPS_REMAINING>); edits get TRIVIAL."""
    import re

    from scaffolds.core.llm.testing import Reply

    def rule(body):
        messages = body.get("messages") or [{}]
        if str(messages[0].get("content") or "").startswith("Here is a Python script"):
            return Reply.text(f"```python\n{TRIVIAL}```")
        left = re.findall(r"<STEPS_REMAINING: (\d+)>", str(messages[-1].get("content") or ""))
        action, args = CYCLE[(max_steps - int(left[-1]) if left else 0) % len(CYCLE)]
        return Reply.text(_say(action, args))

    return rule


def scripted_steps(comp, data_dir: Path, public: Path, backend: str, steps: int, work: Path) -> dict:
    from scaffolds.core.llm import LLM
    from scaffolds.core.llm.testing import ScriptedServer
    from scaffolds.mlab import trajectory
    from scaffolds.mlab.agent import MlabAgent
    from scaffolds.mlab.config import load_config

    rd = work / "scripted"
    config = load_config("default", overrides=[{"steps": steps}])
    with ScriptedServer(rule=_rule(steps)) as server, open_box(comp, data_dir, public, rd / "workspace", backend) as box:
        llm = LLM("openai/scripted", api_base=server.url, max_retries=0)
        MlabAgent(config).run(task_for(comp, data_dir, box, steps), box, llm, rd)
    records = trajectory.load(rd / trajectory.FILE_NAME).steps
    rows, previous = [], 0.0
    for record in records:
        wall = record["elapsed_s"] - previous
        previous = record["elapsed_s"]
        timing = record["timing"]
        rows.append({"action": record["action"], "wall": wall, "llm": timing["llm_s"], "exec": timing["exec_s"],
                     "overhead": max(wall - timing["llm_s"] - timing["exec_s"], 0.0)})
    return {"rows": rows[1:]}  # step 0 pays litellm's first import


def launcher_vs_bare(comp, data_dir: Path, public: Path, backend: str, repeats: int, work: Path) -> dict:
    from scaffolds.mlab import execute

    with open_box(comp, data_dir, public, work / "startup" / "workspace", backend) as box:
        box.write_file("train.py", TRIVIAL.replace('"data/', f'"{box.paths.data}/').replace(
            '"submission/', f'"{box.paths.submission}/'))
        execute.execute_script(box, "train.py", 60, combined=True)  # warm-up
        times = {"launcher": [], "bare": []}
        for _ in range(repeats):
            t0 = time.monotonic()
            execute.execute_script(box, "train.py", 60, combined=True)
            times["launcher"].append(time.monotonic() - t0)
            t0 = time.monotonic()
            box.run_script("train.py", timeout=60)
            times["bare"].append(time.monotonic() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def local_run(comp, data_dir: Path, public: Path, backend: str, steps: int, model: str, work: Path) -> dict:
    from scaffolds.core.agent import AgentOptions
    from scaffolds.core.task import TaskLimits
    from scaffolds.mlab import trajectory
    from scaffolds.mlab.agent import MlabAgent

    rd = work / "local"
    options = AgentOptions(preset="default", models={"main": model}, limits=TaskLimits(max_steps=steps))
    agent = MlabAgent.from_options(options)
    t0 = time.monotonic()
    with open_box(comp, data_dir, public, rd / "workspace", backend) as box:
        result = agent.run(task_for(comp, data_dir, box, steps), box, agent.main_llm, rd)
    wall = time.monotonic() - t0
    records = trajectory.load(rd / trajectory.FILE_NAME).steps
    return {"model": model, "reason": result.reason, "wall": wall, "validation": result.extra["validation"],
            "steps": [{"action": r["action"], "retries": r["format_retries"], "llm": r["timing"]["llm_s"],
                       "exec": r["timing"]["exec_s"], "harness": r["timing"]["harness_s"],
                       "tokens": r["llm"]["prompt_tokens"] + r["llm"]["completion_tokens"]} for r in records]}


def local_report(run: dict) -> str:
    steps = run["steps"]
    llm, harness = sum(s["llm"] for s in steps), sum(s["harness"] for s in steps)
    valid = (run["validation"] or {}).get("valid")
    why = (run["validation"] or {}).get("message", "not validated")
    summary = (f"Ended: {run['reason']}; {len(steps)} steps in {run['wall']:.0f} s; final submission valid: "
               f"{valid} ({why}). LLM {100 * llm / run['wall']:.1f} % of the wall time, harness "
               f"{100 * harness / run['wall']:.3f} %.")
    lines = ["", f"### Smoke run with the embedded model (`{run['model']}`, default preset)", "", summary, "",
             "| step | action | format re-asks | LLM s | script s | harness ms | tokens |",
             "|---|---|---|---|---|---|---|"]
    for i, s in enumerate(steps):
        lines.append(f"| {i} | {s['action']} | {s['retries']} | {s['llm']:.0f} | {s['exec']:.1f} | "
                     f"{s['harness'] * 1000:.0f} | {s['tokens']} |")
    return "\n".join(lines) + "\n"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def report(args, scripted: dict, startup: dict) -> str:
    rows = scripted["rows"]
    overhead = [r["overhead"] for r in rows]
    p90 = sorted(overhead)[int(0.9 * (len(overhead) - 1))]
    wall, llm, exe = (statistics.median(r[k] for r in rows) for k in ("wall", "llm", "exec"))
    lines = [
        "## MLAB scaffold", "",
        (f"Command: `.venv/bin/python benchmarks/mlab.py --steps {args.steps} --backend {args.backend} "
         f"--repeats {args.repeats} --local-steps {args.local_steps} --local-model {args.local_model}`"),
        (f"Machine: {platform.machine()}, Linux {platform.release()}, python {platform.python_version()}; "
         f"2 cores shared with other jobs (load average {os.getloadavg()[0]:.1f} at the end). "
         "Competition: titanic-offline."), "",
        "| Measure | Value |", "|---|---|",
        (f"| Harness overhead per step (median / p90), scripted LLM, {len(rows)} steps | "
         f"{_ms(statistics.median(overhead))} / {_ms(p90)} |"),
        (f"| Whole scripted step (median over all actions): LLM calls / script run | "
         f"{_ms(wall)}: {_ms(llm)} / {_ms(exe)} |"),
        (f"| Overhead share of a scripted step (worst case: instant LLM, trivial script) | "
         f"{100 * statistics.median(overhead) / wall:.1f} % |"),
    ]
    for action in dict.fromkeys(r["action"] for r in rows):
        mine = [r for r in rows if r["action"] == action]
        lines.append(f"| {action}: overhead / LLM / script (median of {len(mine)}) | "
                     f"{_ms(statistics.median(r['overhead'] for r in mine))} / "
                     f"{_ms(statistics.median(r['llm'] for r in mine))} / "
                     f"{_ms(statistics.median(r['exec'] for r in mine))} |")
    ratio = startup["launcher"] / startup["bare"]
    lines.append(f"| Execute Script via MLAB's launcher vs bare `sandbox.run_script` ({args.backend}) | "
                 f"{_ms(startup['launcher'])} vs {_ms(startup['bare'])} (x{ratio:.2f}) |")
    lines += ["", ("Overhead counts prompt building, reply and input parsing, the action's own sandbox calls "
              "(file reads and writes, validation, the launcher write), the changed-file scan after a script "
              "(`find` in the sandbox shell), copies of changed files into steps/NNNN/ and the fsynced "
              "trajectory line; LLM time counts the client and the HTTP round trip to the scripted server, "
              "including the edit model's call in Edit Script (AI). A real step adds seconds to minutes of "
              "LLM time (see benchmarks/results/llm.md), so the harness share of a real step is far smaller.")]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--backend", default="bwrap")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--local-steps", type=int, default=0, help="steps of a smoke run with the embedded model")
    parser.add_argument("--local-model", default="local")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "mlab.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlab-bench-") as tmp:
        work = Path(tmp)
        data_dir = args.data_dir or work / "data"
        comp, public = prepare(data_dir)
        scripted = scripted_steps(comp, data_dir, public, args.backend, args.steps, work)
        startup = launcher_vs_bare(comp, data_dir, public, args.backend, args.repeats, work)
        text = report(args, scripted, startup)
        if args.local_steps:
            text += local_report(local_run(comp, data_dir, public, args.backend, args.local_steps,
                                           args.local_model, work))
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
