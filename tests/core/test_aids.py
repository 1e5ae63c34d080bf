"""The small-model aids: what they derive from a competition's files, and that the worked example runs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from scaffolds.core.aids import (CELL, EXAMPLE_COLUMNS, AidSwitches, DataAids, data_columns, data_schema,
                                 error_focus, example_schema, exception_hint, failing_script, find_tables,
                                 host_data_aids, is_fragment, metric_advice, worked_example)


@pytest.fixture
def tabular(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    train = pd.DataFrame({
        "row_id": [f"r{i}" for i in range(40)],
        "size": [float(i) if i % 5 else None for i in range(40)],
        "colour": ["red", "blue", None, "green"] * 10,
        "remark": [f"a long free text remark number {i} about this row" for i in range(40)],
        "label": [i % 2 for i in range(40)],
    })
    train.to_csv(data / "train.csv", index=False)
    train.drop(columns="label").head(10).to_csv(data / "test.csv", index=False)
    pd.DataFrame({"row_id": train.row_id.head(10), "label": 0}).to_csv(data / "sample_submission.csv", index=False)
    return data


def test_tables_are_found_by_their_columns_not_their_names(tabular: Path) -> None:
    (tabular / "train.csv").rename(tabular / "labelled.csv")
    (tabular / "test.csv").rename(tabular / "unlabelled.csv")
    tables = find_tables(tabular)
    assert tables is not None
    assert (tables.train.name, tables.test.name, tables.id_column, tables.targets) == \
        ("labelled.csv", "unlabelled.csv", "row_id", ["label"])


def test_schema_sorts_columns_by_kind_and_gives_the_exact_submission_format(tabular: Path) -> None:
    text = data_schema(tabular, "/home/data", "/home/submission/submission.csv", "roc_auc")
    lines = {line.split(":")[0]: line for line in text.splitlines()}
    assert "`row_id`" in lines["- Id column"]
    assert "2 classes: 0, 1" in lines["- Target column"] and "regressor" not in lines["- Target column"]
    assert '["size"] (size: 8 missing)' in lines["- Numeric feature columns"]
    assert '["colour"] (colour: 3 values, 10 missing)' in text
    assert '["remark"]' in lines["- Free-text or identifier-like string columns (leave them out of the features)"]
    assert "header exactly `row_id,label`" in text and "`r0,0`" in text
    assert "predict_proba" in text  # roc_auc scores probabilities


def test_a_numeric_target_asks_for_a_regressor(tabular: Path) -> None:
    train = pd.read_csv(tabular / "train.csv")
    train["label"] = [1000.0 + 37.5 * i for i in range(len(train))]
    train.to_csv(tabular / "train.csv", index=False)
    target = next(x for x in data_schema(tabular, "/d", "/s.csv").splitlines() if x.startswith("- Target column"))
    assert "from 1000 to 2462: a regression target: fit a regressor such as `HistGradientBoostingRegressor`" in target


def _task_lines(schema: str) -> dict[str, object]:
    """What the schema's task lines assign, run as Python ({} when it has none)."""
    block = schema.split("written for this data:\n")[1] if "written for this data:" in schema else ""
    values: dict[str, object] = {}
    exec(block.replace("      ", ""), {}, values)  # noqa: S102 (the text is ours, built from the test's data)
    return values


def test_task_lines_write_the_examples_column_lines_for_this_data(tabular: Path) -> None:
    assert "written for this data" not in data_schema(tabular, "/d", "/s.csv")
    schema = data_schema(tabular, "/d", "/s.csv", task_lines=True)
    assert _task_lines(schema) == {"ID": "row_id", "TARGET": "label", "NUMERIC": ["size"], "CATEGORICAL": ["colour"]}
    assert schema.splitlines()[-1].lstrip() == 'CATEGORICAL = ["colour"]'  # last: where a small model reads


def test_task_lines_of_a_wide_table_are_the_comprehension_or_none(tmp_path: Path) -> None:
    numbered = [f"t{i:03d}" for i in range(150)]
    assert _task_lines(_wide_schema(tmp_path, numbered, task_lines=True)) == \
        {"ID": "id", "TARGET": "y", "NUMERIC": numbered, "CATEGORICAL": []}
    unnumbered = [f"{w}_{i}" for i in range(35) for w in ("a", "b")]  # too long to list, no numbered form
    assert _task_lines(_wide_schema(tmp_path, unnumbered, task_lines=True)) == {}


