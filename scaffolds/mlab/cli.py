"""`python -m scaffolds.mlab`: PLACEHOLDER. The flags below mirror AIDE's CLI plus MLAB's model roles;
the lead wires `main` to `bench.runner.run_one` (one run path for every agent). Until then it only
parses the flags and says how to run MLAB."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scaffolds.mlab.config import preset_names


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m scaffolds.mlab", description="Run the MLAB agent on a competition.")
    p.add_argument("--comp", help="competition id (default: the offline default competition)")
    p.add_argument("--model", help="main model (litellm name, or 'local' for the embedded model)")
    p.add_argument("--feedback-model", help="edit and fast model unless --edit-model/--fast-model are given")
    p.add_argument("--edit-model", help="model of Edit Script (AI)")
    p.add_argument("--fast-model", help="model of summaries and Understand File")
    p.add_argument("--steps", type=int, help="maximum number of steps")
    p.add_argument("--time-limit", help="wall-clock limit for the run, e.g. 3600, 30m, 24h")
    p.add_argument("--exec-timeout", help="time limit per script, e.g. 600, 10m")
    p.add_argument("--preset", choices=preset_names(), help="config preset (default: default)")
    p.add_argument("--sandbox", choices=["auto", "docker", "bwrap", "local"], help="isolation backend")
    p.add_argument("--data-dir", type=Path, help="prepared data dir (default: ~/.cache/mle-bench/data)")
    p.add_argument("--out", type=Path, default=Path("runs"), help="where run directories go (default: ./runs)")
    p.add_argument("--resume", type=Path, metavar="RUN_DIR", help="continue an interrupted run")
    p.add_argument("--api-base", help="API base URL for an OpenAI-compatible server")
    p.add_argument("--max-cost", type=float, help="stop when the LLM spend reaches this many USD")
    p.add_argument("overrides", nargs="*", metavar="key.sub=value",
                   help="config overrides, e.g. fixes.cap_outputs=false")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    parse_args(argv)
    print("python -m scaffolds.mlab is not wired to the run path yet; use "
          "`python -m bench run --agent mlab ...` once bench.runner lands.", file=sys.stderr)
    return 2
