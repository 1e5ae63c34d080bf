"""Help a small code model gets from a scaffold's `default` preset: what it is shown, never what it writes.

Three aids, each derived from the competition's public files and its metric, never from its id:
- `data_schema`: the id and target columns, which feature columns are numeric, categorical or free text,
  missing values, and the exact submission header, read from the CSV files;
- `worked_example`: a complete solution script for a made-up dataset, to copy the shape of;
- `error_focus`: the failing line of a script and its exception, pulled out of a long traceback, with the
  usual cause of that exception and, for a missing key, the line that wrote it and the closest real column.

Large models do not need them (the `mlebench` presets leave them off); a 1.5B model that is shown the
exact columns and one script that runs writes far fewer scripts that crash on the first string column.
The data folder read here is the prepared public data, which the harness wrote, not the agent.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

MAX_ROWS = 200_000  # statistics come from at most this many rows, so a huge table stays cheap
MAX_NAMES = 60  # column names listed per kind; a longer list is summarised
TEXT_MEAN_CHARS = 25  # a string column whose values are this long on average is free text
ID_LIKE_SHARE = 0.5  # a string column with more distinct values than this share of rows is an identifier

# What to hand in for a metric, by family. Keyed to the metric's name, which the task states anyway.
_PROBABILITY_METRICS = ("auc", "log_loss", "logloss", "cross_entropy", "brier")
_LABEL_METRICS = ("accuracy", "f1", "kappa", "precision", "recall", "mcc")
_REGRESSION_METRICS = ("rmse", "mse", "mae", "rmsle", "r2", "mape", "smape")


@dataclass(frozen=True)
class AidSwitches:
    """The aids every scaffold has, one switch each. Off here and in the mlebench presets, on in each
    scaffold's `default` preset, whose comments say where each one shows up; a scaffold may add its own
    (AIDE does). `aids: true|false` in a config sets them all."""

    data_schema: bool = False  # the columns by kind, missing values, the submission header and the metric
    worked_example: bool = False  # a complete script for a made-up dataset, next to that dataset's schema
    error_focus: bool = False  # a traceback's failing line, exception and usual cause, where the model reads last
    # with the worked example: the schema ends with the example's "<- task" column lines (ID, TARGET,
    # NUMERIC, CATEGORICAL) written for this data, so a model that copies the example copies the right names;
    # with error_focus, a KeyError on the example's own columns shows them again
    task_lines: bool = False

    @property
    def shows_task_lines(self) -> bool:
        return self.task_lines and self.worked_example


@dataclass(frozen=True)
class Tables:
    """The CSV files of a tabular task: where the labels, the rows to predict and the expected format are."""

    train: Path
    test: Path
    sample: Path
    id_column: str
    targets: list[str]


def _header(path: Path) -> list[str]:
    try:
        return [str(c) for c in pd.read_csv(path, nrows=0).columns]
    except (ValueError, OSError, UnicodeDecodeError):
        return []


def find_tables(root: Path) -> Tables | None:
    """The train / test / sample-submission CSVs at the top of `root`, or None when the layout is not that.

    The sample submission names the id column (its first) and the targets (the rest); the train table
    holds the id and the targets; the test table holds the id and none of the targets.
    """
    csvs = sorted(p for p in Path(root).glob("*.csv") if p.is_file())
    headers = {p: _header(p) for p in csvs}
    samples = [p for p in csvs if "sample" in p.name.lower() or "submission" in p.name.lower()]
    if not samples or len(headers[samples[0]]) < 2:
        return None
    sample = samples[0]
    id_column, *targets = headers[sample]
    train = [p for p in csvs if p != sample and {id_column, *targets} <= set(headers[p])]
    test = [p for p in csvs if p != sample and id_column in headers[p] and not set(targets) & set(headers[p])]
    if not train or not test:
        return None
    return Tables(train=_prefer(train, "train"), test=_prefer(test, "test"), sample=sample,
                  id_column=id_column, targets=targets)


def _prefer(paths: list[Path], word: str) -> Path:
    return next((p for p in paths if word in p.name.lower()), paths[0])


def _names(columns: list[str], notes: dict[str, str]) -> str:
    """A Python list of the names (ready to paste into a script), then the notes on some of them; a
    long list is written as the comprehension that builds it when the names are numbered, else
    summarised with how to select it in code. Never an ellipsis: a small model pastes `...` as is."""
    if len(columns) > MAX_NAMES:
        numbered = _numbered(columns)
        if numbered:
            listed = f"{len(columns)} columns, `{columns[0]}` to `{columns[-1]}`; in Python: `{numbered}`"
        else:
            listed = (f"{len(columns)} columns, from `{columns[0]}`, `{columns[1]}` to `{columns[-1]}` (in code: "
                      f"every column of this kind, e.g. `train.select_dtypes('number').columns` minus the id and "
                      f"target)")
    else:
        listed = _list_literal(columns)
    noted = [f"{c}: {notes[c]}" for c in columns if c in notes][:MAX_NAMES]
    return listed + (f" ({'; '.join(noted)})" if noted else "")


def _list_literal(columns: list[str]) -> str:
    return "[" + ", ".join(f'"{c}"' for c in columns) + "]"


_NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")


def _numbered(columns: list[str]) -> str:
    """The list comprehension that spells `columns` when they are one prefix and consecutive numbers
    (t000 ... t149, or f1 ... f120), else ""."""
    matches = [_NUMBERED.match(c) for c in columns]
    if not all(matches) or len({m["prefix"] for m in matches}) != 1:  # type: ignore[index]
        return ""
    digits = [m["number"] for m in matches]  # type: ignore[index]
    first = int(digits[0])
    if [int(d) for d in digits] != list(range(first, first + len(digits))):
        return ""
    padded = len({len(d) for d in digits}) == 1 and any(d.startswith("0") and len(d) > 1 for d in digits)
    if not padded and any(d != str(int(d)) for d in digits):
        return ""  # zero-padded in some names only: no one format spells them all
    number = f"{{i:0{len(digits[0])}d}}" if padded else "{i}"
    span = f"range({len(digits)})" if first == 0 else f"range({first}, {first + len(digits)})"
    prefix = matches[0]["prefix"]  # type: ignore[index]
    return f'[f"{prefix}{number}" for i in {span}]'


def _kinds(frame: pd.DataFrame, features: list[str]) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {"numeric": [], "categorical": [], "text": []}
    for name in features:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            kinds["numeric"].append(name)
            continue
        values = column.dropna().astype(str)
        long_text = len(values) and values.str.len().mean() >= TEXT_MEAN_CHARS
        id_like = len(values) and values.nunique() > ID_LIKE_SHARE * len(values)
        kinds["text" if long_text or id_like else "categorical"].append(name)
    return kinds


def metric_advice(metric_name: str) -> str:
    """What a submission for this metric holds: probabilities, labels or numbers ("" if unknown)."""
    name = metric_name.lower()
    if any(key in name for key in _PROBABILITY_METRICS):
        return ("it scores probabilities: submit the predicted probability of the positive class "
                "(e.g. `model.predict_proba(X)[:, 1]`), not 0/1 labels")
    if any(key in name for key in _LABEL_METRICS):
        return "it scores labels: submit predicted class labels (e.g. `model.predict(X)`), with the values train uses"
    if "rmsle" in name or "log_error" in name:
        # no log1p/expm1 tip: the 1.5B model put `np.expm1` on the raw target (overflow) in CodeAct and MLAB
        return ("it scores the log of the values: fit a regressor on the target as it is, submit predictions "
                ">= 0 (`np.clip(model.predict(X), 0, None)`) and validate with "
                "`sklearn.metrics.root_mean_squared_log_error`")
    if any(key in name for key in _REGRESSION_METRICS):
        return "it scores numbers: use a regressor and submit its predictions"
    return ""


@dataclass(frozen=True)
class Layout:
    """What a schema names besides the training rows: files, sizes, the submission's format."""

    train_file: str
    test_file: str
    test_rows: int
    id_column: str
    targets: list[str]
    header: str  # the sample submission's header line, as written
    example_row: str  # its first data line, as written (7, not 7.0)
    test_columns: list[str]


