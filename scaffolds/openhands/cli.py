"""`python -m scaffolds.openhands`: OpenHands' CodeActAgent on one competition, through `bench.runner.run_one`.

    python -m scaffolds.openhands [--comp ID] [--model M] [--preset default|mlebench|mlebench-original]
        [--steps N] [--time-limit 1h] [--sandbox auto|docker|bwrap|local] [--resume RUN_DIR] [key.sub=value ...]
"""

from __future__ import annotations

from bench.run_cli import scaffold_main


def main(argv: list[str] | None = None) -> int:
    return scaffold_main("openhands", argv)
