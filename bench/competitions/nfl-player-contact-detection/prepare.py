"""nfl-player-contact-detection: MLE-bench's split of the training plays, 90/10 by `game_play`.

The distinct `game_play`s of `train_labels.csv` (in order of appearance) go through
`train_test_split(test_size=0.1, random_state=0)`; every table keeps its rows of each part in raw
order. Public: `train_labels.csv`, `{train,test}_baseline_helmets.csv`,
`{train,test}_player_tracking.csv`, `{train,test}_video_metadata.csv`, the three videos of each
play (`<game_play>_{All29,Endzone,Sideline}.mp4`) in `train/` or `test/`, and
`sample_submission.csv` (`contact_id,contact` with every contact 0). Private: `test.csv` (the test
plays' label rows).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from bench.preparers import FileSource, locate, split, write_files

logger = logging.getLogger(__name__)

VIEWS = ("All29", "Endzone", "Sideline")
TABLES = ("baseline_helmets", "player_tracking", "video_metadata")


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(locate(raw, "train_labels.csv"))
    train_plays, test_plays = split(labels["game_play"].unique(), 0.1, 0)
    train, test = labels[labels["game_play"].isin(train_plays)], labels[labels["game_play"].isin(test_plays)]
    train.to_csv(public / "train_labels.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    for name in TABLES:
        table = pd.read_csv(locate(raw, f"train_{name}.csv"))
        table[table["game_play"].isin(train_plays)].to_csv(public / f"train_{name}.csv", index=False)
        table[table["game_play"].isin(test_plays)].to_csv(public / f"test_{name}.csv", index=False)
        del table  # the tracking table is large: one at a time
    with FileSource(raw, "train") as videos:
        for part, dest in ((train, "train"), (test, "test")):
            names = [f"{play}_{view}.mp4" for play in part["game_play"].unique() for view in VIEWS]
            logger.info("copying %d videos into %s/", len(names), dest)
            write_files(videos, names, public / dest)
    pd.DataFrame({"contact_id": test["contact_id"], "contact": 0}).to_csv(public / "sample_submission.csv", index=False)