def data_schema(root: Path, data_dir: str, submission_path: str, metric_name: str = "",
                task_lines: bool = False) -> str:
    """A precise description of a train/test/sample-submission task's columns ("" for other layouts).

    `root` is the data folder on this host; `data_dir` and `submission_path` are what the script sees;
    `task_lines` (AidSwitches.task_lines) ends it with the worked example's column lines for this data.
    """
    read = _read_layout(root)
    return describe(*read, data_dir, submission_path, metric_name, task_lines) if read else ""


@dataclass(frozen=True)
class DataAids:
    """What a scaffold shows of one task's public data: the schema (its prompt) and the worked example's
    column lines for this data (its error focus); "" for each that is off or has no tabular layout."""

    schema: str = ""
    task_lines: str = ""


def host_data_aids(sandbox: object, aid: AidSwitches, data_dir: str, submission_path: str,
                   metric_name: str) -> DataAids:
    """`data_schema` and `task_lines` of the sandbox's public data on this host, from one read of it (each
    scaffold calls this once per run). `data_dir` and `submission_path` are what the agent's scripts see."""
    host = getattr(sandbox, "host_paths", None)  # the public data on this host (not in the Sandbox protocol)
    wanted = aid.data_schema or aid.shows_task_lines
    read = _read_layout(Path(host.data)) if wanted and host is not None and Path(host.data).is_dir() else None
    if read is None:
        return DataAids()
    train, layout = read
    kinds = _kinds(train, _features(train, layout))  # the slow part on a big table: once for both
    schema = describe(train, layout, data_dir, submission_path, metric_name, aid.shows_task_lines, kinds) \
        if aid.data_schema else ""
    return DataAids(schema=schema, task_lines=_task_lines(layout, kinds) if aid.shows_task_lines else "")


