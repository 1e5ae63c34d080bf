"""random-acts-of-pizza: MLE-bench's split of the labelled requests.

The requests of `train.json` are split with Kaggle's test share (|test.json| / (|train.json| +
|test.json|)), random_state 0. Public: `train.json` and `test.json` (the held-out requests with only
the fields of Kaggle's `test.json`, i.e. without outcome and "at retrieval" fields), each also as a
zip, written as MLE-bench writes them (`json.dump`, indent 4); `sampleSubmission.csv` (all 0).
Private: `test.csv`, `request_id` and the outcome as 0/1.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from bench.preparers import read_raw_bytes, split


def prepare(raw: Path, public: Path, private: Path) -> None:
    requests = json.loads(read_raw_bytes(raw, "train.json"))
    kaggle_test = json.loads(read_raw_bytes(raw, "test.json"))
    test_fields = list(kaggle_test[0].keys())
    train, test = split(requests, test_size=len(kaggle_test) / (len(requests) + len(kaggle_test)), random_state=0)
    unlabelled = [{key: request[key] for key in test_fields} for request in test]
    for name, records in (("train", train), ("test", unlabelled)):
        with open(public / f"{name}.json", "w") as out:
            json.dump(records, out, indent=4)
        shutil.make_archive(str(public / name), "zip", public, f"{name}.json")
    answers = pd.DataFrame({"request_id": [r["request_id"] for r in test],
                            "requester_received_pizza": [int(r["requester_received_pizza"]) for r in test]})
    answers.to_csv(private / "test.csv", index=False)
    answers.assign(requester_received_pizza=0).to_csv(public / "sampleSubmission.csv", index=False)
