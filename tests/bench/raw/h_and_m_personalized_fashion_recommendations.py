"""Synthetic raw files of h-and-m-personalized-fashion-recommendations in Kaggle's layout:
transactions_train.csv (a month of purchases), articles.csv, customers.csv, sample_submission.csv
(every customer, Kaggle's fixed 12 articles) and images/<first 3 digits>/<article_id>.jpg.
Article ids are 10 digits with a leading zero, as Kaggle's."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes, jpg_bytes


def build() -> dict[str, bytes]:
    rng = np.random.default_rng(70)
    articles = [f"0{rng.integers(108_000_000, 960_000_000)}" for _ in range(25)]
    customers = [f"{rng.integers(0, 2**63):016x}" * 4 for _ in range(20)]
    n = 160
    days = pd.Timestamp("2020-08-22") + pd.to_timedelta(rng.integers(0, 31, n), unit="D")
    transactions = pd.DataFrame({
        "t_dat": days.strftime("%Y-%m-%d"), "customer_id": rng.choice(customers[:16], n),
        "article_id": rng.choice(articles, n), "price": np.round(rng.random(n) * 0.1, 6) + 1e-7 * rng.random(n),
        "sales_channel_id": rng.choice([1, 2], n)}).sort_values("t_dat", kind="stable")
    article_table = pd.DataFrame({"article_id": articles, "product_code": [a[:7] for a in articles],
                                  "prod_name": [f"Item {i}" for i in range(len(articles))],
                                  "product_type_name": rng.choice(["Trousers", "Sweater", "Dress"], len(articles)),
                                  "colour_group_name": rng.choice(["Black", "White", "Blue"], len(articles)),
                                  "detail_desc": ["A garment."] * len(articles)})
    customer_table = pd.DataFrame({"customer_id": customers, "FN": [1.0 if i % 3 else None for i in range(20)],
                                   "Active": [1.0 if i % 2 else None for i in range(20)],
                                   "club_member_status": "ACTIVE", "fashion_news_frequency": "NONE",
                                   "age": rng.integers(18, 70, 20), "postal_code": [f"{c[:20]}" for c in customers]})
    sample = pd.DataFrame({"customer_id": customers, "prediction": " ".join(articles[:12])})
    files = {"transactions_train.csv": csv_bytes(transactions), "articles.csv": csv_bytes(article_table),
             "customers.csv": csv_bytes(customer_table), "sample_submission.csv": csv_bytes(sample)}
    files.update({f"images/{a[:3]}/{a}.jpg": jpg_bytes(rng, (4, 4)) for a in articles[:-3]})  # some have no image
    return files


def _all_customers(answers: str, sample: str, spec: dict) -> str:
    """The sample's customers (all of them), predictions from the answers where known."""
    known = dict(zip(*[submission(answers, spec)[c] for c in ("customer_id", "prediction")]))
    frame = submission(sample, spec)
    frame["prediction"] = [known.get(c, "108775015") for c in frame["customer_id"]]
    return text_of(frame)


def _leading_zeros(answers: str, sample: str, spec: dict) -> str:
    """The right articles written as in articles.csv (10 digits, leading zero): no match."""
    frame = submission(answers, spec)
    frame["prediction"] = [" ".join(f"{int(a):010d}" for a in p.split(" ")) for p in frame["prediction"]]
    return text_of(frame)


def _double_spaces(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    frame["prediction"] = [p.replace(" ", "  ") for p in frame["prediction"]]
    return text_of(frame)


CASES = {"all_customers": _all_customers, "leading_zeros": _leading_zeros, "double_spaces": _double_spaces}