def _read_layout(root: Path) -> tuple[pd.DataFrame, Layout] | None:
    """The training rows (up to MAX_ROWS) and the layout of a train/test/sample-submission task."""
    tables = find_tables(root)
    if tables is None:
        return None
    train = pd.read_csv(tables.train, nrows=MAX_ROWS, low_memory=False)
    with tables.sample.open(encoding="utf-8", errors="replace") as handle:
        header, example_row = handle.readline().strip(), handle.readline().strip()
    layout = Layout(tables.train.name, tables.test.name, sum(1 for _ in tables.test.open("rb")) - 1,
                    tables.id_column, tables.targets, header, example_row, _header(tables.test))
    return train, layout


def _features(train: pd.DataFrame, layout: Layout) -> list[str]:
    return [c for c in train.columns if c != layout.id_column and c not in layout.targets
            and c in layout.test_columns]


def describe(train: pd.DataFrame, layout: Layout, data_dir: str, submission_path: str, metric_name: str,
             task_lines: bool = False, kinds: dict[str, list[str]] | None = None) -> str:
    """The schema text for a training frame and its layout (shared by real tasks and the worked example,
    so the example's schema reads exactly like the task's); `kinds`: the features' kinds, when known."""
    features = _features(train, layout)
    kinds = kinds or _kinds(train, features)
    missing = {c: f"{int(n)} missing" for c, n in train[features].isna().sum().items() if n}
    levels = {c: f"{train[c].nunique()} values" + (f", {missing[c]}" if c in missing else "")
              for c in kinds["categorical"]}
    lines = [
        f"- Training table: `{data_dir}/{layout.train_file}` ({len(train)} rows). Rows to predict: "
        f"`{data_dir}/{layout.test_file}` ({layout.test_rows} rows). Read them with `pandas.read_csv`.",
        f"- Id column: `{layout.id_column}` (an identifier, not a feature).",
    ]
    for target in layout.targets:
        lines.append(f"- Target column: `{target}` ({_target_kind(train[target])}).")
    if kinds["numeric"]:
        lines.append(f"- Numeric feature columns: {_names(kinds['numeric'], missing)}.")
    elif kinds["categorical"]:
        lines.append("- Numeric feature columns: none (an empty list `[]`).")
    if kinds["categorical"]:
        lines.append(f"- Categorical feature columns (strings: one-hot encode them inside the model pipeline; a "
                     f"model cannot take them as they are): {_names(kinds['categorical'], levels)}.")
    elif kinds["numeric"]:  # said outright: a small model otherwise makes some up from the task's words
        lines.append("- Categorical feature columns: none (an empty list `[]`).")
    if kinds["text"]:
        lines.append(f"- Free-text or identifier-like string columns (leave them out of the features): "
                     f"{_names(kinds['text'], missing)}.")
    if missing:
        lines.append("- Missing values: the columns marked 'missing' have empty cells; impute them inside "
                     "the model pipeline (SimpleImputer).")
    lines.append(f"- Submission: write `{submission_path}` with the header exactly `{layout.header}` and one row "
                 f"per row of {layout.test_file}, ids taken from its `{layout.id_column}` column, for example "
                 f"`{layout.example_row}`; save it with `to_csv(path, index=False)`.")
    advice = metric_advice(metric_name)
    if advice:
        lines.append(f"- Metric `{metric_name}`: {advice}.")
    block = _task_lines(layout, kinds) if task_lines else ""
    if block:
        lines.append("- The worked example's column lines (marked `<- task`), written for this data:\n" + block)
    return "\n".join(lines)


