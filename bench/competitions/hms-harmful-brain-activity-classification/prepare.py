"""hms-harmful-brain-activity-classification: MLE-bench's 90/10 split by spectrogram.

The distinct `spectrogram_id`s of `train.csv` (in order of appearance) are split with
`train_test_split(test_size=0.1, random_state=0)` (a spectrogram spans several EEGs, an EEG several
labelled windows, so nothing leaks). Public: `train.csv`, `test.csv` (`spectrogram_id,eeg_id,
patient_id`), `sample_submission.csv` (`eeg_id` and the six vote columns at 1/6 each),
`example_figures/`, and the EEG and spectrogram parquet files of each part in
`{train,test}_eegs/` and `{train,test}_spectrograms/`, copied one at a time. Private: `test.csv`
(every column, votes as counts) and `gold_submission.csv` (the votes divided by their row sum).
"""

from __future__ import annotations

import logging
from pathlib import Path

from bench.preparers import FileSource, RawTree, copy_folder, read_table, split, write_files

logger = logging.getLogger(__name__)

VOTES = ["seizure_vote", "lpd_vote", "gpd_vote", "lrda_vote", "grda_vote", "other_vote"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    table = read_table(raw, "train.csv")
    train_ids, test_ids = split(table["spectrogram_id"].unique(), 0.1, 0)
    train, test = table[table["spectrogram_id"].isin(train_ids)], table[table["spectrogram_id"].isin(test_ids)]
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test[["spectrogram_id", "eeg_id", "patient_id"]].to_csv(public / "test.csv", index=False)
    gold = test[["eeg_id", *VOTES]].copy()
    gold[VOTES] = gold[VOTES].div(gold[VOTES].sum(axis=1), axis=0)
    gold.to_csv(private / "gold_submission.csv", index=False)
    gold.assign(**{v: 1 / len(VOTES) for v in VOTES}).to_csv(public / "sample_submission.csv", index=False)
    with RawTree(raw, "example_figures") as figures:
        copy_folder(figures, "", public / "example_figures")
    for kind, column in (("eegs", "eeg_id"), ("spectrograms", "spectrogram_id")):
        with FileSource(raw, f"train_{kind}") as files:
            for part, name in ((train, "train"), (test, "test")):
                wanted = [f"{v}.parquet" for v in part[column].unique()]
                logger.info("copying %d %s into %s_%s/", len(wanted), kind, name, kind)
                write_files(files, wanted, public / f"{name}_{kind}")
