"""Shared preparers: the common shapes of MLE-bench's `prepare.py`, driven by `competition.yaml`.

A competition folder declares `preparer: {kind: <name>, ...params}` and the function of that name
here is called as `fn(raw, public, private, **params)`; a folder with a `prepare.py` uses that
instead. Every split is `sklearn.model_selection.train_test_split(table, test_size, random_state)`
on the table as MLE-bench reads it (`bench.graders.read_frame`), so the same raw files give the
same rows, order and values as MLE-bench's preparer.

Raw files are only read: archives inside `raw/` (a CSV zipped by Kaggle, a zip of images, a 7z
inside a zip) are streamed from, never extracted next to the user's files.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import pandas as pd
import py7zr
from sklearn.model_selection import train_test_split

from bench.archives import extract_archive
from bench.copying import walk
from bench.graders import read_frame


class RawFileMissing(FileNotFoundError):
    """A file the preparer needs is not in the raw data; the message names it."""


# --- reading raw files ------------------------------------------------------------------------

def locate(raw: Path, name: str) -> Path:
    """`raw/<name>`, or the zip Kaggle packed it in (`<name>.zip`, `<stem>.zip`); the first found."""
    stem = name.split(".")[0]
    for candidate in (raw / name, raw / f"{name}.zip", raw / f"{stem}.zip"):
        if candidate.exists():
            return candidate
    raise RawFileMissing(f"{name} is not in the raw data ({raw})")


def read_raw_bytes(raw: Path, name: str) -> bytes:
    """The bytes of raw file `name`, from the file itself or from inside the zip holding it."""
    path = locate(raw, name)
    if path.name == name:
        return path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        members = [m for m in zf.namelist() if Path(m).name == name]
        if not members:
            raise RawFileMissing(f"{path} holds no {name} (members: {zf.namelist()[:10]})")
        return zf.read(members[0])


def read_table(raw: Path, name: str) -> pd.DataFrame:
    """A raw CSV (plain or zipped) read as MLE-bench reads it."""
    path = locate(raw, name)
    if path.name == name:
        return read_frame(path)
    return read_frame(io.BytesIO(read_raw_bytes(raw, name)))  # type: ignore[arg-type]


def split(frame: Any, test_size: float | int, random_state: int = 0) -> tuple[Any, Any]:
    """Train/test split exactly as MLE-bench's preparers call scikit-learn."""
    train, test = train_test_split(frame, test_size=test_size, random_state=random_state)
    return train, test


def one_hot(frame: pd.DataFrame, id_column: str, target_column: str, classes: Sequence[str]) -> pd.DataFrame:
    """The id and one 0/1 column per class (MLE-bench's one-hot answers; an unknown label is an error)."""
    unknown = set(frame[target_column]) - set(classes)
    if unknown:
        raise ValueError(f"labels {sorted(map(str, unknown))[:5]} are not among the classes")
    out = pd.DataFrame({id_column: frame[id_column]})
    for cls in classes:
        out[cls] = (frame[target_column] == cls).astype("int64")
    return out


# --- images (or any files) named in a table ---------------------------------------------------

class FileSource:
    """Files by base name from a raw folder, zip or 7z archive (members in any sub-folder).

    A zip is read in place. A 7z (Kaggle ships some image folders as 7z inside its zip) cannot be
    read member by member cheaply, so it is extracted once into a temporary folder under `scratch`
    (pass one on the disk being prepared on, e.g. `scratch_for(private)`), removed on `close()`."""

    def __init__(self, raw: Path, where: str, suffix: str = "", scratch: Path | None = None):
        self.path = next((p for p in (raw / where, raw / f"{where}.zip", raw / f"{where}.7z") if p.exists()), raw / where)
        if not self.path.exists():
            raise RawFileMissing(f"{where} (a folder, zip or 7z of files) is not in the raw data ({raw})")
        self.suffix = suffix
        self._zip = zipfile.ZipFile(self.path) if self.path.suffix == ".zip" else None
        self._tmp = None
        folder = self.path
        if self.path.suffix == ".7z":
            self._tmp = tempfile.TemporaryDirectory(dir=scratch, prefix="7z-")
            extract_archive(self.path, Path(self._tmp.name))
            folder = Path(self._tmp.name)
        if self._zip is not None:
            self.members = {Path(n).name: n for n in self._zip.namelist() if not n.endswith("/")}
        else:
            self.members = {p.name: str(p) for p in folder.rglob("*") if p.is_file() and not p.is_symlink()}

    def __enter__(self) -> "FileSource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def names(self) -> list[str]:
        return sorted(n for n in self.members if n.endswith(self.suffix))

    def read(self, name: str) -> bytes:
        if name not in self.members:
            raise RawFileMissing(f"{self.path} has no file {name}")
        if self._zip is not None:
            return self._zip.read(self.members[name])
        return Path(self.members[name]).read_bytes()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._tmp is not None:
            self._tmp.cleanup()


def scratch_for(private: Path) -> Path:
    """A folder for temporary files next to the prepared data (same disk), outside public/private."""
    return private.parent.parent


