"""Synthetic raw files of learning-agency-lab-automated-essay-scoring-2: train.csv (essay_id,
full_text with blank-line paragraphs, score 1-6), test.csv and sample_submission.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes


def build(n: int = 60) -> dict[str, bytes]:
    rng = np.random.default_rng(17)
    ids = [f"{v:07x}" for v in rng.choice(16**7, n, replace=False)]
    texts = [f"Phones in class, essay {i}.\n\nThey distract students, \"mostly\".\n\nIn conclusion, no." for i in range(n)]
    train = pd.DataFrame({"essay_id": ids, "full_text": texts, "score": rng.integers(1, 7, n)})
    test = pd.DataFrame({"essay_id": ["000d118", "000fe60", "001ab80"], "full_text": ["An essay."] * 3})
    sample = pd.DataFrame({"essay_id": test["essay_id"], "score": [3, 3, 4]})
    return {"train.csv": csv_bytes(train), "test.csv": csv_bytes(test), "sample_submission.csv": csv_bytes(sample)}
