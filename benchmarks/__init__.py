"""Speed and memory benchmarks; each module writes `benchmarks/results/<name>.md` (see BENCHMARKS.md)."""
