"""`python -m scaffolds.aide`: AIDE on one competition, through `bench.runner.run_one`, with a live view.

    python -m scaffolds.aide [--comp ID] [--model M] [--feedback-model M] [--steps N] [--time-limit 1h]
        [--preset default|mlebench] [--config FILE] [--sandbox auto|docker|bwrap|local] [--resume RUN_DIR]
        [--no-live] [key.sub=value ...]

Only AIDE's own flags (`--config`, `--no-live`) and its display live here; every other flag, and the
run itself, are the shared episode path (`bench.run_cli`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table

from bench.run_cli import scaffold_main
from scaffolds.core.config import read_yaml


class Display:
    """Live progress: step, phase, each node's status, best score so far, cost. Plain lines when
    the output is not a terminal (or with --no-live)."""

    def __init__(self, console, title: str, live: bool) -> None:
        self.console, self.title, self.rows = console, title, []
        self.live = None
        if live:
            self.live = Live(console=console, refresh_per_second=4, transient=False)

    def __enter__(self) -> Display:
        if self.live:
            self.live.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.live:
            self.live.__exit__(*exc)

    def __call__(self, event) -> None:
        node = event.node
        if event.phase == "done" and node is not None:
            status = "bug" if node.is_buggy else f"{node.metric:.5g}"
            self.rows.append((node.step, node.stage, status, node.exec_time_s, node.usage.cost_usd,
                              "; ".join(node.bug_reasons)[:70]))
            if not self.live:
                best = "none" if event.best_metric is None else f"{event.best_metric:.5g}"
                self.console.print(f"step {node.step + 1}/{event.max_steps} {node.stage:<7} {status:<10} "
                                   f"best {best}  cost ${event.cost_usd:.4f}  {event.elapsed_s:.0f}s")
        if self.live:
            self.live.update(self._render(event))

    def _render(self, event) -> Table:
        best = "none" if event.best_metric is None else f"{event.best_metric:.5g}"
        table = Table(title=(f"{self.title} | step {event.step + 1}/{event.max_steps} | {event.phase} "
                             f"{event.stage} | best {best} | ${event.cost_usd:.4f} | "
                             f"{event.elapsed_s:.0f}/{event.time_limit_s:.0f}s"))
        for name in ("step", "stage", "result", "exec s", "cost $", "why buggy"):
            table.add_column(name)
        for step, stage, status, exec_s, cost, why in self.rows[-12:]:
            style = "red" if status == "bug" else "green"
            table.add_row(str(step), stage, f"[{style}]{status}[/]", f"{exec_s:.1f}", f"{cost:.4f}", why)
        return table


def _aide_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="YAML file of AIDE settings merged over the preset")
    parser.add_argument("--no-live", action="store_true", help="plain log lines instead of the live display")


def config_file_overrides(path: Path) -> list[str]:
    """A YAML config file as `key.sub=value` overrides (JSON values are YAML), applied before the flags'."""
    def flatten(data: dict[str, Any], prefix: str) -> list[str]:
        out: list[str] = []
        for key, value in data.items():
            if isinstance(value, dict) and value:
                out += flatten(value, f"{prefix}{key}.")
            else:
                out.append(f"{prefix}{key}={json.dumps(value)}")
        return out

    return flatten(read_yaml(path, "config file"), "")


def _display(console: Console, args: argparse.Namespace) -> Display:
    if args.config:  # a ConfigError here is printed as one line by scaffold_main
        args.overrides = [*config_file_overrides(args.config), *args.overrides]
    return Display(console, f"AIDE {args.comp or ''}".strip(), live=not args.no_live and console.is_terminal)


def main(argv: list[str] | None = None) -> int:
    return scaffold_main("aide", argv, on_event=_display, extra_arguments=_aide_arguments)
