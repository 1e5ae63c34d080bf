"""The report's figures, as PNG and SVG (matplotlib's object API: no global pyplot state, no backend switch).

- any_medal: any-medal % by agent and model, mean with SEM error bars, one panel per leaderboard kind;
- pass_at_k: pass@k curves, k = 1..seeds;
- score_over_time: graded snapshots of every run, one panel per competition;
- medals_over_time: any-medal % over time from the snapshots (the paper's "medals over hours");
- cost_vs_medals: total spend against any-medal %.
Medals against reference ladders are drawn in their own, labelled panels, never pooled with Kaggle medals.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bench.reporting.load import LADDER, GroupData
from bench.reporting.summary import Stat, Summary
from bench.reporting.timeline import Point

KIND_TITLES = {"kaggle": "against Kaggle leaderboards", LADDER: "against reference ladders (offline split; not Kaggle medals)"}


def kind_title(kind: str) -> str:
    return KIND_TITLES.get(kind, kind)


def _save(fig: Figure, out_dir: Path, name: str) -> list[Path]:
    FigureCanvasAgg(fig)
    fig.tight_layout()
    paths = [out_dir / f"{name}.png", out_dir / f"{name}.svg"]
    for path in paths:
        fig.savefig(path, dpi=110)
    return paths


def _label(s: Summary, many_groups: bool) -> str:
    return (f"{s.group}: " if many_groups else "") + f"{s.agent}/{s.model}"


def _by_kind(summaries: list[Summary]) -> dict[str, list[Summary]]:
    out: dict[str, list[Summary]] = {}
    for s in summaries:
        out.setdefault(s.leaderboard_kind, []).append(s)
    return out


def any_medal(summaries: list[Summary], out_dir: Path, many_groups: bool) -> list[Path]:
    kinds = _by_kind(summaries)
    fig = Figure(figsize=(max(6.5, 1.3 * max(len(v) for v in kinds.values()) + 2), 3.8 * len(kinds)))
    for i, (kind, items) in enumerate(kinds.items()):
        ax = fig.add_subplot(len(kinds), 1, i + 1)
        means = [s.rates["any_medal"].mean for s in items]
        errors = [s.rates["any_medal"].sem or 0.0 for s in items]
        ax.bar(range(len(items)), means, yerr=errors, capsize=4, color="#4C72B0")
        ax.set_xticks(range(len(items)), [_label(s, many_groups) for s in items], rotation=20, ha="right", fontsize=8)
        ax.set_ylabel("any medal (%)")
        ax.set_ylim(0, max(100.0, max(m + e for m, e in zip(means, errors)) + 5))
        ax.set_title(f"Any medal, mean ± SEM over seeds\n{kind_title(kind)}", fontsize=9)
    return _save(fig, out_dir, "any_medal")


def pass_at_k(summaries: list[Summary], out_dir: Path, many_groups: bool) -> list[Path]:
    kinds = _by_kind(summaries)
    fig = Figure(figsize=(6.5, 3.8 * len(kinds)))
    for i, (kind, items) in enumerate(kinds.items()):
        ax = fig.add_subplot(len(kinds), 1, i + 1)
        for s in items:
            ks = sorted(s.pass_at_k)
            ax.plot(ks, [100 * s.pass_at_k[k] for k in ks], marker="o", label=_label(s, many_groups))
        ax.set_xlabel("k (attempts per competition)")
        ax.set_ylabel("pass@k, any medal (%)")
        ax.set_ylim(0, 100)
        ax.set_title(f"pass@k (unbiased estimator)\n{kind_title(kind)}", fontsize=9)
        ax.legend(fontsize=7)
    return _save(fig, out_dir, "pass_at_k")


def cost_vs_medals(summaries: list[Summary], out_dir: Path, many_groups: bool) -> list[Path]:
    kinds = _by_kind(summaries)
    fig = Figure(figsize=(6.5, 3.8 * len(kinds)))
    for i, (kind, items) in enumerate(kinds.items()):
        ax = fig.add_subplot(len(kinds), 1, i + 1)
        for s in items:
            stat = s.rates["any_medal"]
            ax.errorbar([s.cost_usd], [stat.mean], yerr=[stat.sem or 0.0], fmt="o", capsize=3,
                        label=_label(s, many_groups))
        ax.set_xlabel("total LLM spend (USD)")
        ax.set_ylabel("any medal (%)")
        ax.set_title(f"Cost against medals\n{kind_title(kind)}", fontsize=9)
        ax.legend(fontsize=7)
    return _save(fig, out_dir, "cost_vs_medals")


MAX_PANELS = 12  # score over time: one panel per competition, the first ones in name order


def score_over_time(groups: list[GroupData], timelines: dict[Path, list[Point]], out_dir: Path) -> list[Path]:
    comps = sorted({r.competition for g in groups for r in g.rows if timelines.get(r.dir)})[:MAX_PANELS]
    if not comps:
        return []
    fig = Figure(figsize=(7, 3.2 * len(comps)))
    for i, comp in enumerate(comps):
        ax = fig.add_subplot(len(comps), 1, i + 1)
        for g in groups:
            for r in (r for r in g.rows if r.competition == comp and timelines.get(r.dir)):
                pts = [p for p in timelines[r.dir] if p.score is not None]
                label = (f"{g.name}: " if len(groups) > 1 else "") + f"{r.agent}/{r.model} seed {r.seed}"
                ax.plot([p.elapsed_s / 3600 for p in pts], [p.score for p in pts], marker=".", label=label)
        ax.set_xlabel("hours into the run")
        ax.set_ylabel("score")
        ax.set_title(f"{comp}: graded submission snapshots", fontsize=9)
        ax.legend(fontsize=6)
    return _save(fig, out_dir, "score_over_time")


def medals_over_time(series: dict[str, list[tuple[float, Stat]]], out_dir: Path) -> list[Path]:
    """`series`: label (agent/model, leaderboard kind) -> [(seconds, any-medal % stat)]."""
    if not any(series.values()):
        return []
    fig = Figure(figsize=(7, 3.8))
    ax = fig.add_subplot(1, 1, 1)
    for label, points in series.items():
        if points:
            hours = [t / 3600 for t, _ in points]
            means = [s.mean for _, s in points]
            ax.step(hours, means, where="post", label=label)
    ax.set_xlabel("hours into the runs")
    ax.set_ylabel("any medal (%)")
    ax.set_ylim(0, 100)
    ax.set_title("Medals over time\n(latest snapshot of each run; unfinished runs count as no medal)", fontsize=9)
    ax.legend(fontsize=7)
    return _save(fig, out_dir, "medals_over_time")
