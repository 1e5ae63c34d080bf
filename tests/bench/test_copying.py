"""bench.copying: files copied or packed one at a time, with a progress line every N files."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from bench.copying import copy_each, walk, zip_each
from bench.preparers import RawTree


def _tree(root: Path) -> dict[str, bytes]:
    files = {"a/1.npy": b"one", "a/b/2.npy": b"two", "top.csv": b"x,y\n", "c/3.npy": b"three"}
    for rel, data in files.items():
        (root / "raw" / "tree" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "raw" / "tree" / rel).write_bytes(data)
    return files


def test_walk_lists_every_file_of_a_folder_or_a_zip_alike(tmp_path):
    files = _tree(tmp_path)
    with RawTree(tmp_path / "raw", "tree") as tree:
        in_folder = walk(tree.children)
    (tmp_path / "zipped").mkdir()
    with zipfile.ZipFile(tmp_path / "zipped" / "tree.zip", "w") as zf:
        for rel, data in files.items():
            zf.writestr(f"tree/{rel}", data)
    with RawTree(tmp_path / "zipped", "tree") as tree:
        in_zip = walk(tree.children)
    assert sorted(in_folder) == sorted(files) and in_zip == in_folder


def test_copy_each_writes_nested_destinations_and_logs_progress(tmp_path, caplog):
    files = _tree(tmp_path)
    with RawTree(tmp_path / "raw", "tree") as tree, caplog.at_level(logging.INFO, logger="bench.copying"):
        count = copy_each(tree.read, ((rel, tmp_path / "out" / rel) for rel in sorted(files)), "cadences", every=2)
    assert count == 4
    assert {rel: (tmp_path / "out" / rel).read_bytes() for rel in files} == files
    assert [r.getMessage() for r in caplog.records] == ["cadences: 2 files copied", "cadences: 4 files copied",
                                                        "cadences: 4 files copied in all"]


def test_zip_each_packs_members_under_the_given_names(tmp_path):
    files = _tree(tmp_path)
    with RawTree(tmp_path / "raw", "tree") as tree:
        zip_each(tree.read, ((rel, Path(rel).name) for rel in files), tmp_path / "flat.zip", "images")
    with zipfile.ZipFile(tmp_path / "flat.zip") as zf:
        assert {n: zf.read(n) for n in zf.namelist()} == {Path(rel).name: data for rel, data in files.items()}