def _task_lines(layout: Layout, kinds: dict[str, list[str]]) -> str:
    """ID, TARGET, NUMERIC and CATEGORICAL as the worked example spells them, for one target ("" when the
    task has several targets, or a kind too long to write that has no numbered form)."""
    numeric, categorical = (_numbered(columns) if len(columns) > MAX_NAMES else _list_literal(columns)
                            for columns in (kinds["numeric"], kinds["categorical"]))
    if len(layout.targets) != 1 or not numeric or not categorical:
        return ""
    lines = (f'ID, TARGET = "{layout.id_column}", "{layout.targets[0]}"', f"NUMERIC = {numeric}",
             f"CATEGORICAL = {categorical}")
    return "\n".join(f"      {line}" for line in lines)


def _target_kind(column: pd.Series) -> str:
    values = column.dropna()
    distinct = values.nunique()
    if distinct <= 20 and (not pd.api.types.is_float_dtype(values) or (values == values.round()).all()):
        shown = ", ".join(map(str, sorted(values.unique().tolist(), key=str)))
        return f"{column.dtype}, {distinct} classes: {shown}: a classification target"
    if pd.api.types.is_numeric_dtype(values):
        # the worked example fits a classifier; a small model keeps it unless told here, next to the column
        return (f"{column.dtype}, from {values.min():.4g} to {values.max():.4g}: a regression target: fit a "
                f"regressor such as `HistGradientBoostingRegressor`, never a classifier")
    return f"{column.dtype}, {distinct} distinct values"


_EXAMPLE = '''\
# Made-up task: predict `hatched` (0 or 1) for each egg in test.csv; metric: accuracy.
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.ensemble import HistGradientBoostingClassifier as Model  # <- task: ...Regressor for a numeric target
from sklearn.metrics import accuracy_score            # <- task: the task's metric function

# ---- the facts of this task: the only lines to change for another task are marked "<- task" ----
DATA_DIR = "{data_dir}"
SUBMISSION_PATH = "{submission_path}"
ID, TARGET = "egg_id", "hatched"                      # <- task: id and target columns
NUMERIC = ["weight_g", "shell_mm", "days_warmed"]     # <- task: numeric feature columns
CATEGORICAL = ["feed", "coop"]                        # <- task: string feature columns (free text left out)


def metric(y_true, model, X):                         # <- task: the task's metric
    return accuracy_score(y_true, model.predict(X))   # (roc_auc_score(y_true, model.predict_proba(X)[:, 1]) for AUC)


def predict(model, X):                                # <- task: what the submission holds
    return model.predict(X)                           # (model.predict_proba(X)[:, 1] for probabilities)


# ---- the solution: the same for every tabular task ----
train = pd.read_csv(f"{{DATA_DIR}}/train.csv")
test = pd.read_csv(f"{{DATA_DIR}}/test.csv")
X, y = train[NUMERIC + CATEGORICAL], train[TARGET]
X_test = test[NUMERIC + CATEGORICAL]

preprocess = ColumnTransformer([
    ("num", SimpleImputer(strategy="median"), NUMERIC),
    ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                      ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False))]), CATEGORICAL),
])
model = Pipeline([("prep", preprocess), ("model", Model(random_state=0))])

X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.2, random_state=0)
model.fit(X_train, y_train)
print(f"Validation score: {{metric(y_valid, model, X_valid):.4f}}")

model.fit(X, y)  # refit on every labelled row before predicting the test rows
submission = pd.DataFrame({{ID: test[ID], TARGET: predict(model, X_test)}})
submission.to_csv(SUBMISSION_PATH, index=False)
print("Saved", len(submission), "rows to", SUBMISSION_PATH)
'''


# the made-up data's columns, as `_EXAMPLE` and `example_schema` name them
EXAMPLE_COLUMNS = ("egg_id", "hatched", "weight_g", "shell_mm", "days_warmed", "feed", "coop", "notes")


