"""alaska2-image-steganalysis: MLE-bench's split of the cover images.

The cover images (`Cover/*.jpg`, sorted by name) are split with a test set of exactly 5,000
(random_state 42). Train covers are renumbered `00001.jpg`, `00002.jpg`, ... in split order and
published with their three stego versions (`JMiPOD/`, `JUNIWARD/`, `UERD/`, same new name). The
test covers are shuffled (Python's `random`, seed 0) and each in turn becomes `Test/0001.jpg`, ...:
a fair coin (`random.choice([True, False])`) keeps the cover (label 0), otherwise one of the three
algorithms is drawn and its stego version is published (label 1). Public also gets
`sample_submission.csv` (`Id,Label`, every label 0); private `test.csv` (`Id,Label`).
"""

from __future__ import annotations

import logging
import random
from pathlib import Path

import pandas as pd

from bench.preparers import FileSource, split

logger = logging.getLogger(__name__)

TEST_SIZE = 5000
ALGORITHMS = ("JMiPOD", "JUNIWARD", "UERD")


def prepare(raw: Path, public: Path, private: Path) -> None:
    sources = {name: FileSource(raw, name, suffix=".jpg") for name in ("Cover", *ALGORITHMS)}
    try:
        covers = sources["Cover"].names()
        train, test = split(covers, test_size=TEST_SIZE, random_state=42)
        for folder in ("Cover", "Test", *ALGORITHMS):
            (public / folder).mkdir()
        for number, name in enumerate(train, start=1):
            for folder, source in sources.items():
                (public / folder / f"{number:05d}.jpg").write_bytes(source.read(name))
            if number % 10000 == 0:
                logger.info("alaska2: %d of %d training covers copied with their stego versions", number, len(train))
        rows = _publish_test(test, sources, public / "Test")
    finally:
        for source in sources.values():
            source.close()
    answers = pd.DataFrame(rows, columns=["Id", "Label"])
    answers.to_csv(private / "test.csv", index=False)
    answers.assign(Label=0).to_csv(public / "sample_submission.csv", index=False)


def _publish_test(test: list[str], sources: dict[str, FileSource], dest: Path) -> list[tuple[str, int]]:
    """The test images in MLE-bench's order and draws; (Id, Label) per image."""
    draws = random.Random(0)
    test = list(test)
    draws.shuffle(test)
    rows = []
    for number, name in enumerate(test, start=1):
        image_id = f"{number:04d}.jpg"
        if draws.choice([True, False]):
            (dest / image_id).write_bytes(sources["Cover"].read(name))
            rows.append((image_id, 0))
        else:
            (dest / image_id).write_bytes(sources[draws.choice(ALGORITHMS)].read(name))
            rows.append((image_id, 1))
    return rows
