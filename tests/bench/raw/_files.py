"""Small writers for synthetic raw files (CSV, zip, PNG, JPEG) in Kaggle's formats."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of `files` with a fixed date on every member, so the same files give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def png_bytes(array: np.ndarray, mode: str = "L") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(array.astype(np.uint8), mode=mode).save(buffer, format="PNG")
    return buffer.getvalue()


def jpg_bytes(rng: np.random.Generator, shape: tuple[int, int] = (32, 32)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (*shape, 3), dtype=np.uint8), mode="RGB").save(buffer, format="JPEG")
    return buffer.getvalue()


def sevenz_bytes(files: dict[str, bytes]) -> bytes:
    """A 7z archive of `files` (as Kaggle ships some image folders, inside its zip)."""
    import py7zr

    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(data, name)
    return buffer.getvalue()