def example_schema(data_dir: str, submission_path: str, task_lines: bool = False) -> str:
    """The made-up task's data schema, written the way `data_schema` describes a real task."""
    rows = 400
    train = pd.DataFrame({
        "egg_id": [f"e{i:04d}" for i in range(rows)],
        "weight_g": [48 + i % 25 for i in range(rows)],
        "shell_mm": [0.28 + (i * 7) % 13 / 100 for i in range(rows)],
        "days_warmed": [None if i % 9 == 0 else i % 22 for i in range(rows)],
        "feed": [("grain", "mash", "pellet")[i % 3] for i in range(rows)],
        "coop": [None if i % 25 == 0 else ("north", "south", "east", "west")[i % 4] for i in range(rows)],
        "notes": [f"turned by hand on day {i % 21} and candled twice before the last check" for i in range(rows)],
        "hatched": [int(i % 5 == 0) for i in range(rows)],
    })
    columns = [c for c in train.columns if c != "hatched"]
    layout = Layout("train.csv", "test.csv", 100, "egg_id", ["hatched"], "egg_id,hatched", "e0400,0",
                    columns)
    return describe(train, layout, data_dir, submission_path, "accuracy", task_lines)


def worked_example(data_dir: str, submission_path: str) -> str:
    """A complete, runnable-shaped solution for a made-up dataset, with this task's paths."""
    return _EXAMPLE.format(data_dir=data_dir, submission_path=submission_path)


_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')
# IPython names a cell's own frames "Cell In[7], line 3" (escape codes already removed)
_CELL_FRAME = re.compile(r"(?P<file>Cell In\[\d+\]), line (?P<line>\d+)")
CELL = "<cell>"  # error_focus's script name for code run as a Jupyter cell
_EXCEPTION = re.compile(r"^(?P<type>[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning)\b.*)$", re.M)


def traceback_end(output: str, script_name: str) -> tuple[int | None, str]:
    """Where the last traceback in `output` left the script `script_name` (its line number, None when no
    frame of it is shown) and the exception line ("Type: message", "" when none); (None, "") without a
    traceback. `script_name` as for `error_focus`."""
    if "Traceback (most recent call last)" not in output:
        return None, ""
    tail = output[output.rfind("Traceback (most recent call last)"):]
    exceptions = _EXCEPTION.findall(tail)
    exception = exceptions[-1].strip() if exceptions else ""
    if script_name == CELL:
        frames = list(_CELL_FRAME.finditer(tail))
    else:
        frames = [m for m in _FRAME.finditer(tail) if not script_name or m["file"].endswith(script_name)]
    return (int(frames[-1]["line"]) if frames else None), exception


def data_columns(root: Path | None) -> list[str]:
    """The training table's column names under `root` (the public data on the host), [] when there is no
    tabular layout there (or no root)."""
    tables = find_tables(root) if root is not None and root.is_dir() else None
    return _header(tables.train) if tables else []


def host_data_columns(sandbox: object) -> list[str]:
    """`data_columns` of the sandbox's public data on this host ([] when the sandbox does not say where it is:
    `host_paths` is not part of the sandbox protocol)."""
    host = getattr(sandbox, "host_paths", None)
    return data_columns(Path(host.data) if host else None)


def error_focus(code: str, output: str, script_name: str, columns: Sequence[str] = (),
                task_lines: str = "") -> str:
    """The line of `code` where the last traceback in `output` left the script, and the exception.

    `script_name` is the script's file name as the traceback prints it ("" when unknown: then the last
    frame counts; `CELL` for a Jupyter cell, whose frames IPython names "Cell In[N], line M"). `columns`
    (the data's column names, see `data_columns`) lets a KeyError name the closest real column;
    `task_lines` (see `task_lines`, "" when that aid is off) is shown in full when a KeyError names the
    worked example's own columns. Returns "" when the output holds no traceback.
    """
    if "Traceback (most recent call last)" not in output:
        return ""
    number, exception = traceback_end(output, script_name)
    lines = code.splitlines()
    parts = []
    if number is not None and 1 <= number <= len(lines):
        parts.append(f"The script stopped at line {number}: `{lines[number - 1].strip()}`")
    if exception:
        parts.append(f"with {exception[:500]}")
        hint = exception_hint(exception)
        if hint:
            parts.append(f"Usual cause: {hint}")
        # the example's names all come from copying it: the whole block beats renaming one column a turn
        names = _example_names(exception, task_lines) or _closest_column(exception, columns)
        parts += [line for line in (_key_source(lines, exception, number), names) if line]
    return "\n".join(parts)


