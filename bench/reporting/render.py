"""The report as a document (blocks), rendered to markdown or HTML."""

from __future__ import annotations

import html
import os
from pathlib import Path

from bench.reporting.build import UNFINISHED_NOTE, Block, Report, disclosure
from bench.reporting.figures import kind_title
from bench.reporting.load import GroupData, RunRow
from bench.reporting.summary import Summary


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pct(s: Summary, name: str) -> str:
    return str(s.rates[name])


def _who(s: Summary, many: bool) -> list[str]:
    return ([s.group] if many else []) + [s.agent, s.model]


def headline(report: Report) -> list[Block]:
    blocks = [Block("h2", "Medals (percent of competitions, mean ± SEM over seeds)")]
    for kind in dict.fromkeys(s.leaderboard_kind for s in report.summaries):
        items = [s for s in report.summaries if s.leaderboard_kind == kind]
        header = (["group"] if report.many else []) + ["agent", "model", "any medal", "gold", "silver", "bronze",
                                                        "above median", "valid submission", "seeds x comps",
                                                        "finished / failed / not finished", "cost (USD)", "tokens",
                                                        "wall time (h)"]
        rows = [_who(s, report.many) + [_pct(s, "any_medal"), _pct(s, "gold"), _pct(s, "silver"), _pct(s, "bronze"),
                                         _pct(s, "above_median"), _pct(s, "valid_submission"),
                                         f"{s.n_seeds} x {s.n_competitions}",
                                         f"{s.finished} / {s.failed} / {s.unfinished - s.failed}",
                                         f"{s.cost_usd:.4f}", str(s.tokens), f"{s.wall_time_s / 3600:.2f}"]
                for s in items]
        blocks += [Block("h3", _upper_first(kind_title(kind))), Block("table", header=header, rows=rows)]
    blocks.append(Block("p", UNFINISHED_NOTE))
    return blocks


def pass_at_k_blocks(report: Report) -> list[Block]:
    blocks = [Block("h2", "pass@k (any medal, unbiased estimator)")]
    for kind in dict.fromkeys(s.leaderboard_kind for s in report.summaries):
        items = [s for s in report.summaries if s.leaderboard_kind == kind]
        n = max(len(s.pass_at_k) for s in items)
        header = (["group"] if report.many else []) + ["agent", "model"] + [f"pass@{k}" for k in range(1, n + 1)]
        rows = [_who(s, report.many) + [f"{100 * s.pass_at_k[k]:.2f}" if k in s.pass_at_k else "-"
                                         for k in range(1, n + 1)] for s in items]
        blocks += [Block("h3", _upper_first(kind_title(kind))), Block("table", header=header, rows=rows)]
    return blocks


def comparison(report: Report) -> list[Block]:
    """Across groups: hardware settings and plain vs obfuscated descriptions side by side."""
    header = ["group", "descriptions", "CPUs per run", "GPUs per run", "time limit (s)", "agent", "model",
              "leaderboard", "any medal", "valid submission", "cost (USD)"]
    rows = [[s.group, "obfuscated" if s.settings["obfuscated"] else "plain", str(s.settings["cpus_per_run"] or "-"),
             str(s.settings["gpus_per_run"]), str(s.settings["time_limit_s"] or "-"), s.agent, s.model,
             s.leaderboard_kind, _pct(s, "any_medal"), _pct(s, "valid_submission"), f"{s.cost_usd:.4f}"]
            for s in report.summaries]
    return [Block("h2", "Comparison across groups"), Block("table", header=header, rows=rows)]


def _cell(row: RunRow | None) -> str:
    if row is None:
        return "-"
    if not row.finished:
        return f"{row.state}: {row.failure}"[:80]
    score = row.score
    text = f"{score:.5g}" if isinstance(score, (int, float)) else "no valid submission"
    return text + (f" ({row.medal})" if row.medal else "")


def per_competition(g: GroupData) -> list[Block]:
    blocks = [Block("h2", f"Per competition: {g.name}")]
    seeds = list(g.grid["seeds"])
    for agent, model in g.pairs():
        rows_by = {(r.competition, r.seed): r for r in g.select(agent, model)}
        rows = [[c, kind_title(g.meta["competitions"].get(c, {}).get("leaderboard_kind", "kaggle")).split(" (")[0]]
                + [_cell(rows_by.get((c, s))) for s in seeds] for c in g.grid["competitions"]]
        blocks += [Block("h3", f"{agent} / {model}: score (medal) per seed"),
                   Block("table", header=["competition", "graded"] + [f"seed {s}" for s in seeds], rows=rows)]
    return blocks


def _plain(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {_plain(v)}" for k, v in value.items()) or "none"
    if isinstance(value, list):
        return "; ".join(map(str, value)) or "none"
    return str(value)


def disclosure_blocks(g: GroupData) -> list[Block]:
    facts = disclosure(g)
    items = [f"{key.replace('_', ' ')}: {_plain(value)}" for key, value in facts.items()]
    return [Block("h2", f"Disclosure: {g.name}"), Block("list", items=items)]


def document(report: Report) -> list[Block]:
    names = ", ".join(g.name for g in report.groups)
    blocks = [Block("h1", f"mle-suite report: {names}"), Block("p", f"Generated {report.generated_at}.")]
    blocks += headline(report) + pass_at_k_blocks(report)
    if report.many:
        blocks += comparison(report)
    for g in report.groups:
        blocks += per_competition(g)
    blocks.append(Block("h2", "Figures"))
    blocks += [Block("img", text=str(p)) for p in report.figures if p.suffix == ".png"]
    for g in report.groups:
        blocks += disclosure_blocks(g)
    blocks += [Block("h2", "MLE-bench files"),
               Block("list", items=[str(p) for p in report.mlebench_files])]
    return blocks


# ---- renderers ------------------------------------------------------------------------------------------
def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(blocks: list[Block], base: Path) -> str:
    out = []
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            out.append(f"{'#' * int(b.kind[1])} {b.text}\n")
        elif b.kind == "p":
            out.append(b.text + "\n")
        elif b.kind == "list":
            out.append("\n".join(f"- {item}" for item in b.items) + "\n")
        elif b.kind == "img":
            rel = os.path.relpath(b.text, base)
            out.append(f"![{Path(b.text).stem}]({rel})\n")
        elif b.kind == "table":
            lines = ["| " + " | ".join(map(_md_escape, b.header)) + " |", "|" + "---|" * len(b.header)]
            lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in b.rows]
            out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def to_html(blocks: list[Block], base: Path, title: str) -> str:
    esc = html.escape
    body = []
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            body.append(f"<{b.kind}>{esc(b.text)}</{b.kind}>")
        elif b.kind == "p":
            body.append(f"<p>{esc(b.text)}</p>")
        elif b.kind == "list":
            body.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in b.items) + "</ul>")
        elif b.kind == "img":
            body.append(f'<img src="{esc(os.path.relpath(b.text, base))}" alt="{esc(Path(b.text).stem)}">')
        elif b.kind == "table":
            head = "".join(f"<th>{esc(h)}</th>" for h in b.header)
            rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in b.rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    style = ("body{font-family:sans-serif;max-width:1200px;margin:2em auto}table{border-collapse:collapse;"
             "margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}img{max-width:100%}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(title)}</title><style>{style}</style>"
            f"</head><body>{''.join(body)}</body></html>\n")