def test_task_lines_need_one_target_and_the_worked_example(tabular: Path) -> None:
    train = pd.read_csv(tabular / "train.csv")
    train["other"] = 1
    train.to_csv(tabular / "train.csv", index=False)
    pd.DataFrame({"row_id": train.row_id.head(10), "label": 0, "other": 1}).to_csv(
        tabular / "sample_submission.csv", index=False)
    assert "written for this data" not in data_schema(tabular, "/d", "/s.csv", task_lines=True)
    assert AidSwitches(worked_example=True, task_lines=True).shows_task_lines
    assert not AidSwitches(data_schema=True, task_lines=True).shows_task_lines


def _wide_schema(tmp_path: Path, names: list[str], task_lines: bool = False) -> str:
    wide = pd.DataFrame({"id": range(5), "y": [0, 1, 0, 1, 0], **{n: [0.5] * 5 for n in names}})
    wide.to_csv(tmp_path / "train.csv", index=False)
    wide.drop(columns="y").to_csv(tmp_path / "test.csv", index=False)
    wide[["id", "y"]].to_csv(tmp_path / "sample_submission.csv", index=False)
    return data_schema(tmp_path, "/d", "/s.csv", task_lines=task_lines)


@pytest.mark.parametrize("names", [[f"t{i:03d}" for i in range(100)], [f"f{i}" for i in range(1, 121)],
                                   [f"px_{i:04d}" for i in range(20, 95)]])
def test_a_long_numbered_column_list_is_the_comprehension_that_builds_it(tmp_path: Path, names: list[str]) -> None:
    text = _wide_schema(tmp_path, names)
    line = next(x for x in text.splitlines() if x.startswith("- Numeric feature columns"))
    expression = line.split("in Python: `")[1].split("`")[0]
    assert eval(expression) == names  # noqa: S307 (the text is ours, built from the test's names)
    assert f"{len(names)} columns, `{names[0]}` to `{names[-1]}`" in line and "..." not in line
    assert "- Categorical feature columns: none (an empty list `[]`)." in text


@pytest.mark.parametrize("names", [[f"t{i}" for i in range(100) if i != 50],  # a gap
                                   [f"c{i:02d}" if i % 2 else f"c{i}" for i in range(100)],  # mixed padding
                                   [f"{w}_{i}" for i in range(35) for w in ("a", "b")]])
def test_a_long_unnumbered_column_list_is_summarised_with_how_to_select_it(tmp_path: Path, names: list[str]) -> None:
    text = _wide_schema(tmp_path, names)
    line = next(x for x in text.splitlines() if x.startswith("- Numeric feature columns"))
    assert f"{len(names)} columns, from `{names[0]}`, `{names[1]}` to `{names[-1]}`" in line
    assert "select_dtypes" in line and "in Python" not in line and "..." not in line


def test_schema_is_empty_for_a_layout_it_does_not_know(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "labels.csv").write_text("file,label\na.png,1\n")
    assert data_schema(tmp_path, "/home/data", "/s.csv") == ""


@pytest.mark.parametrize(("metric", "word"), [("accuracy", "labels"), ("roc_auc", "probabilities"),
                                              ("log_loss", "probabilities"), ("rmsle", "root_mean_squared_log_error"),
                                              ("rmse", "regressor"), ("mystery", "")])
def test_metric_advice_follows_the_metric_family(metric: str, word: str) -> None:
    advice = metric_advice(metric)
    assert (word in advice) if word else advice == ""