def host_error_focus(sandbox: object, code: str, output: str, script_name: str, task_lines: str = "") -> str:
    """`error_focus` with the columns of the sandbox's public data on this host (`task_lines` as there:
    see `DataAids`)."""
    return error_focus(code, output, script_name, host_data_columns(sandbox), task_lines)


_QUOTED = re.compile(r"'([^'\n]{1,80})'|" + r'"([^"\n]{1,80})"')


# how scikit-learn's ColumnTransformer names the columns it did not find, when fitting and when predicting
_COLUMNS_NOT_FOUND = ("not columns of the dataframe", "columns are missing")


def _missing_keys(exception: str) -> list[str]:
    """The keys a KeyError names, or the columns scikit-learn's ColumnTransformer did not find ([] for any
    other exception)."""
    if exception.startswith("ValueError") and any(words in exception for words in _COLUMNS_NOT_FOUND):
        return [single or double for single, double in _QUOTED.findall(exception.partition(":")[2])]
    if not exception.startswith("KeyError"):
        return []
    message = exception.partition(":")[2].strip()
    if len(message) > 1 and message[0] == message[-1] == '"':  # pandas quotes a list of missing keys
        message = message[1:-1]
    return [single or double for single, double in _QUOTED.findall(message)]


_ASSIGNED = re.compile(r"^\s*([A-Za-z_][\w\s,]*?)\s*=(?!=)")
_NAME = re.compile(r"[A-Za-z_]\w*")


def _key_source(lines: list[str], exception: str, failing: int | None) -> str:
    """For a KeyError, the line that writes the missing key: it is usually set far above the line
    that fails (a column list, a target name), and that is the line to fix. Of several lines that write
    it, first one that assigns a name the failing line uses, then a list: CodeAct put the target in
    `CATEGORICAL = ["id", "label"]`, failed at `test[NUMERIC + CATEGORICAL]`, and was sent to the
    `ID, TARGET = "id", "label"` line instead, which it then kept."""
    used = set(_NAME.findall(lines[failing - 1])) if failing and 1 <= failing <= len(lines) else set()

    def rank(numbered: tuple[int, str]) -> tuple[bool, bool, int]:
        number, line = numbered
        assigned = _ASSIGNED.match(line)
        names = set(_NAME.findall(assigned[1])) if assigned else set()
        return not names & used, "[" not in line, number

    for key in _missing_keys(exception):
        writers = [(number, line) for number, line in enumerate(lines, 1)
                   if number != failing and (f'"{key}"' in line or f"'{key}'" in line)]
        if writers:
            number, line = min(writers, key=rank)
            return f"`{key}` is written at line {number}: `{line.strip()}`: fix that line."
    return ""


def _example_names(exception: str, task_lines: str) -> str:
    """For a KeyError on the worked example's own columns, this data's `<- task` lines in full."""
    copied = [key for key in _missing_keys(exception) if key in EXAMPLE_COLUMNS]
    if not copied or not task_lines:
        return ""
    names = ", ".join(f"`{key}`" for key in copied)
    return (f"{names} {'is a column' if len(copied) == 1 else 'are columns'} of the worked example's made-up "
            f"data, not of this data. Replace the example's `<- task` column lines with these, written for "
            f"this data:\n{task_lines}")


def _closest_column(exception: str, columns: Sequence[str]) -> str:
    """For a KeyError on a column the data does not have, the real column closest to it by spelling
    (a small model writes `churned` for `churn`, or keeps the worked example's names)."""
    by_lower = {c.lower(): c for c in columns}
    for key in _missing_keys(exception):
        if key in columns:
            continue
        close = difflib.get_close_matches(key.lower(), list(by_lower), n=1, cutoff=0.6)
        if close:
            return f"The data has no column `{key}`; the closest is `{by_lower[close[0]]}`."
    return ""


