"""What `run_one` costs around an agent, next to a bare sandbox open/close in the same run.

`run_one` adds, over the sandbox itself: resolving the competition, the run directory and its lock,
building the agent and the task, copying the submission out without following links, grading it on the
host and writing `record.json`. Two agents isolate the parts: one that returns at once (nothing to grade)
and one that copies the sample submission through a script (a real grading).

    .venv/bin/python benchmarks/runner.py [--repeats 10] [--backend bwrap]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import data as bench_data  # noqa: E402
from bench.registry import get_competition  # noqa: E402
from bench.runner import RunSpec, run_one  # noqa: E402
from sandbox import SandboxConfig, open_sandbox  # noqa: E402
from scaffolds.core import agent as registry  # noqa: E402
from scaffolds.core.agent import AgentResult  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "runner.md"


class Instant:
    name = "instant"

    def run(self, task, sandbox, llm, run_dir) -> AgentResult:
        return AgentResult("submitted", "nothing to do")


class SampleCopy:
    name = "sample-copy"

    def run(self, task, sandbox, llm, run_dir) -> AgentResult:
        sandbox.write_file("code/copy.py", "import shutil\nshutil.copy('{}/sample_submission.csv', '{}/submission.csv')\n"
                           .format(sandbox.paths.data, sandbox.paths.submission))
        sandbox.run_script("code/copy.py")
        return AgentResult("submitted", "sample copied", steps=1)


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--backend", default="bwrap")
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args()
    registry.BUILTIN_AGENTS.update({"instant": f"{__name__}:Instant", "sample-copy": f"{__name__}:SampleCopy"})
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        comp = get_competition("titanic-offline")
        public = bench_data.prepare(comp, root / "data").public

        def bare() -> None:
            work = Path(tempfile.mkdtemp(dir=root))
            open_sandbox(SandboxConfig(data_dir=public, workspace=work, backend=args.backend)).close()

        def bare_script() -> None:
            work = Path(tempfile.mkdtemp(dir=root))
            with open_sandbox(SandboxConfig(data_dir=public, workspace=work, backend=args.backend)) as sandbox:
                SampleCopy().run(None, sandbox, None, work)

        def episode(agent: str):
            spec = RunSpec(agent=agent, competition=comp.id, sandbox=args.backend, data_dir=str(root / "data"),
                           out_dir=str(root / "runs"), models=(("main", "openai/none"),),
                           api_base="http://127.0.0.1:9/v1")
            return lambda: run_one(spec)

        rows = [("bare sandbox open + close", median_ms(bare, args.repeats), None),
                ("run_one, agent returns at once", median_ms(episode("instant"), args.repeats), "bare"),
                ("bare sandbox + one script copying the sample", median_ms(bare_script, args.repeats), None),
                ("run_one, same script + grading", median_ms(episode("sample-copy"), args.repeats), "script")]
    base = {"bare": rows[0][1], "script": rows[2][1]}
    lines = [f"# run_one overhead ({args.backend})", "",
             f"Command: `python benchmarks/runner.py --repeats {args.repeats} --backend {args.backend}`", "",
             f"Machine: {platform.platform()}, Python {platform.python_version()}; medians of {args.repeats}.", "",
             "| measure | median | vs baseline |", "|---|---|---|"]
    for name, ms, against in rows:
        ratio = f"{ms / base[against]:.2f}x (+{ms - base[against]:.0f} ms)" if against else "baseline"
        lines.append(f"| {name} | {ms:.0f} ms | {ratio} |")
    text = "\n".join(lines) + "\n"
    args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
