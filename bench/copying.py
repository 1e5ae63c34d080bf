"""Copying the files a table names out of the raw data, one at a time, with progress in the log.

Competitions with hundreds of thousands of images (or signal arrays) must prepare in bounded
memory: each file is read from the raw folder or archive and written to its destination before the
next one is touched. A line goes to the log every `every` files so a long preparation shows life.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path
from typing import Callable, Iterable

logger = logging.getLogger(__name__)


def copy_each(read: Callable[[str], bytes], pairs: Iterable[tuple[str, Path]], what: str,
              every: int = 5000) -> int:
    """Write `read(source)` to `dest` for each `(source, dest)` pair (parent folders made as
    needed); returns how many files were written."""
    count = 0
    for source, dest in pairs:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(read(source))
        count += 1
        if count % every == 0:
            logger.info("%s: %d files copied", what, count)
    if count >= every:
        logger.info("%s: %d files copied in all", what, count)
    return count


def zip_each(read: Callable[[str], bytes], pairs: Iterable[tuple[str, str]], dest: Path, what: str,
             every: int = 5000) -> int:
    """Write a deflated zip `dest` holding `read(source)` as member `arcname` for each
    `(source, arcname)` pair, one file in memory at a time; returns how many members were written."""
    count = 0
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for source, arcname in pairs:
            out.writestr(arcname, read(source))
            count += 1
            if count % every == 0:
                logger.info("%s: %d files packed", what, count)
    if count >= every:
        logger.info("%s: %d files packed in all", what, count)
    return count


def walk(tree_children: Callable[[str], tuple[list[str], list[str]]], rel: str = "") -> list[str]:
    """Every file path under `rel` of a tree listed by `children(rel) -> (folders, files)` (a
    `bench.preparers.RawTree`), depth first, each level sorted."""
    folders, files = tree_children(rel)
    prefix = f"{rel}/" if rel else ""
    found = [prefix + name for name in files]
    for folder in folders:
        found += walk(tree_children, prefix + folder)
    return found