# What an exception usually means in a data-science script, by its type (and message). Generic Python
# knowledge: nothing here names a competition, a column or a fix for a particular task.
_HINTS: tuple[tuple[str, str, str], ...] = (
    ("NameError", "", "a name is used that the script never imports or defines. Add the missing import at the top "
                      "(e.g. `import pandas as pd`, `import numpy as np`, or the `from sklearn... import ...` line "
                      "for that class), or define the variable before this line."),
    ("ModuleNotFoundError", "", "that package is not installed here: use one of the installed packages instead."),
    ("ImportError", "", "that name does not exist in that package (or it is not installed): import it from the "
                        "right module, or use another one."),
    ("KeyError", "", "a column or key that does not exist. Use the exact column names of the data schema, and "
                     "remember the test table has no target column."),
    ("ValueError", "could not convert string", "a string column reached a model or an imputer for numbers: put it in "
                                               "the categorical (one-hot encoded) columns or leave it out."),
    ("ValueError", "Classification metrics can't handle", "a classification metric (accuracy_score, f1_score) got "
                                                          "numeric predictions: for a regression target, score with "
                                                          "the task's metric (e.g. root_mean_squared_error)."),
    ("ValueError", "Input X contains NaN", "missing values reached the model: impute every feature column first."),
    # CodeAct on a log-scored price wrote `np.expm1(y_true)` on the raw prices, three steps running
    ("ValueError", "contains infinity", "a number overflowed, usually `np.exp`/`np.expm1` of values that are not "
                                        "logs (a raw target, or a prediction of one): apply `np.expm1` only to "
                                        "what a model fitted on `np.log1p(y)` predicts, never to `y` itself."),
    # CodeAct on gunpoint (no string columns) wrote `CATEGORICAL = ["id", "label"]`, four cells running
    ("ValueError", "Some column names are not columns of the dataframe",
     "a column list of the pipeline (NUMERIC, CATEGORICAL) names columns that the X it is fitted on does not "
     "hold: list only this data's feature columns, never the id or the target, and write `[]` for a kind of "
     "column this data has none of."),
    ("ValueError", "columns are missing", "the model was fitted on columns that the X it predicts on does not "
                                          "hold: fit and predict on the same feature columns, which never "
                                          "include the id or the target."),
    ("ValueError", "", "an argument has the wrong value, shape or type: read the message and the line."),
    ("TypeError", "unexpected keyword argument 'squared'", "this scikit-learn has no `squared=` argument any more: "
                                                           "use `root_mean_squared_error(y_true, y_pred)` from "
                                                           "sklearn.metrics for RMSE."),
    ("TypeError", "", "an object of the wrong type is used on this line (e.g. a NumPy array where a DataFrame is "
                      "expected): keep the data in the shape the next call expects."),
    ("AttributeError", "", "the object has no such attribute or method: check what this object is."),
    ("FileNotFoundError", "", "that path does not exist: use the data and submission paths the task gives."),
    ("IndentationError", "", "the script's indentation is broken: every block must be indented consistently."),
    ("SyntaxError", "", "the script is not valid Python at or just before this line."),
    ("KeyboardInterrupt", "", "the code ran past its time limit and was stopped. Make it faster: a lighter model, "
                              "fewer rows or columns; a classifier fitted on a numeric target with many distinct "
                              "values is slow (and wrong): use a regressor for it."),
)


def is_fragment(code: str, parent_code: str, share: float = 0.5) -> bool:
    """Is `code` a piece of a script rather than a whole one: fewer than `share` of the lines of the
    script it replaces (blank lines not counted)?"""
    def count(text: str) -> int:
        return sum(1 for line in text.splitlines() if line.strip())
    return count(code) < share * count(parent_code)


def exception_hint(exception: str) -> str:
    """The usual cause of `exception` ("Type: message"), or "" when the type is not a common one."""
    kind = exception.split(":", 1)[0].strip().rsplit(".", 1)[-1]
    return next((hint for name, words, hint in _HINTS if kind == name and words in exception), "")


def failing_script(output: str, folder: str) -> str | None:
    """The file of the last frame of the last traceback in `output` that lies under `folder` (e.g. the
    workspace, as the script saw it), or None: which of the agent's own scripts a command stopped in."""
    if "Traceback (most recent call last)" not in output:
        return None
    tail = output[output.rfind("Traceback (most recent call last)"):]
    prefix = folder.rstrip("/") + "/"
    files = [m["file"] for m in _FRAME.finditer(tail) if m["file"].startswith(prefix) and ".." not in m["file"]]
    return files[-1] if files else None
