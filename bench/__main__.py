"""`python -m bench ...` (also the `mle-suite-bench` console script)."""

from bench.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
