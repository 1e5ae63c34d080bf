"""Golden data: what MLE-bench's preparer and grader make of our synthetic raw trees (`make_golden.py`)."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
import zipfile
from pathlib import Path

GOLDEN_DIR = Path(__file__).parent


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def tree_digest(root: Path, skip: tuple[str, ...] = ()) -> dict:
    """{relative path: md5}; zips as {path: {"zip": {member: md5}}}, since zip bytes hold dates."""
    out: dict = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = str(path.relative_to(root))
        if rel in skip:
            continue
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                out[rel] = {"zip": {n: md5(zf.read(n)) for n in sorted(zf.namelist()) if not n.endswith("/")}}
        elif path.suffix == ".7z":
            out[rel] = {"7z": sevenz_digest(path)}
        elif path.name.endswith((".tar", ".tar.gz")):
            out[rel] = {"tar": tar_digest(path)}
        else:
            out[rel] = md5(path.read_bytes())
    return out


def sevenz_digest(path: Path) -> dict:
    """{member: md5} of a 7z archive's files ({member: "dir"} for folder entries)."""
    import py7zr

    with tempfile.TemporaryDirectory() as tmp, py7zr.SevenZipFile(path) as archive:
        infos = {i.filename: i.is_directory for i in archive.list()}
        archive.extractall(tmp)
        return {name: "dir" if is_dir else md5((Path(tmp) / name).read_bytes()) for name, is_dir in sorted(infos.items())}


def files_digest(files: dict[str, bytes]) -> dict:
    """{name: md5} of raw files; a zip by its members (its own bytes depend on the zip library)."""
    out: dict = {}
    for name, data in sorted(files.items()):
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                out[name] = {"zip": {n: md5(zf.read(n)) for n in sorted(zf.namelist()) if not n.endswith("/")}}
        elif name.endswith(".7z"):
            with tempfile.TemporaryDirectory() as tmp:
                (Path(tmp) / "a.7z").write_bytes(data)
                out[name] = {"7z": sevenz_digest(Path(tmp) / "a.7z")}
        else:
            out[name] = md5(data)
    return out


def golden_ids() -> list[str]:
    """Competitions with a golden file (`metrics.json` holds the metric cases, not a competition)."""
    return sorted(p.stem for p in GOLDEN_DIR.glob("*.json") if p.stem != "metrics")


def load(competition_id: str) -> dict:
    return json.loads((GOLDEN_DIR / f"{competition_id}.json").read_text())


def tar_digest(path: Path) -> dict:
    """{member: md5} of a tar's files, compressed or not (its bytes hold dates, owners and the
    order the files were found on disk)."""
    with tarfile.open(path, "r:*") as archive:
        return {m.name: md5(archive.extractfile(m).read()) for m in sorted(archive.getmembers(), key=lambda m: m.name)
                if m.isfile()}
