"""A scripted 'model' for AIDE tests: code replies chosen per step, reviews read from the real output.

The code rule reads the data dir and submission path from the prompt (as a model would), so the
scripts work under any sandbox backend. The reviewer rule parses `Validation accuracy: X` from the
execution output in the review prompt, like a careful reviewer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from scaffolds.core.llm.testing import Reply

_HEAD = '''\
import pandas as pd
from pathlib import Path

DATA = Path(__DATA__)
SUBMISSION = Path(__SUB__)
train = pd.read_csv(DATA / "train.csv")
test = pd.read_csv(DATA / "test.csv")


def features(df, fill):
    out = pd.DataFrame(index=df.index)
    out["pclass"] = df["Pclass"]
    out["female"] = (df["Sex"] == "female").astype(int)
    out["age"] = df["Age"].fillna(fill["Age"])
    out["age_missing"] = df["Age"].isna().astype(int)
    out["sibsp"] = df["SibSp"]
    out["parch"] = df["Parch"]
    out["fare"] = df["Fare"].fillna(fill["Fare"])
    for port in "CQS":
        out["port_" + port] = (df["Embarked"] == port).astype(int)
    title = df["Name"].str.extract(r",\\s*([^\\.]+)\\.")[0]
    for name in ("Mr", "Mrs", "Miss", "Master"):
        out["title_" + name] = (title == name).astype(int)
    return out


fill = train[["Age", "Fare"]].median()
X, y = features(train, fill), train["Survived"]
'''

SOLUTIONS: dict[str, str] = {
    # what a small model sends when asked to fix one line: that line alone
    "fragment": "import pandas as pd\n",
    # women survive: weak but valid
    "sex_rule": _HEAD + '''
acc = ((train["Sex"] == "female").astype(int) == y).mean()
print(f"Validation accuracy: {acc:.4f}")
prediction = (test["Sex"] == "female").astype(int)
pd.DataFrame({"PassengerId": test["PassengerId"], "Survived": prediction}).to_csv(SUBMISSION, index=False)
''',
    # a random forest with passenger titles: medal level on the offline reference ladder
    "forest": _HEAD + '''
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score

model = RandomForestClassifier(n_estimators=300, max_depth=6, random_state=0, n_jobs=1)
print(f"Validation accuracy: {cross_val_score(model, X, y, cv=5).mean():.4f}")
model.fit(X, y)
prediction = model.predict(features(test, fill))
pd.DataFrame({"PassengerId": test["PassengerId"], "Survived": prediction}).to_csv(SUBMISSION, index=False)
''',
    # the women rule with its imports dropped, as a small model does when it rewrites a script
    "sex_rule_no_import": (_HEAD + '''
acc = ((train["Sex"] == "female").astype(int) == y).mean()
print(f"Validation accuracy: {acc:.4f}")
prediction = (test["Sex"] == "female").astype(int)
pd.DataFrame({"PassengerId": test["PassengerId"], "Survived": prediction}).to_csv(SUBMISSION, index=False)
''').replace("import pandas as pd\n", "").replace("from pathlib import Path\n", ""),
    # ...and with a class imported from the wrong module
    "sex_rule_wrong_import": "from sklearn.preprocessing import ColumnTransformer\n" + _HEAD + '''
acc = ((train["Sex"] == "female").astype(int) == y).mean()
print(f"Validation accuracy: {acc:.4f}")
prediction = (test["Sex"] == "female").astype(int)
pd.DataFrame({"PassengerId": test["PassengerId"], "Survived": prediction}).to_csv(SUBMISSION, index=False)
''',
    # answers to the import questions (aids.import_check); a line that binds no name asked for is dropped
    "pandas_import": "import pandas as pd\nimport nosuchname_at_all\n",
    "path_import": "from pathlib import Path\n",
    "compose_import": "from sklearn.compose import ColumnTransformer\n",
    "crash": _HEAD + '''
print(train["Agee"].mean())
''',
    "no_submission": _HEAD + '''
print("Validation accuracy: 0.9000")
''',
    "slow": _HEAD + '''
import time
print("starting a long fit", flush=True)
time.sleep(120)
''',
    # a valid submission, and two numbers a careless parser could take for the metric
    "two_scores": _HEAD + '''
print("Validation RMSE: 0.51")
print("Train score: 0.99")
pd.DataFrame({"PassengerId": test["PassengerId"], "Survived": 0}).to_csv(SUBMISSION, index=False)
''',
    # asks for far more memory than the sandbox allows
    "oom": _HEAD + '''
block = bytearray(1024 ** 3)
print(len(block))
''',
    "bad_format": _HEAD + '''
print("Validation accuracy: 0.7800")
pd.DataFrame({"id": test["PassengerId"], "label": 1}).to_csv(SUBMISSION, index=False)
''',
}

_DATA_RE = re.compile(r"data is in `([^`]+)`")
_SUB_RE = re.compile(r"save the predictions for the test set to `([^`]+)`")
_ACC_RE = re.compile(r"Validation accuracy: ([0-9.]+)")


def _prompt_text(body: dict[str, Any]) -> str:
    return "\n".join(str(m.get("content") or "") for m in body.get("messages", []))


def code_reply(kind: str, body: dict[str, Any]) -> Reply:
    text = _prompt_text(body)
    data, sub = _DATA_RE.search(text).group(1), _SUB_RE.search(text).group(1)
    code = SOLUTIONS[kind].replace("__DATA__", repr(data)).replace("__SUB__", repr(sub))
    return Reply.text(f"Plan: {kind.replace('_', ' ')}.\n\n```python\n{code}\n```", prompt_tokens=900,
                      completion_tokens=300)


def review_reply(body: dict[str, Any], lower_is_better: bool = False) -> Reply:
    text = _prompt_text(body)
    output = text.split("# Execution output", 1)[-1]
    found = _ACC_RE.findall(output)
    failed = "Traceback" in output or "TimeoutError" in output or not found
    args = {"is_bug": failed, "summary": "failed run" if failed else "the script ran and printed a score",
            "metric": None if failed else float(found[-1]), "lower_is_better": lower_is_better,
            "has_csv_submission": "NO submission" not in output}
    return Reply.tool("submit_review", args, prompt_tokens=700, completion_tokens=60)


def is_review(body: dict[str, Any]) -> bool:
    messages = body.get("messages") or [{}]
    return bool(body.get("tools")) or "submit_review" in str(messages[0].get("content") or "")


def aide_rule(plan: list[str], *, flip_at: set[int] = frozenset()) -> Callable[[dict[str, Any]], Reply]:
    """Code replies follow `plan` (the last kind repeats); reviews at review indices in `flip_at`
    claim lower_is_better=True."""
    state = {"code": 0, "review": 0}

    def rule(body: dict[str, Any]) -> Reply:
        if is_review(body):
            index = state["review"]
            state["review"] += 1
            return review_reply(body, lower_is_better=index in flip_at)
        kind = plan[min(state["code"], len(plan) - 1)]
        state["code"] += 1
        return code_reply(kind, body)

    return rule
