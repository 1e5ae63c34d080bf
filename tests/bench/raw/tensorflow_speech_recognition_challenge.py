"""Synthetic raw files of tensorflow-speech-recognition-challenge in Kaggle's layout: train.7z
(train/audio/<word>/<speaker>_nohash_<n>.wav, file names repeating across words, the
_background_noise_ folder, the list files), test.7z (test/audio/clip_<hex>.wav),
sample_submission.7z and the credits note. Clips are a few samples of 16 kHz mono 16-bit PCM."""

from __future__ import annotations

import io
import wave

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, sevenz_bytes

WORDS = ["yes", "no", "up", "bed", "house"]


def wav_bytes(rng: np.random.Generator, samples: int = 16) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(rng.integers(-3000, 3000, samples, dtype=np.int16).tobytes())
    return buffer.getvalue()


def build() -> dict[str, bytes]:
    rng = np.random.default_rng(50)
    speakers = [f"{rng.integers(0, 16**8):08x}" for _ in range(8)]
    train: dict[str, bytes] = {}
    for word in WORDS:
        for speaker in rng.choice(speakers, 5, replace=False):
            train[f"train/audio/{word}/{speaker}_nohash_0.wav"] = wav_bytes(rng)
    for noise in ("white_noise", "running_tap"):
        train[f"train/audio/_background_noise_/{noise}.wav"] = wav_bytes(rng, 64)
    train["train/audio/_background_noise_/README.md"] = b"Recordings of background noise.\n"
    listed = sorted(n[len("train/audio/"):] for n in train if n.endswith("_nohash_0.wav"))
    train["train/validation_list.txt"] = ("\n".join(listed[:3]) + "\n").encode()
    train["train/testing_list.txt"] = ("\n".join(listed[3:6]) + "\n").encode()
    train["train/LICENSE"] = b"Creative Commons BY 4.0\n"
    test_names = [f"clip_{rng.integers(0, 16**9):09x}.wav" for _ in range(6)]
    sample = pd.DataFrame({"fname": test_names, "label": "silence"})
    return {"train.7z": sevenz_bytes(train),
            "test.7z": sevenz_bytes({f"test/audio/{n}": wav_bytes(rng) for n in test_names}),
            "sample_submission.7z": sevenz_bytes({"sample_submission.csv": csv_bytes(sample)}),
            "link_to_gcp_credits_form.txt": b"A link to a form.\n"}
