"""Synthetic raw files of random-acts-of-pizza: train.json (all fields, label), test.json
(request-time fields only) and sampleSubmission.csv."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes

AT_REQUEST = ["giver_username_if_known", "request_id", "request_text_edit_aware", "request_title",
              "requester_account_age_in_days_at_request", "requester_number_of_comments_at_request",
              "requester_subreddits_at_request", "requester_upvotes_minus_downvotes_at_request",
              "requester_username", "unix_timestamp_of_request", "unix_timestamp_of_request_utc"]


def _request(rng: np.random.Generator, i: int) -> dict:
    return {"giver_username_if_known": "N/A", "number_of_upvotes_of_request_at_retrieval": int(rng.integers(0, 20)),
            "post_was_edited": bool(rng.random() < 0.2), "request_id": f"t3_{i:x}{rng.integers(100, 999)}",
            "request_text": "I'm broke \u2014 please \"help\" " + str(i), "request_text_edit_aware": f"please help {i}",
            "request_title": f"[Request] pizza #{i}", "requester_account_age_in_days_at_request": float(rng.uniform(0, 900)),
            "requester_number_of_comments_at_request": int(rng.integers(0, 500)),
            "requester_received_pizza": bool(rng.random() < 0.3),
            "requester_subreddits_at_request": list(rng.choice(["AskReddit", "pics", "funny"], int(rng.integers(0, 3)))),
            "requester_upvotes_minus_downvotes_at_request": int(rng.integers(-5, 900)),
            "requester_user_flair": None, "requester_username": f"user{i}",
            "unix_timestamp_of_request": float(1.3e9 + i * 3600), "unix_timestamp_of_request_utc": float(1.3e9 + i * 3600)}


def build(n: int = 60, n_test: int = 15) -> dict[str, bytes]:
    rng = np.random.default_rng(27)
    train = [_request(rng, i) for i in range(n)]
    test = [{k: r[k] for k in AT_REQUEST} for r in (_request(rng, 1000 + i) for i in range(n_test))]
    sample = pd.DataFrame({"request_id": [r["request_id"] for r in test], "requester_received_pizza": 0})
    return {"train.json": json.dumps(train, indent=4).encode(), "test.json": json.dumps(test, indent=4).encode(),
            "sampleSubmission.csv": csv_bytes(sample)}