class RawTree:
    """Files by relative path under `raw/<name>/`, or inside `raw/<name>.zip` whose members start
    with `<name>/` (Kaggle's nested archives, read in place)."""

    def __init__(self, raw: Path, name: str):
        self.folder = raw / name
        self._zip = None
        if not self.folder.is_dir():
            if not (raw / f"{name}.zip").is_file():
                raise RawFileMissing(f"{name} (a folder or zip) is not in the raw data ({raw})")
            self._zip = zipfile.ZipFile(raw / f"{name}.zip")
            self._names = set(self._zip.namelist())
        self.name = name

    def exists(self, rel: str) -> bool:
        return f"{self.name}/{rel}" in self._names if self._zip is not None else (self.folder / rel).is_file()

    def read(self, rel: str) -> bytes:
        if not self.exists(rel):
            raise RawFileMissing(f"{self.name}/{rel} is not in the raw data")
        return self._zip.read(f"{self.name}/{rel}") if self._zip is not None else (self.folder / rel).read_bytes()

    def children(self, rel: str) -> tuple[list[str], list[str]]:
        """(sub-folder names, file names) directly under `rel`, each sorted."""
        if self._zip is None:
            entries = list((self.folder / rel).iterdir())
            return sorted(p.name for p in entries if p.is_dir()), sorted(p.name for p in entries if p.is_file())
        inner = rel.strip("/")
        prefix = f"{self.name}/{inner}/" if inner else f"{self.name}/"
        folders, files = set(), set()
        for member in self._names:
            if member.startswith(prefix) and member != prefix:
                head, _, tail = member[len(prefix):].partition("/")
                (folders if tail or member.endswith("/") else files).add(head)
        return sorted(folders), sorted(files)

    def text(self, rel: str) -> str:
        return self.read(rel).decode("utf-8")

    def copy(self, rel: str, dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(self.read(rel))

    def __enter__(self) -> "RawTree":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._zip is not None:
            self._zip.close()


def write_files(source: FileSource, names: Iterable[str], dest: Path, folder: str = "") -> None:
    """Write the named files into `dest`: a folder, or a zip or 7z archive when `dest` ends in
    `.zip` / `.7z` (members under `folder/` when given, else flat)."""
    prefix = f"{folder}/" if folder else ""
    if dest.suffix == ".7z":
        with py7zr.SevenZipFile(dest, "w") as out:
            for name in names:
                out.writestr(source.read(name), prefix + name)
        return
    if dest.suffix == ".zip":
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
            for name in names:
                out.writestr(prefix + name, source.read(name))
        return
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        (dest / name).write_bytes(source.read(name))


def file_names(frame: pd.DataFrame, column: str, pattern: str) -> list[str]:
    return [pattern.format(id=value) for value in frame[column]]


# --- shared preparers ------------------------------------------------------------------------

def split_table(raw: Path, public: Path, private: Path, *, table: str, test_size: float | int,
                random_state: int = 0, train: str = "train.csv", test: str | None = "test.csv",
                labels: Sequence[str] = (), answers: str = "test.csv", answer_columns: Sequence[str] | None = None,
                one_hot_answers: dict | None = None, sample: dict | None = None, copy: Sequence[str] = (),
                filtered: dict | None = None, files: dict | None = None) -> None:
    """Split one labelled table into a public train part and a hidden test part.

    Writes `public/<train>` (the train rows), `public/<test>` (the test rows minus `labels`; skipped
    when `test` is None), `private/<answers>` (the test rows, or only `answer_columns`),
    the sample submission (`sample: {file, columns, values}`: the test rows' `columns` with each
    of `values` set to a constant), copies of raw files named in `copy`, and, with `files`, the
    files each row names (see `split_files`).
    """
    full = read_table(raw, table)
    train_part, test_part = split(full, test_size, random_state)
    train_part.to_csv(public / train, index=False)
    if test is not None:
        test_part.drop(columns=list(labels)).to_csv(public / test, index=False)
    kept = test_part if answer_columns is None else test_part[list(answer_columns)]
    if one_hot_answers is not None:
        kept = one_hot(test_part, **one_hot_answers)
    kept.to_csv(private / answers, index=False)
    if sample is not None:
        base = kept if one_hot_answers is not None else test_part
        write_sample(base, public / sample["file"], sample.get("columns"), sample.get("values", {}),
                     sample.get("fill"))
    for name in copy:
        shutil.copy(locate(raw, name), public / name)
    if filtered is not None:
        extra = read_table(raw, filtered["table"])
        extra[extra[filtered["id_column"]].isin(train_part[filtered["id_column"]])].to_csv(
            public / filtered["table"], index=False)
    if files is not None:
        split_files(raw, public, train_part, test_part, **files)


def write_sample(rows: pd.DataFrame, dest: Path, columns: Sequence[str] | None, values: dict,
                 fill: float | None = None) -> None:
    frame = rows.copy() if columns is None else rows[list(columns)].copy()
    if fill is not None:
        for column in frame.columns[1:]:
            frame[column] = fill
    for column, value in values.items():
        frame[column] = value
    frame.to_csv(dest, index=False)


def split_files(raw: Path, public: Path, train_part: pd.DataFrame, test_part: pd.DataFrame, *, source: str,
                id_column: str, name: str = "{id}", train_dest: str = "train", test_dest: str = "test") -> None:
    """Copy the file of every row (`name` formatted with the row's id) from the raw folder or zip
    `source` into `public/<train_dest>` and `public/<test_dest>` (folders, or flat zips)."""
    files = FileSource(raw, source)
    try:
        wanted = file_names(train_part, id_column, name) + file_names(test_part, id_column, name)
        missing = [n for n in wanted if n not in files.members]
        if missing:
            raise RawFileMissing(f"{source} lacks {len(missing)} file(s) named in the table, e.g. {missing[:3]}")
        write_files(files, file_names(train_part, id_column, name), public / train_dest)
        write_files(files, file_names(test_part, id_column, name), public / test_dest)
    finally:
        files.close()


def split_sentences(raw: Path, public: Path, private: Path, *, prefix: str, test_size: float = 0.1,
                    random_state: int = 0) -> None:
    """The text normalization competitions (`prefix` "en" or "ru"): MLE-bench's split of Kaggle's
    token table `<prefix>_train.csv` by sentence.

    The distinct `sentence_id`s are split (so no sentence is in both parts); each part keeps the
    raw row order and renumbers its sentences 0, 1, ... in order of appearance. Public (zipped CSVs,
    every text cell quoted): `<prefix>_train.csv`, `<prefix>_test_2.csv` (the test tokens without
    `class` and `after`), `<prefix>_sample_submission_2.csv` (`id,after` with `after` = `before`).
    Private: `answers.csv` (`id,after`, id `<sentence_id>_<token_id>`) and the sample again.
    """
    table = read_table(raw, f"{prefix}_train.csv")
    _, test_sentences = split(table["sentence_id"].unique(), test_size, random_state)
    in_test = table["sentence_id"].isin(test_sentences)
    train_part, test_part = _renumbered(table[~in_test]), _renumbered(table[in_test])
    token_ids = test_part["sentence_id"].astype(str) + "_" + test_part["token_id"].astype(str)
    answers = pd.DataFrame({"id": token_ids, "after": test_part["after"]})
    sample = pd.DataFrame({"id": token_ids, "after": test_part["before"]})
    quoted = {"index": False, "quotechar": '"', "quoting": csv.QUOTE_NONNUMERIC}
    answers.to_csv(private / "answers.csv", **quoted)
    sample.to_csv(private / "sample_submission.csv", **quoted)
    public_files = {f"{prefix}_train.csv": train_part, f"{prefix}_test_2.csv": test_part.drop(columns=["after", "class"]),
                    f"{prefix}_sample_submission_2.csv": sample}
    for name, frame in public_files.items():
        with zipfile.ZipFile(public / f"{name}.zip", "w", zipfile.ZIP_DEFLATED) as out:
            out.writestr(name, frame.to_csv(**quoted).encode("utf-8"))


def _renumbered(part: pd.DataFrame) -> pd.DataFrame:
    """`part` with its sentences numbered 0, 1, ... in order of first appearance."""
    numbers = {old: new for new, old in enumerate(part["sentence_id"].unique())}
    return part.assign(sentence_id=part["sentence_id"].map(numbers))


PREPARERS: dict[str, Callable[..., None]] = {
    "split_table": split_table,
    "split_sentences": split_sentences,
}


def shared_preparer(kind: str) -> Callable[..., None]:
    try:
        return PREPARERS[kind]
    except KeyError:
        raise KeyError(f"no shared preparer {kind!r}; known: {', '.join(sorted(PREPARERS))}. "
                       "Write a prepare.py in the competition's folder instead.") from None


def tree_files(tree: RawTree, rel: str) -> list[str]:
    """Every file under `rel` ("" for all) of a raw tree, recursively, as paths relative to the tree (sorted
    folder by folder), so a whole sub-tree can be copied one file at a time."""
    return walk(tree.children, rel)


def copy_folder(tree: RawTree, rel: str, dest: Path) -> None:
    """Every file under `rel` of `tree` ("" for all of it) into `dest`, keeping sub-folders, one
    file at a time (a patient's scan folder can hold hundreds of DICOM slices; nothing is held in
    memory at once)."""
    dest.mkdir(parents=True, exist_ok=True)
    prefix = f"{rel}/" if rel else ""
    for path in tree_files(tree, rel):
        target = dest / path[len(prefix):]
        target.parent.mkdir(parents=True, exist_ok=True)
        tree.copy(path, target)


def copy_raw(raw: Path, name: str, dest: Path) -> None:
    """Copy raw file `name` (plain, or the member of the zip Kaggle packed it in) to `dest` as it
    is, streamed: a table of gigabytes is never held in memory."""
    path = locate(raw, name)
    if path.name == name:
        shutil.copyfile(path, dest)
        return
    with zipfile.ZipFile(path) as zf:
        members = [m for m in zf.namelist() if Path(m).name == name]
        if not members:
            raise RawFileMissing(f"{path} holds no {name} (members: {zf.namelist()[:10]})")
        with zf.open(members[0]) as source, open(dest, "wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
