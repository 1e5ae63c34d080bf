"""plant-seedlings-classification: MLE-bench's split of the labelled seedling images.

The images of raw `train/<species>/<file>.png` are listed (species folders sorted, files sorted) and
split with test_size 0.14 (random_state 0). Public `train/<species>/` keeps the train part, public
`test/` the held-out images (no species folder); the sample submission says `Sugar beet` for all.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.preparers import RawTree, split


def prepare(raw: Path, public: Path, private: Path) -> None:
    with RawTree(raw, "train") as images:
        rows = [{"file": name, "species": species}
                for species in images.children("")[0] for name in images.children(species)[1] if name.endswith(".png")]
        train, test = split(pd.DataFrame(rows), test_size=0.14, random_state=0)
        test.to_csv(private / "answers.csv", index=False)
        test.assign(species="Sugar beet").to_csv(public / "sample_submission.csv", index=False)
        (public / "test").mkdir()
        for species, name in zip(train["species"], train["file"]):
            images.copy(f"{species}/{name}", public / "train" / species / name)
        for species, name in zip(test["species"], test["file"]):
            images.copy(f"{species}/{name}", public / "test" / name)
