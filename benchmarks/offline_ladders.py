"""The committed reference ladders of the offline split: size, families, medal bands and build cost.

Reads `bench/offline/ladders/<id>/provenance.json` (nothing is trained): rows, distinct model
families, the medal bands, the best plain baseline, and the CPU seconds each ladder took when it
was built with `python -m bench ladder --rebuild` (one thread per solution; the ratio column is the
competition's share of the whole build).

Run: .venv/bin/python benchmarks/offline_ladders.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ladder import read_committed  # noqa: E402
from bench.registry import list_competitions  # noqa: E402


def main() -> None:
    rows = ["| competition | metric | rows | families | gold | silver | bronze | median | best plain baseline "
            "| build CPU (s) | share of build |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    ladders = [(comp, read_committed(comp)) for comp in list_competitions("offline")]
    total = sum(sum(r.get("cpu_seconds", 0.0) for r in p["rows"]) for _, p in ladders if p)
    for comp, prov in ladders:
        if prov is None:
            rows.append(f"| {comp.id} | not built | | | | | | | | | |")
            continue
        pick = min if prov["lower_is_better"] else max
        baseline = pick((r for r in prov["rows"] if r["baseline"]), key=lambda r: r["score"])
        cpu = sum(r.get("cpu_seconds", 0.0) for r in prov["rows"])
        b = prov["bands"]
        rows.append(f"| {comp.id} | {prov['metric']} | {len(prov['rows'])} | {len({r['family'] for r in prov['rows']})} "
                    f"| {b['gold']:.4f} | {b['silver']:.4f} | {b['bronze']:.4f} | {b['median']:.4f} "
                    f"| {baseline['score']:.4f} ({baseline['solution']}) | {cpu:.0f} | {cpu / max(total, 1e-9):.0%} |")
    rows.append(f"\nWhole build: {total:.0f} s of CPU ({total / 60:.1f} min).")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
