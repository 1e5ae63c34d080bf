"""The README's main command over several seeds: does the embedded model reach a valid, graded submission?

    python benchmarks/first_run.py [--agent aide] [--comp titanic-offline] [--seeds 5] [--sandbox auto]
                                   [--label NAME] [override ...]

Each seed is one `python -m bench run --agent AGENT --comp COMP --model local --seed S` (the agent's
`default` preset, the embedded model, a real sandbox), run one after another so each has the machine to
itself. Overrides (`aids=false`, `steps=4`, ...) go to the agent, so a "before" row is one flag away.
Reported per configuration: valid-submission rate, time from the command's start to the first valid
node (AIDE's journal) or the first step after which the submission was valid (MLAB's and CodeAct's
trajectories), the whole run's time, medals against the competition's leaderboard (the offline reference
ladder), steps per minute, and where the failing steps failed: AIDE's exception types (or the bug reason
when the script itself did not fail), MLAB's and CodeAct's last exception in a step's output (or MLAB's
repeat notice). Appends a section to benchmarks/results/first_run.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "first_run.md"


@dataclass
class SeedResult:
    seed: int
    wall_s: float
    steps: int = 0
    valid: bool = False
    score: float | None = None
    medal: str = "none"
    first_valid_s: float | None = None
    failures: Counter = field(default_factory=Counter)
    import_fixes: Counter = field(default_factory=Counter)  # "added"/"replaced" import lines (aids.import_check)
    note: str = ""


def _medal(grade: dict) -> str:
    for name in ("gold", "silver", "bronze"):
        if grade.get(f"{name}_medal"):
            return name
    return "above median" if grade.get("above_median") else "none"


def _journal_figures(run_dir: Path, started: float, result: SeedResult) -> None:
    """First valid node (seconds from the command's start) and failure causes, from AIDE's journal."""
    journal = run_dir / "journal.json"
    if not journal.is_file():
        return
    nodes = json.loads(journal.read_text()).get("nodes", [])
    for node in nodes:
        result.import_fixes.update(fix.split(":")[0] for fix in node.get("import_fixes", []))
        if node.get("is_buggy"):
            reasons = node.get("bug_reasons") or ["?"]
            result.failures[node.get("exc_type") or reasons[0].split(":")[0]] += 1
        elif result.first_valid_s is None:
            result.first_valid_s = node["created_at"] + node["timing"]["step_s"] - started


# The last exception line of a traceback in a step's observation ("KeyError: 'churned'").
EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_][\w.]*\.)?([A-Za-z_]\w*(?:Error|Exception|Interrupt|Exit))\b", re.M)
# MLAB's repeat notice (fixes.repeat_notice): the same action and input, the same result, again.
REPEATED = "times in a row and got the same result"


def step_failure(observation: object) -> str | None:
    """Why one MLAB or CodeAct step failed, from its observation: the exception its code raised, the repeat
    notice, or None (the step did not fail). CodeAct's observation is a dict whose `text` is the output."""
    text = observation.get("text", "") if isinstance(observation, dict) else str(observation or "")
    if REPEATED in text:
        return "the same action repeated"
    exceptions = EXCEPTION_LINE.findall(text)
    return exceptions[-1] if exceptions else None


def _trajectory_figures(run_dir: Path, started: float, result: SeedResult) -> None:
    """From MLAB's or CodeAct's trajectory: the first valid submission (seconds from the command's start),
    the first step after which the submission passed the format check (`submission_valid`), and what each
    failing step failed with."""
    trajectory = run_dir / "trajectory.jsonl"
    if not trajectory.is_file():
        return
    for line in trajectory.read_text().splitlines():
        record = json.loads(line)
        if "observation" in record and (failure := step_failure(record["observation"])):
            result.failures[failure] += 1
        if record.get("submission_valid") and result.first_valid_s is None:
            result.first_valid_s = (record.get("time") or record["ts"]) - started


def run_seed(args: argparse.Namespace, seed: int, out: Path) -> SeedResult:
    cmd = [sys.executable, "-m", "bench", "run", "--agent", args.agent, "--comp", args.comp, "--model", "local",
           "--seed", str(seed), "--sandbox", args.sandbox, "--out", str(out), *args.data_dir_flag,
           *args.overrides]
    print("$", " ".join(cmd), flush=True)
    started = time.time()
    done = subprocess.run(cmd, cwd=HERE.parent, capture_output=True, text=True)
    result = SeedResult(seed=seed, wall_s=time.time() - started)
    runs = sorted(p for p in out.glob(f"*_{args.agent}_{args.comp}_seed{seed}_*") if p.is_dir())
    if not runs or not (runs[-1] / "record.json").is_file():
        result.note = f"no record (exit {done.returncode}): {(done.stderr or done.stdout)[-300:]}"
        return result
    record = json.loads((runs[-1] / "record.json").read_text())
    grade = record.get("grade") or {}
    result.steps = record.get("steps") or 0
    result.valid = bool(grade.get("valid_submission"))
    result.score = grade.get("score")
    result.medal = _medal(grade) if result.valid else "none"
    result.note = record.get("reason") or ""
    _journal_figures(runs[-1], started, result)
    _trajectory_figures(runs[-1], started, result)
    return result


def _minutes(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 60:.1f}"


def report(args: argparse.Namespace, results: list[SeedResult], load: tuple[float, float]) -> str:
    valid = [r for r in results if r.valid]
    firsts = [r.first_valid_s for r in results if r.first_valid_s is not None]
    walls = [r.wall_s for r in results]
    steps_per_min = sum(r.steps for r in results) / (sum(walls) / 60) if walls else 0.0
    failures = sum((r.failures for r in results), Counter())
    fixes = sum((r.import_fixes for r in results), Counter())
    medals = Counter(r.medal for r in valid if r.medal != "none")
    command = "python benchmarks/first_run.py " + " ".join(
        [f"--agent {args.agent}", f"--comp {args.comp}", f"--seeds {args.seeds}", f"--sandbox {args.sandbox}",
         *([f"--first-seed {args.first_seed}"] if args.first_seed else []),
         *args.overrides])
    lines = [
        f"## {args.label or args.agent}: {args.comp}, {len(results)} seeds ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        "",
        f"`{command}`; {os.cpu_count()} CPUs, load average before/after {load[0]:.1f}/{load[1]:.1f}.",
        "",
        f"- valid submissions: **{len(valid)}/{len(results)}**; medals: "
        + (", ".join(f"{n} {m}" for m, n in medals.most_common()) or "none"),
        f"- first valid node (from the command's start): median **{_minutes(statistics.median(firsts) if firsts else None)} min**"
        f" over the {len(firsts)} runs that had one",
        f"- whole run: median {_minutes(statistics.median(walls))} min, longest {_minutes(max(walls))} min",
        f"- steps per minute: {steps_per_min:.2f}",
        "- failing steps: " + (", ".join(f"{k} x{v}" for k, v in failures.most_common()) or "none"),
        "- import lines put in before a run (aids.import_check): "
        + (", ".join(f"{k} x{v}" for k, v in fixes.most_common()) or "none"),
        "",
        "| seed | valid | score | medal | first valid (min) | run (min) | steps | end |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        score = "-" if r.score is None else f"{r.score:.4f}"
        lines.append(f"| {r.seed} | {'yes' if r.valid else 'no'} | {score} | {r.medal} | {_minutes(r.first_valid_s)} "
                     f"| {_minutes(r.wall_s)} | {r.steps} | {r.note[:80]} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agent", default="aide")
    parser.add_argument("--comp", default="titanic-offline")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--sandbox", default="auto")
    parser.add_argument("--data-dir", type=Path, help="prepared data dir (default: the runner's)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/mle-suite-first-run"))
    parser.add_argument("--label", default="", help="the section's title (e.g. 'before: aids=false')")
    parser.add_argument("--no-write", action="store_true", help="print the section, do not append it")
    parser.add_argument("overrides", nargs="*", help="agent config overrides, e.g. aids=false")
    args = parser.parse_args(argv)
    args.data_dir_flag = ["--data-dir", str(args.data_dir)] if args.data_dir else []
    load_before = os.getloadavg()[0]
    results = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        result = run_seed(args, seed, args.out)
        print(f"seed {seed}: valid={result.valid} score={result.score} first_valid={_minutes(result.first_valid_s)} min "
              f"run={_minutes(result.wall_s)} min steps={result.steps} failures={dict(result.failures)} {result.note}",
              flush=True)
        results.append(result)
    section = report(args, results, (load_before, os.getloadavg()[0]))
    print(section)
    if not args.no_write:
        RESULTS.parent.mkdir(exist_ok=True)
        header = "" if RESULTS.is_file() else "# First run: the embedded model on the README's main command\n\n"
        with RESULTS.open("a") as sink:
            sink.write(header + section + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
