"""Synthetic raw files of nfl-player-contact-detection in Kaggle's layout: train_labels.csv
(`contact_id` = `<game_play>_<step>_<player 1>_<player 2 or G>`), train_baseline_helmets.csv,
train_player_tracking.csv, train_video_metadata.csv, three short "videos" per play in train/
(`<game_play>_{All29,Endzone,Sideline}.mp4`), and the test_* counterparts with test/ and
sample_submission.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes

VIEWS = ("All29", "Endzone", "Sideline")


def _mp4(rng: np.random.Generator) -> bytes:
    """An MP4's first box (`ftyp`) and a few random bytes: enough for a file that is copied, not decoded."""
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + rng.integers(0, 255, 40, dtype=np.uint8).tobytes()


def _play(rng: np.random.Generator, game: int, play: int, labelled: bool) -> dict[str, pd.DataFrame]:
    gp = f"{game}_{play:06d}"
    players = sorted(rng.choice(np.arange(37000, 48000), 3, replace=False).tolist())
    steps = [0, 1]
    labels, tracking, helmets = [], [], []
    for step in steps:
        when = f"2020-09-11T03:01:{48 + step // 10:02d}.{step % 10}00Z"
        for i, p1 in enumerate(players):
            tracking.append({"game_play": gp, "game_key": game, "play_id": play, "nfl_player_id": p1, "datetime": when,
                             "step": step, "team": "home" if i % 2 else "away", "position": rng.choice(["CB", "WR", "TE"]),
                             "jersey_number": int(rng.integers(1, 99)), "x_position": round(float(rng.uniform(0, 120)), 2),
                             "y_position": round(float(rng.uniform(0, 53)), 2), "speed": round(float(rng.uniform(0, 9)), 2),
                             "distance": round(float(rng.uniform(0, 1)), 2), "direction": round(float(rng.uniform(0, 360)), 2),
                             "orientation": round(float(rng.uniform(0, 360)), 2),
                             "acceleration": round(float(rng.uniform(0, 5)), 2), "sa": round(float(rng.uniform(-5, 5)), 2)})
            for p2 in [*players[i + 1:], "G"]:
                contact = int(rng.random() < 0.3)
                labels.append({"contact_id": f"{gp}_{step}_{p1}_{p2}", "game_play": gp, "datetime": when, "step": step,
                               "nfl_player_id_1": p1, "nfl_player_id_2": p2, "contact": contact})
    for view in ("Endzone", "Sideline"):
        for frame in (1, 2):
            for i, p in enumerate(players[:2]):
                helmets.append({"game_play": gp, "game_key": game, "play_id": play, "view": view,
                                "video": f"{gp}_{view}.mp4", "frame": frame, "nfl_player_id": p,
                                "player_label": f"{'HV'[i]}{int(rng.integers(1, 99))}",
                                "left": int(rng.integers(0, 1200)), "width": int(rng.integers(10, 30)),
                                "top": int(rng.integers(0, 700)), "height": int(rng.integers(10, 30))})
    meta = [{"game_play": gp, "game_key": game, "play_id": play, "view": view,
             "start_time": "2020-09-11T03:01:43.134000Z", "end_time": "2020-09-11T03:01:54.971000Z",
             "snap_time": "2020-09-11T03:01:48.134000Z"} for view in ("Endzone", "Sideline")]
    frames = {"labels": pd.DataFrame(labels), "baseline_helmets": pd.DataFrame(helmets),
              "player_tracking": pd.DataFrame(tracking), "video_metadata": pd.DataFrame(meta)}
    if not labelled:
        frames["labels"] = frames["labels"].drop(columns=["contact"])
    return frames


def _files(rng: np.random.Generator, prefix: str, plays: list[tuple[int, int]], labelled: bool) -> dict[str, bytes]:
    parts = [_play(rng, game, play, labelled) for game, play in plays]
    files = {}
    for name in ("baseline_helmets", "player_tracking", "video_metadata"):
        files[f"{prefix}_{name}.csv"] = csv_bytes(pd.concat([p[name] for p in parts], ignore_index=True))
    labels = pd.concat([p["labels"] for p in parts], ignore_index=True)
    if labelled:
        files["train_labels.csv"] = csv_bytes(labels)
    else:
        files["sample_submission.csv"] = csv_bytes(pd.DataFrame({"contact_id": labels["contact_id"], "contact": 0}))
    for game, play in plays:
        for view in VIEWS:
            files[f"{prefix}/{game}_{play:06d}_{view}.mp4"] = _mp4(rng)
    return files


def build(n_train: int = 12) -> dict[str, bytes]:
    rng = np.random.default_rng(2022)
    games = rng.choice(np.arange(58000, 59000), n_train + 2, replace=False)
    plays = [(int(g), int(rng.integers(100, 4000))) for g in games]
    return {**_files(rng, "train", plays[:n_train], True), **_files(rng, "test", plays[n_train:], False)}
