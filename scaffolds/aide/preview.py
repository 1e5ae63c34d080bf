"""A bounded text overview of the competition data (what AIDE calls the data preview).

A file tree with sizes, per-column stats for CSVs, a schema sketch for JSON, small text files in full.
If the full overview is longer than `max_chars` it is rebuilt in a simple mode (column names only),
and cut as a last resort.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".csv", ".tsv", ".json", ".jsonl", ".yaml", ".yml", ".py"}
MAX_CSV_ROWS = 200_000  # stats come from at most this many rows so huge files stay cheap


def _size(path: Path) -> str:
    if path.suffix.lower() in TEXT_SUFFIXES and path.stat().st_size < 50_000_000:
        with path.open("rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
        return f"{lines} lines"
    size = float(path.stat().st_size)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def file_tree(root: Path, depth: int = 0, max_depth: int = 4) -> list[str]:
    """Indented listing; at most 8 files per directory (4 when it holds more than 30)."""
    entries = sorted(root.iterdir(), key=lambda p: (p.is_file(), p.name))
    files = [p for p in entries if p.is_file()]
    dirs = [p for p in entries if p.is_dir()]
    limit = 4 if len(files) > 30 else 8
    pad = "  " * depth
    lines = []
    for sub in dirs:
        count = sum(1 for _ in sub.rglob("*"))
        lines.append(f"{pad}{sub.name}/ ({count} entries)")
        if depth < max_depth:
            lines.extend(file_tree(sub, depth + 1, max_depth))
    lines.extend(f"{pad}{f.name} ({_size(f)})" for f in files[:limit])
    if len(files) > limit:
        lines.append(f"{pad}... and {len(files) - limit} more files")
    return lines


def _csv_preview(path: Path, rel: str, simple: bool) -> str:
    import pandas as pd

    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        df = pd.read_csv(path, sep=sep, nrows=MAX_CSV_ROWS, low_memory=False)
    except Exception as exc:  # a malformed file must not break the preview
        return f"-> {rel}: could not be read as a table ({type(exc).__name__})"
    head = f"-> {rel} has {len(df)}{'+' if len(df) == MAX_CSV_ROWS else ''} rows and {df.shape[1]} columns."
    if simple:
        names = ", ".join(map(str, df.columns[:15]))
        more = f" (+{df.shape[1] - 15} more)" if df.shape[1] > 15 else ""
        return f"{head}\nColumns: {names}{more}"
    lines = [head, "Columns:"]
    for name in df.columns:
        col = df[name]
        info = f"{name} ({col.dtype}, {int(col.isna().sum())} missing)"
        uniques = col.nunique(dropna=True)
        if col.dtype == bool or uniques < 10:
            values = ", ".join(map(str, sorted(col.dropna().unique().tolist(), key=str)))
            info += f": {uniques} distinct values [{values}]"
        elif pd.api.types.is_numeric_dtype(col):
            info += f": range {col.min():.4g} to {col.max():.4g}, {uniques} distinct"
        else:
            top = ", ".join(map(str, col.value_counts().head(4).index.tolist()))
            info += f": {uniques} distinct, most common: {top}"
        lines.append("  " + info[:300])
    return "\n".join(lines)


def _schema(value: Any, depth: int = 0) -> Any:
    """A small structural sketch of JSON: types, keys, first element of lists."""
    if depth > 4:
        return "..."
    if isinstance(value, dict):
        return {k: _schema(v, depth + 1) for k, v in list(value.items())[:20]}
    if isinstance(value, list):
        return [_schema(value[0], depth + 1)] if value else []
    return type(value).__name__


def _json_preview(path: Path, rel: str) -> str:
    if path.stat().st_size > 20_000_000:
        return f"-> {rel}: JSON file too large to sketch"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return f"-> {rel}: not valid JSON"
    return f"-> {rel} has this structure:\n{json.dumps(_schema(data), indent=1)[:1500]}"


def _text_preview(path: Path, rel: str) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None
    if text.count("\n") >= 30:
        return None
    return f"-> {rel}:\n```\n{text.strip()[:2000]}\n```"


def _overview(root: Path, simple: bool) -> str:
    parts = ["Directory tree:", "\n".join(file_tree(root))]
    previewable = {".csv", ".tsv", ".json", ".txt", ".md"}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in previewable)[:40]:
        rel = str(path.relative_to(root))
        suffix = path.suffix.lower()
        if suffix in (".csv", ".tsv"):
            parts.append(_csv_preview(path, rel, simple))
        elif suffix == ".json" and not simple:
            parts.append(_json_preview(path, rel))
        elif suffix in (".txt", ".md") and not simple:
            text = _text_preview(path, rel)
            if text:
                parts.append(text)
    return "\n\n".join(parts)


def data_preview(root: Path, max_chars: int = 6000) -> str:
    """The overview of `root`, at most `max_chars` characters."""
    root = Path(root)
    if not root.is_dir():
        return f"(no data directory at {root})"
    text = _overview(root, simple=False)
    if len(text) > max_chars:
        text = _overview(root, simple=True)
    if len(text) > max_chars:
        text = text[: max_chars - 40].rstrip() + "\n... (overview cut to fit)"
    return text
