"""`python -m scaffolds.mlab`: MLAB's ResearchAgent on one competition, through `bench.runner.run_one`.

    python -m scaffolds.mlab [--comp ID] [--model M] [--feedback-model M] [--role-model edit=M]
        [--role-model fast=M] [--preset default|mlebench|mlebench-original] [--steps N] [--time-limit 1h]
        [--sandbox auto|docker|bwrap|local] [--resume RUN_DIR] [key.sub=value ...]

Model roles: main (--model), edit (Edit Script (AI)) and fast (summaries, Understand File);
--feedback-model sets edit and fast unless they are named with --role-model.
"""

from __future__ import annotations

from bench.run_cli import scaffold_main


def main(argv: list[str] | None = None) -> int:
    return scaffold_main("mlab", argv)
