"""`python -m bench report runs/GROUP [more groups] [--format md,html,json] [--out DIR]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.group import GroupError
from bench.reporting.build import build_report, report_json
from bench.reporting.render import document, to_html, to_markdown

FORMATS = ("md", "html", "json")


def _formats(text: str) -> list[str]:
    values = [v.strip() for v in text.split(",") if v.strip()]
    bad = [v for v in values if v not in FORMATS]
    if bad or not values:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(FORMATS)} (comma-separated), got {text!r}")
    return values


def add_report_command(subparsers: "argparse._SubParsersAction") -> None:
    p = subparsers.add_parser("report", help="report over run groups: medals ± SEM, pass@k, cost, figures, "
                                             "MLE-bench grading reports")
    p.add_argument("groups", nargs="+", type=Path, help="group directories (the --out of a grid)")
    p.add_argument("--format", type=_formats, default=["md"], help="md, html and/or json, comma-separated "
                                                                   "(default: md); the first is also printed")
    p.add_argument("--out", type=Path, help="where the report goes (default: GROUP/report for one group, "
                                            "else compare_<names> beside the first group)")
    p.set_defaults(func=cmd_report)


def default_out(groups: list[Path]) -> Path:
    if len(groups) == 1:
        return groups[0] / "report"
    return groups[0].resolve().parent / ("compare_" + "_".join(g.resolve().name for g in groups))[:120]


def cmd_report(args: argparse.Namespace) -> int:
    out_dir = args.out or default_out(args.groups)
    try:
        report = build_report(args.groups, out_dir)
    except GroupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    blocks = document(report)
    title = blocks[0].text
    texts = {"md": lambda: to_markdown(blocks, out_dir), "html": lambda: to_html(blocks, out_dir, title),
             "json": lambda: json.dumps(report_json(report), indent=2, default=str)}
    written = []
    for i, fmt in enumerate(args.format):
        text = texts[fmt]()
        path = out_dir / f"report.{fmt}"
        path.write_text(text, encoding="utf-8")
        written.append(path)
        if i == 0 and fmt != "html":
            print(text)
    print(f"wrote {', '.join(map(str, written))}; figures in {out_dir / 'figures'}", file=sys.stderr)
    return 0
