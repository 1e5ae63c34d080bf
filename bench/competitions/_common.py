"""Small helpers shared by the preparers. Preparers treat `raw` as read-only: nested archives are
read in place (zip members streamed), never extracted next to the user's files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd


def split(df: pd.DataFrame, test_size: float | int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train/test split exactly as `sklearn.model_selection.train_test_split(..., random_state=seed)`."""
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(df, test_size=test_size, random_state=seed)
    return train, test


def read_csv(path: Path, **kwargs) -> pd.DataFrame:
    return pd.read_csv(path, **kwargs)


def read_csv_in_zip(archive: Path, member: str | None = None, **kwargs) -> pd.DataFrame:
    """Read a CSV inside a zip (the only CSV when `member` is None)."""
    with zipfile.ZipFile(archive) as zf:
        if member is None:
            names = [n for n in zf.namelist() if n.lower().endswith(".csv")]
            if len(names) != 1:
                raise ValueError(f"{archive} should hold one CSV, found {names}")
            member = names[0]
        with zf.open(member) as fh:
            return pd.read_csv(io.BytesIO(fh.read()), **kwargs)


def zip_members_by_basename(archive: Path, suffix: str) -> dict[str, str]:
    """{file name: member path} for members ending in `suffix` (folders inside the zip ignored)."""
    with zipfile.ZipFile(archive) as zf:
        return {Path(n).name: n for n in zf.namelist() if n.lower().endswith(suffix) and not n.endswith("/")}


def copy_zip_members(archive: Path, members: dict[str, str], dest: Path) -> None:
    """Write {file name: member path} from `archive` into the folder `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as zf:
        for name, member in members.items():
            (dest / name).write_bytes(zf.read(member))


def raw_or_zipped(raw: Path, name: str) -> Path:
    """`raw/<name>.csv` if already extracted, else Kaggle's `raw/<name>.zip`."""
    plain = raw / f"{name}.csv"
    return plain if plain.exists() else raw / f"{name}.zip"