def test_worked_example_runs_and_writes_the_submission_format_it_teaches(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    rows = 60
    frame = pd.DataFrame({"egg_id": range(rows), "weight_g": [40 + i % 30 for i in range(rows)],
                          "shell_mm": [0.3 + i / 100 for i in range(rows)],
                          "days_warmed": [None if i % 7 == 0 else i for i in range(rows)],
                          "feed": ["grain", "mash", None][0:3] * 20, "coop": ["n", "s", "e", "w"] * 15,
                          "notes": ["x"] * rows, "hatched": [i % 2 for i in range(rows)]})
    frame.to_csv(data / "train.csv", index=False)
    frame.drop(columns="hatched").to_csv(data / "test.csv", index=False)
    script = tmp_path / "solution.py"
    script.write_text(worked_example(str(data), str(tmp_path / "submission.csv")))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Validation score:" in done.stdout
    submission = pd.read_csv(tmp_path / "submission.csv")
    assert list(submission.columns) == ["egg_id", "hatched"] and len(submission) == rows


def test_the_worked_example_imports_everything_before_its_first_statement() -> None:
    """A small model copying the example writes every import first; an import block further down then
    matched its own earlier lines and it copied the header again until its token cap (CodeAct, issue 17)."""
    body = ast.parse(worked_example("/d", "/s.csv")).body
    imports = [isinstance(node, ast.Import | ast.ImportFrom) for node in body]
    assert imports[:imports.count(True)] == [True] * imports.count(True)
    assert "import" not in worked_example("/d", "/s.csv").split("# ---- the facts")[1]


@pytest.mark.parametrize(("exception", "source"), [
    ("KeyError: 'churned'", "`churned` is written at line 2: `ID, TARGET = \"id\", \"churned\"`: fix that line."),
    ("KeyError: \"[Ellipsis, 'gun', 'pointing'] not in index\"",
     "`gun` is written at line 3: `CATEGORICAL = [\"gun\", \"pointing\"]`: fix that line."),
    ("KeyError: 'Fare'", ""),  # written nowhere else: nothing to point at
    ("ValueError: 'churned' is not valid", ""),
])
def test_error_focus_points_a_key_error_at_the_line_that_writes_the_missing_key(exception: str, source: str) -> None:
    code = ('import pandas as pd\nID, TARGET = "id", "churned"\nCATEGORICAL = ["gun", "pointing"]\n'
            'train = pd.read_csv("train.csv")\ny = train[TARGET]\n')
    output = f'Traceback (most recent call last):\n  File "/home/code/s.py", line 5, in <module>\n{exception}\n'
    focus = error_focus(code, output, "s.py")
    assert focus.startswith("The script stopped at line 5: `y = train[TARGET]`")
    assert focus.endswith(source) and ("fix that line" in focus) is bool(source)


@pytest.mark.parametrize(("exception", "failing"), [
    ("KeyError: \"['label'] not in index\"", "X_test = test[NUMERIC + CATEGORICAL]"),
    ("ValueError: Some column names are not columns of the dataframe: {'label', 'id'}", "model.fit(X, y)"),
    ("ValueError: columns are missing: {'label', 'id'}", "model.predict(X_test)"),
])
def test_a_missing_key_written_on_two_lines_points_at_the_column_list(exception: str, failing: str) -> None:
    """CodeAct put the target in CATEGORICAL and was sent to the `ID, TARGET` line, which it then kept."""
    code = ('ID, TARGET = "id", "label"\nNUMERIC = ["t000", "t001"]\nCATEGORICAL = ["id", "label"]\n'
            f"X = train[NUMERIC]\n{failing}\n")
    output = f'Traceback (most recent call last):\n  File "/home/code/s.py", line 5, in <module>\n{exception}\n'
    assert error_focus(code, output, "s.py").endswith(
        '`label` is written at line 3: `CATEGORICAL = ["id", "label"]`: fix that line.')


def test_error_focus_names_the_closest_real_column_to_a_missing_one(tabular: Path) -> None:
    columns = data_columns(tabular)
    assert columns == ["row_id", "size", "colour", "remark", "label"]
    output = 'Traceback (most recent call last):\n  File "/home/code/s.py", line 1, in <module>\nKeyError: \'{}\'\n'
    assert error_focus("y = train['Colours']\n", output.format("Colours"), "s.py", columns).endswith(
        "The data has no column `Colours`; the closest is `colour`.")
    assert "closest" not in error_focus("y = train['zzz']\n", output.format("zzz"), "s.py", columns)
    assert "closest" not in error_focus("y = train['size']\n", output.format("size"), "s.py", columns)
    assert data_columns(tabular / "nowhere") == [] and data_columns(None) == []


def test_a_key_error_on_the_examples_columns_shows_this_datas_task_lines(tabular: Path) -> None:
    """A model that kept the worked example's names gets every line to replace at once, not the closest
    column to one name per turn (CodeAct renamed the example's fee column alone, then failed on its age)."""
    code = worked_example("/d", "/s.csv")
    output = ('Traceback (most recent call last):\n  File "/home/s.py", line 31, in <module>\n'
              'KeyError: "[\'shell_mm\', \'feed\'] not in index"\n')
    block = _host_aids(tabular, AidSwitches(worked_example=True, task_lines=True)).task_lines
    assert block and block == data_schema(tabular, "/d", "/s.csv", task_lines=True).split("this data:\n")[1]
    focus = error_focus(code, output, "s.py", ["shell_size", "feed_type"], block)
    assert "`shell_mm`, `feed` are columns of the worked example's made-up data" in focus
    assert focus.endswith(block) and "closest" not in focus
    assert "The data has no column `shell_mm`; the closest is `shell_size`." in \
        error_focus(code, output, "s.py", ["shell_size"])  # with the aid off, as before
    other = output.replace("shell_mm', 'feed", "Fare")  # not the example's names: nothing added
    assert "made-up" not in error_focus(code, other, "s.py", (), block)


def _host_aids(data: Path, aid: AidSwitches) -> DataAids:
    sandbox = SimpleNamespace(host_paths=SimpleNamespace(data=data))
    return host_data_aids(sandbox, aid, "/d", "/s.csv", "accuracy")


def test_host_data_aids_reads_what_the_switches_show(tabular: Path) -> None:
    """One read of the public data gives the prompt's schema and the error focus's task lines, each only
    when its switch is on; data that is missing or not tabular gives neither, rather than failing the run."""
    both = _host_aids(tabular, AidSwitches(data_schema=True, worked_example=True, task_lines=True))
    assert both.schema == data_schema(tabular, "/d", "/s.csv", "accuracy", task_lines=True)
    assert both.task_lines and both.schema.endswith(both.task_lines)
    lines_only = _host_aids(tabular, AidSwitches(worked_example=True, task_lines=True))
    assert lines_only == DataAids(task_lines=both.task_lines)
    schema_only = _host_aids(tabular, AidSwitches(data_schema=True))
    assert schema_only == DataAids(schema=data_schema(tabular, "/d", "/s.csv", "accuracy"))
    assert "<- task" not in schema_only.schema
    assert _host_aids(tabular, AidSwitches()) == DataAids()
    on = AidSwitches(data_schema=True, worked_example=True, task_lines=True)
    assert _host_aids(tabular / "nowhere", on) == DataAids()
    assert host_data_aids(object(), on, "/d", "/s.csv", "") == DataAids()  # a sandbox with no host paths
    (tabular / "sample_submission.csv").unlink()
    assert _host_aids(tabular, on) == DataAids()


def test_example_columns_are_the_example_schemas_columns() -> None:
    schema = example_schema("/d", "/s.csv")
    assert all(f'"{name}"' in schema or f"`{name}`" in schema for name in EXAMPLE_COLUMNS)
    values: dict[str, object] = {}
    facts = worked_example("/d", "/s.csv").split("# ---- the facts")[1].split("\n\n")[0]
    exec("\n".join(facts.splitlines()[1:]), {}, values)  # noqa: S102 (our own example's lines)
    assert {values["ID"], values["TARGET"], *values["NUMERIC"], *values["CATEGORICAL"]} <= set(EXAMPLE_COLUMNS)


def test_error_focus_names_the_failing_line_of_the_script_and_the_exception() -> None:
    code = "import pandas as pd\ndf = pd.read_csv('x.csv')\nmodel.fit(df)\n"
    output = ('Traceback (most recent call last):\n'
              '  File "/home/code/node_0001_ab.py", line 3, in <module>\n'
              '  File "/usr/lib/python3/site-packages/sklearn/base.py", line 900, in fit\n'
              "ValueError: could not convert string to float: 'male'\n")
    focus = error_focus(code, output, "node_0001_ab.py")
    assert "line 3: `model.fit(df)`" in focus
    assert "ValueError: could not convert string to float: 'male'" in focus
    assert error_focus(code, "all fine\n", "node_0001_ab.py") == ""


def test_error_focus_reads_a_jupyter_cells_frames() -> None:
    cell = "import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf['b'].mean()\n"
    output = ("---------------------------------------------------------------------------\n"
              "KeyError                                  Traceback (most recent call last)\n"
              "File /usr/lib/python3/site-packages/pandas/core/indexes/base.py:3805, in Index.get_loc(self, key)\n"
              "Cell In[4], line 3\n      1 import pandas as pd\n----> 3 df['b'].mean()\n"
              "File /usr/lib/python3/site-packages/pandas/core/frame.py:4102, in DataFrame.__getitem__(self, key)\n"
              "KeyError: 'b'\n")
    focus = error_focus(cell, output, CELL)
    assert "line 3: `df['b'].mean()`" in focus and "with KeyError: 'b'\nUsual cause: a column" in focus


def test_failing_script_is_the_last_frame_in_the_workspace() -> None:
    output = ("$ python code/train.py\nTraceback (most recent call last):\n"
              '  File "/home/code/train.py", line 9, in <module>\n'
              '  File "/home/code/features.py", line 4, in build\n'
              '  File "/opt/venv/lib/python3.11/site-packages/pandas/frame.py", line 80, in __getitem__\n'
              "KeyError: 'Age'\n")
    assert failing_script(output, "/home") == "/home/code/features.py"
    assert failing_script(output, "/workspace/") is None
    assert failing_script("no traceback here", "/home") is None
    assert failing_script(output.replace("/home/code/features.py", "/home/../etc/x.py"), "/home") == "/home/code/train.py"


def test_the_example_schema_names_what_the_example_script_uses() -> None:
    """The worked example is a pair: a made-up schema, and the script written from it. They must agree,
    or the model learns to ignore the schema."""
    schema = example_schema("/d", "/s.csv")
    script = worked_example("/d", "/s.csv")
    for line in ('NUMERIC = ["weight_g", "shell_mm", "days_warmed"]', 'CATEGORICAL = ["feed", "coop"]',
                 'ID, TARGET = "egg_id", "hatched"'):
        assert line in script
    assert 'Numeric feature columns: ["weight_g", "shell_mm", "days_warmed"]' in schema
    assert 'Categorical feature columns' in schema and '["feed", "coop"]' in schema
    assert '["notes"]' in schema and '"notes"' not in script.split("# ---- the solution")[0].split("CATEGORICAL")[1]
    assert "header exactly `egg_id,hatched`" in schema and "accuracy" in schema
    task_lines = example_schema("/d", "/s.csv", task_lines=True).split("written for this data:\n")[1]
    code_lines = [line.split("#")[0].rstrip() for line in script.splitlines()]
    assert all(line.strip() in code_lines for line in task_lines.splitlines())  # the same lines, as written


@pytest.mark.parametrize(("exception", "words"), [
    ("NameError: name 'pd' is not defined", "import pandas as pd"),
    ("ValueError: could not convert string to float: 'male'", "categorical"),
    ("ValueError: Input X contains NaN.", "impute"),
    ("ValueError: Some column names are not columns of the dataframe: {'label', 'id'}", "never the id or the target"),
    ("ValueError: columns are missing: {'label', 'id'}", "fit and predict on the same feature columns"),
    ("ValueError: Input contains infinity or a value too large for dtype('float64').", "never to `y` itself"),
    ("KeyError: 'Agee'", "exact column names"),
    ("KeyboardInterrupt", "use a regressor"),
    ("ValueError: Classification metrics can't handle a mix of multiclass and continuous targets",
     "for a regression target"),
    ("TypeError: got an unexpected keyword argument 'squared'", "root_mean_squared_error"),
    ("TypeError: 'NoneType' object is not callable", "wrong type"),
    ("pandas.errors.ParserError: bad line", ""),
])
def test_exception_hints_follow_the_exception_type_and_message(exception: str, words: str) -> None:
    hint = exception_hint(exception)
    assert (words in hint) if words else hint == ""


def test_a_fragment_is_under_half_the_lines_of_the_script_it_replaces() -> None:
    script = "\n".join(f"line_{i} = {i}" for i in range(20))
    assert is_fragment("import pandas as pd\n", script)
    assert not is_fragment(script.replace("line_3 = 3", "line_3 = 4"), script)
    assert not is_fragment("\n".join(script.splitlines()[:12]), script)
    assert is_fragment("a = 1\n\n\n\n\n\n\n\n\n\n\n\nb = 2\n", script)  # blank lines do not count
