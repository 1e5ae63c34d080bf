"""Shared preparer pieces and the deliberate preparation deviations (bench/DEVIATIONS.md, section 2)."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import py7zr
import pytest

from bench.data import prepare
from bench.preparers import FileSource, RawFileMissing, copy_raw, write_files
from bench.registry import get_competition
from tests.bench.raw import builder
from tests.bench.raw._files import sevenz_bytes, zip_bytes


def _raw_dir(tmp_path, cid):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, data in builder(cid)().items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)
    return raw


def test_invasive_species_photographs_are_published_p1(tmp_path):
    comp = get_competition("invasive-species-monitoring")
    board = tmp_path / "board.csv"
    board.write_text("teamName,score\na,0.9\nb,0.5\n")
    paths = prepare(comp, tmp_path / "d", raw_dir=_raw_dir(tmp_path, comp.id), leaderboard_from=board,
                    skip_verification=True)
    with zipfile.ZipFile(paths.public / "train_labels.csv.zip") as zf:
        train = pd.read_csv(io.BytesIO(zf.read("train_labels.csv")))
    answers = pd.read_csv(paths.private / "answers.csv")
    with py7zr.SevenZipFile(paths.public / "train.7z") as archive:
        assert sorted(archive.getnames()) == sorted(f"train/{n}.jpg" for n in train["name"])
    with py7zr.SevenZipFile(paths.public / "test.7z") as archive:
        assert sorted(archive.getnames()) == sorted(f"test/{n}.jpg" for n in answers["name"])
    assert not list(paths.root.rglob("7z-*"))  # the temporary extraction is gone


def test_file_source_reads_folders_zips_and_7z_alike(tmp_path):
    files = {"imgs/a.png": b"A", "imgs/sub/b.png": b"B", "imgs/c.txt": b"C"}
    (tmp_path / "z.zip").write_bytes(zip_bytes(files))
    (tmp_path / "s.7z").write_bytes(sevenz_bytes(files))
    for name, data in files.items():
        (tmp_path / "f" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "f" / name).write_bytes(data)
    for where in ("z", "s", "f"):
        with FileSource(tmp_path, where, ".png", scratch=tmp_path) as source:
            assert source.names() == ["a.png", "b.png"] and source.read("b.png") == b"B"
            write_files(source, ["a.png", "b.png"], tmp_path / f"out-{where}.zip", folder="x")
        with zipfile.ZipFile(tmp_path / f"out-{where}.zip") as zf:
            assert sorted(zf.namelist()) == ["x/a.png", "x/b.png"]
    assert not list(tmp_path.glob("7z-*"))


def test_raw_tree_lists_and_reads_a_folder_and_a_nested_zip_alike(tmp_path):
    from bench.preparers import RawTree

    files = {"tree/a/x.png": b"X", "tree/a/y.png": b"Y", "tree/b c/z.png": b"Z", "tree/top.txt": b"T"}
    (tmp_path / "zipped").mkdir()
    (tmp_path / "zipped" / "tree.zip").write_bytes(zip_bytes(files))
    for name, data in files.items():
        (tmp_path / "plain" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "plain" / name).write_bytes(data)
    for raw in (tmp_path / "zipped", tmp_path / "plain"):
        with RawTree(raw, "tree") as tree:
            assert tree.children("") == (["a", "b c"], ["top.txt"])
            assert tree.children("a") == ([], ["x.png", "y.png"])
            assert tree.read("b c/z.png") == b"Z" and tree.exists("a/x.png") and not tree.exists("a/q.png")


def test_copy_raw_copies_a_plain_or_zipped_table_byte_for_byte(tmp_path):
    data = b'id,text\n1,"a, b"\r\n2,c\n'
    plain, zipped = tmp_path / "plain", tmp_path / "zipped"
    plain.mkdir()
    zipped.mkdir()
    (plain / "train.csv").write_bytes(data)
    (zipped / "train.csv.zip").write_bytes(zip_bytes({"train.csv": data}))
    for raw in (plain, zipped):
        copy_raw(raw, "train.csv", tmp_path / f"{raw.name}.csv")
        assert (tmp_path / f"{raw.name}.csv").read_bytes() == data
    (zipped / "other.zip").write_bytes(zip_bytes({"x.csv": data}))
    with pytest.raises(RawFileMissing, match="other.csv"):
        copy_raw(zipped, "other.csv", tmp_path / "out.csv")
