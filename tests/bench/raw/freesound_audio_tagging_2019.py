"""Synthetic raw files of freesound-audio-tagging-2019 in Kaggle's layout: train_curated.csv and
train_noisy.csv (`fname,labels`, labels comma-separated), sample_submission.csv (`fname` and the 80
classes, all 0), train_curated.zip, train_noisy.zip and test.zip of WAV clips.

Beside them, FSDKaggle2019.meta.zip: the labels the organisers released on Zenodo after the
competition (`FSDKaggle2019.meta/test_post_competition.csv`), which MLE-bench's preparer
downloads. Kaggle's archive does not hold it; it is here so that neither preparer needs the
network (ours reads it from the raw data when present; MLE-bench's download is replaced by these
bytes in `patch_mle_bench`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tests.bench.golden.cases import submission, text_of
from tests.bench.raw._files import csv_bytes, zip_bytes
from tests.bench.raw.tensorflow_speech_recognition_challenge import wav_bytes

CLASSES = ['Accelerating_and_revving_and_vroom', 'Accordion', 'Acoustic_guitar', 'Applause', 'Bark', 'Bass_drum', 'Bass_guitar', 'Bathtub_(filling_or_washing)', 'Bicycle_bell', 'Burping_and_eructation', 'Bus', 'Buzz', 'Car_passing_by', 'Cheering', 'Chewing_and_mastication', 'Child_speech_and_kid_speaking', 'Chink_and_clink', 'Chirp_and_tweet', 'Church_bell', 'Clapping', 'Computer_keyboard', 'Crackle', 'Cricket', 'Crowd', 'Cupboard_open_or_close', 'Cutlery_and_silverware', 'Dishes_and_pots_and_pans', 'Drawer_open_or_close', 'Drip', 'Electric_guitar', 'Fart', 'Female_singing', 'Female_speech_and_woman_speaking', 'Fill_(with_liquid)', 'Finger_snapping', 'Frying_(food)', 'Gasp', 'Glockenspiel', 'Gong', 'Gurgling', 'Harmonica', 'Hi-hat', 'Hiss', 'Keys_jangling', 'Knock', 'Male_singing', 'Male_speech_and_man_speaking', 'Marimba_and_xylophone', 'Mechanical_fan', 'Meow', 'Microwave_oven', 'Motorcycle', 'Printer', 'Purr', 'Race_car_and_auto_racing', 'Raindrop', 'Run', 'Scissors', 'Screaming', 'Shatter', 'Sigh', 'Sink_(filling_or_washing)', 'Skateboard', 'Slam', 'Sneeze', 'Squeak', 'Stream', 'Strum', 'Tap', 'Tick-tock', 'Toilet_flush', 'Traffic_noise_and_roadway_noise', 'Trickle_and_dribble', 'Walk_and_footsteps', 'Water_tap_and_faucet', 'Waves_and_surf', 'Whispering', 'Writing', 'Yell', 'Zipper_(clothing)']
META = "FSDKaggle2019.meta"


def _names(rng: np.random.Generator, n: int) -> list[str]:
    return [f"{rng.integers(0, 16**8):08x}.wav" for _ in range(n)]


def _tags(rng: np.random.Generator, n: int) -> list[str]:
    return [",".join(rng.choice(CLASSES, rng.integers(1, 4), replace=False)) for _ in range(n)]


def build() -> dict[str, bytes]:
    rng = np.random.default_rng(100)
    curated, noisy, private, public = _names(rng, 8), _names(rng, 8), _names(rng, 12), _names(rng, 4)
    labels = pd.DataFrame({"fname": private + public, "labels": _tags(rng, 16),
                           "usage": ["Private"] * 12 + ["Public"] * 4, "freesound_id": rng.integers(1, 10**6, 16),
                           "license": "CC-BY"}).sample(frac=1.0, random_state=1)
    sample = pd.DataFrame(0, index=range(len(private)), columns=CLASSES)
    sample.insert(0, "fname", sorted(private))
    return {
        "train_curated.csv": csv_bytes(pd.DataFrame({"fname": curated, "labels": _tags(rng, 8)})),
        "train_noisy.csv": csv_bytes(pd.DataFrame({"fname": noisy, "labels": _tags(rng, 8)})),
        "sample_submission.csv": csv_bytes(sample),
        "train_curated.zip": zip_bytes({n: wav_bytes(rng) for n in curated}),
        "train_noisy.zip": zip_bytes({n: wav_bytes(rng) for n in noisy}),
        "test.zip": zip_bytes({n: wav_bytes(rng) for n in sorted(private)}),
        f"{META}.zip": zip_bytes({f"{META}/test_post_competition.csv": csv_bytes(labels)}),
    }


def patch_mle_bench(prepare_module) -> None:
    """No network: MLE-bench's download leaves the meta archive of the raw tree in place."""
    prepare_module.download_file = lambda url, dest: Path(dest)


def _top_class_only(answers: str, sample: str, spec: dict) -> str:
    """0.9 for the first true class of each clip, 0.1 elsewhere."""
    frame = submission(answers, spec)
    for r in range(len(frame)):
        first = next(c for c in CLASSES if frame.at[r, c] == "1")
        for c in CLASSES:
            frame.at[r, c] = "0.9" if c == first else "0.1"
    return text_of(frame)


def _uniform(answers: str, sample: str, spec: dict) -> str:
    frame = submission(answers, spec)
    return text_of(frame.assign(**{c: "0.5" for c in CLASSES}))


CASES = {"top_class_only": _top_class_only, "uniform": _uniform}
