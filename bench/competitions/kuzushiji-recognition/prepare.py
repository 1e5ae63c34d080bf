"""kuzushiji-recognition: MLE-bench's split of the labelled pages.

`train.csv` is split with test_size 0.1, random_state 0. Public: `train.csv`, `train_images.zip`
and `test_images.zip` (`<image_id>.jpg` at the top, from raw `train_images.zip`),
`unicode_translation.csv` (copied), and the sample (every page the same two guesses). Private:
`test.csv` (the test pages with their boxes) and `gold_submission.csv`, which turns every box
`label X Y W H` into the point `label X+1 Y+1` (inside the box), so it scores 1.
"""

from __future__ import annotations

from pathlib import Path

from bench.copying import zip_each
from bench.preparers import FileSource, read_raw_bytes, read_table, split

SAMPLE_GUESS = "U+003F 1 1 U+FF2F 2 2"


def _inside_points(boxes: str) -> str:
    tokens = boxes.split()
    if len(tokens) % 5 != 0:
        raise ValueError(f"a labels cell of train.csv is not 'label X Y W H' groups: {boxes[:80]}")
    return " ".join(f"{c} {int(x) + 1} {int(y) + 1}" for c, x, y in zip(tokens[0::5], tokens[1::5], tokens[2::5]))


def prepare(raw: Path, public: Path, private: Path) -> None:
    pages = read_table(raw, "train.csv")
    train, test = split(pages, test_size=0.1, random_state=0)
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    with FileSource(raw, "train_images", ".jpg") as images:
        for part, name in ((train, "train_images"), (test, "test_images")):
            zip_each(images.read, ((f"{i}.jpg", f"{i}.jpg") for i in part["image_id"]), public / f"{name}.zip", name)
    (public / "unicode_translation.csv").write_bytes(read_raw_bytes(raw, "unicode_translation.csv"))
    test.assign(labels=SAMPLE_GUESS).to_csv(public / "sample_submission.csv", index=False)
    test.assign(labels=[_inside_points(b) for b in test["labels"]]).to_csv(private / "gold_submission.csv", index=False)
