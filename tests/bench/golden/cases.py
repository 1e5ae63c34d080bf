"""Crafted submissions for the golden tests, made from a competition's answers and sample files.

Each case is a function of the answers' and the sample's CSV text (and the `submission:` section of
`competition.yaml`) that returns the submission's CSV text. The work is done on text, cells kept as
strings, so the same inputs give the same bytes under any pandas version: `make_golden.py` (run once
with MLE-bench's grader) and the tests (run with ours) build identical files; each golden case also
records the md5 of its text to prove it.

Competition-specific cases live in the competition's raw module (`tests/bench/raw/<id>.py`, an
optional `CASES = {name: fn(answers_text, sample_text, spec) -> str}`).
"""

from __future__ import annotations

import functools
import io
from typing import Callable

import numpy as np
import pandas as pd

Case = Callable[[str, str, dict], str]


def table(text: str) -> pd.DataFrame:
    """CSV text as a frame of strings (empty cells stay empty strings); a copy the caller may change."""
    return _parsed(text).copy()


@functools.lru_cache(maxsize=2)
def _parsed(text: str) -> pd.DataFrame:
    # every case starts from the same answers text: parse it once (answers of 100,000 rows and more)
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).astype(object)


def text_of(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def expand(spec: dict) -> dict:
    """The yaml's `submission:` section with `probability_columns` written out as columns (as the
    loader does), so the generator and the tests hand the cases the same spec."""
    extra = [{"name": str(n), "kind": "probability"} for n in spec.get("probability_columns") or ()]
    return {**spec, "columns": list(spec["columns"]) + extra}


def columns(spec: dict) -> list[str]:
    return [c["name"] for c in spec["columns"]]


def predictions(spec: dict) -> list[dict]:
    return [c for c in spec["columns"] if c["name"] != spec.get("id_column")]


def submission(answers: str, spec: dict) -> pd.DataFrame:
    return _parsed(answers)[columns(spec)].copy()


def _number(text: str) -> float:
    return float(text) if text not in ("", "True", "False") else float(text == "True")


def _fmt(value: float) -> str:
    return repr(float(value))


def perturb(frame: pd.DataFrame, spec: dict, seed: int) -> pd.DataFrame:
    """Worse predictions, by column kind: labels rotated among the seen ones in a third of the rows,
    probabilities replaced by seeded noise (rows renormalised where they must sum to 1), numbers
    shifted by noise."""
    rng = np.random.default_rng(seed)
    out = frame.copy()
    n = len(out)
    summed = spec.get("rows_sum_to_one") or []
    for col in predictions(spec):
        name, kind = col["name"], col.get("kind", "float")
        if name in summed:
            continue
        if kind == "label":
            seen = sorted(set(out[name]))
            rows = rng.choice(n, max(1, n // 3), replace=False)
            for r in rows:
                out.at[r, name] = seen[(seen.index(out.at[r, name]) + 1) % len(seen)]
        elif kind == "probability":
            out[name] = [_fmt(v) for v in np.round(rng.random(n), 6)]
        elif kind == "int":
            out[name] = [str(int(_number(v)) + int(d)) for v, d in zip(out[name], rng.integers(-1, 2, n))]
        elif kind == "float":
            scale = max(1e-3, float(np.std([_number(v) for v in out[name]])) or 1.0)
            out[name] = [_fmt(_number(v) + d) for v, d in zip(out[name], rng.normal(0, 0.3 * scale, n))]
    if summed:
        p = rng.dirichlet(np.ones(len(summed)), size=n)
        out = _replace(out, {name: [_fmt(v) for v in p[:, j]] for j, name in enumerate(summed)})
    return out


def _replace(frame: pd.DataFrame, new: dict[str, list[str]]) -> pd.DataFrame:
    """`frame` with the columns of `new` replaced, in one step (many classes: no per-column inserts)."""
    replaced = pd.DataFrame(new, index=frame.index, dtype=object)
    return pd.concat([frame.drop(columns=list(new)), replaced], axis=1)[list(frame.columns)]


def hard_one_hot(frame: pd.DataFrame, spec: dict, seed: int) -> pd.DataFrame:
    """0/1 rows (one 1 per row), a third of them on a wrong class."""
    summed = spec["rows_sum_to_one"]
    rng = np.random.default_rng(seed)
    out = frame.copy()
    truth = np.array([[_number(v) for v in out[c]] for c in summed]).T.argmax(axis=1)
    wrong = rng.random(len(out)) < 1 / 3
    chosen = np.where(wrong, (truth + 1) % len(summed), truth)
    return _replace(out, {name: ["1" if c == j else "0" for c in chosen] for j, name in enumerate(summed)})


def _first_prediction(spec: dict) -> dict:
    return predictions(spec)[0]


def _with_cell(frame: pd.DataFrame, column: str, row: int, value: str) -> pd.DataFrame:
    out = frame.copy()
    out.at[row, column] = value
    return out


def _ids_as_float(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    id_col = spec["id_column"]
    if not all(v.lstrip("-").isdigit() for v in frame[id_col]):
        return text_of(frame)  # ids are not integers: nothing to rewrite
    frame[id_col] = [f"{int(v)}.0" for v in frame[id_col]]
    return text_of(frame)


def _out_of_range(answers: str, sample: str, spec: dict) -> str:
    frame = perturb(submission(answers, spec), spec, 3)
    col = _first_prediction(spec)
    high = col.get("high", 1.0 if col.get("kind") == "probability" else None)
    value = "1.5" if high is None else _fmt(float(high) + 0.5)
    return text_of(_with_cell(frame, col["name"], 0, value))


def _negative(answers: str, sample: str, spec: dict) -> str:
    frame = perturb(submission(answers, spec), spec, 4)
    return text_of(_with_cell(frame, _first_prediction(spec)["name"], 0, "-0.25"))


def _duplicate_id(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    frame.at[1, spec["id_column"]] = frame.at[0, spec["id_column"]]
    return text_of(frame)


def _constant(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    new = {}
    for col in predictions(spec):
        values = sorted(set(frame[col["name"]]))
        new[col["name"]] = [values[0] if col.get("kind") in ("label", "text", "id") else "0.5"] * len(frame)
    return text_of(_replace(frame, new))


GENERIC: dict[str, Case] = {
    "answers_file": lambda a, s, spec: a,
    "sample_file": lambda a, s, spec: s,
    "answers": lambda a, s, spec: text_of(submission(a, spec)),
    "shuffled": lambda a, s, spec: text_of(submission(a, spec).sample(frac=1.0, random_state=0)),
    "perturbed": lambda a, s, spec: text_of(perturb(submission(a, spec), spec, 1)),
    "perturbed_more": lambda a, s, spec: text_of(perturb(submission(a, spec), spec, 2)),
    "missing_row": lambda a, s, spec: text_of(submission(a, spec).iloc[:-1]),
    "extra_row": lambda a, s, spec: text_of(pd.concat([submission(a, spec), submission(a, spec).iloc[:1]])),
    "extra_column": lambda a, s, spec: text_of(submission(a, spec).assign(note="x")),
    "missing_column": lambda a, s, spec: text_of(submission(a, spec).drop(columns=[predictions(spec)[-1]["name"]])),
    "columns_reversed": lambda a, s, spec: text_of(submission(a, spec)[columns(spec)[::-1]]),
    "renamed_id": lambda a, s, spec: text_of(submission(a, spec).rename(columns={spec["id_column"]: "ID_"})),
    "nan_cell": lambda a, s, spec: text_of(_with_cell(submission(a, spec), _first_prediction(spec)["name"], 0, "")),
    "duplicate_id": _duplicate_id,
    "ids_as_float": _ids_as_float,
    "out_of_range": _out_of_range,
    "negative": _negative,
    "constant": _constant,
    "utf8_bom": lambda a, s, spec: "\ufeff" + text_of(submission(a, spec)),
    "header_only": lambda a, s, spec: ",".join(columns(spec)) + "\n",
}


def all_cases(spec: dict, extra: dict[str, Case] | None = None) -> dict[str, Case]:
    cases = dict(GENERIC)
    if spec.get("rows_sum_to_one"):
        cases["hard_one_hot"] = lambda a, s, sp: text_of(hard_one_hot(submission(a, sp), sp, 5))
    cases.update(extra or {})
    return cases
