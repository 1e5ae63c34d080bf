"""3d-object-detection-for-autonomous-vehicles: MLE-bench's split of the Lyft training logs.

The tokens of `train_data/log.json` are split with `train_test_split(test_size=0.2,
random_state=0)`; a sample goes with its `scene_token` (MLE-bench looks it up among the log
tokens: in Lyft's data each scene is one log with the same token). Every table of `train_data/`
follows, each written with `json.dump`'s defaults into `train_data/` or `test_data/`:
`log.json`, `sample.json`, `scene.json` (by `log_token`), `sample_data.json` (by sample),
`calibrated_sensor.json` (the sensors the part's sample data use, first use first),
`ego_pose.json` (one per sample datum), `map.json` (the one map with the part's log tokens; for
the train part MLE-bench writes the test logs' tokens, which we do not copy: DEVIATIONS P-E1),
`sample_annotation.json` and `instance.json` (train only); `attribute.json`, `category.json`,
`sensor.json`, `visibility.json` are copied to both. `train.csv` keeps the train samples' rows;
the private `test.csv` has the test samples' boxes with a confidence `1.0` before each box;
`sample_submission.csv` has every test `Id` with an empty PredictionString. The map raster goes
to `train_maps/` and `test_maps/`; each sample datum's image (`.jpeg`) or lidar sweep (`.bin`)
is copied, one file at a time, into `{train,test}_images/` or `{train,test}_lidar/`.

The JSON tables are read whole (MLE-bench's layout needs every table's tokens at once); the
images and lidar sweeps, the bulk of the data, are streamed.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from bench.preparers import RawTree, locate, split

logger = logging.getLogger(__name__)

COPIED = ("attribute.json", "category.json", "sensor.json", "visibility.json")
LOG_EVERY = 10000


def prepare(raw: Path, public: Path, private: Path) -> None:
    for part in ("train_data", "test_data"):
        (public / part).mkdir(parents=True, exist_ok=True)
    with RawTree(raw, "train_data") as data:
        logs = _load(data, "log.json")
        train_logs, test_logs = split([log["token"] for log in logs], 0.2, 0)
        _dump_parts(public, "log.json", *_by(logs, "token", train_logs, test_logs))
        samples = _load(data, "sample.json")
        train_samples, test_samples = _by(samples, "scene_token", train_logs, test_logs)
        _dump_parts(public, "sample.json", train_samples, test_samples)
        test_ids = {s["token"] for s in test_samples}
        train_ids = {s["token"] for s in train_samples}
        _write_tables(raw, public, private, train_ids, test_ids)
        sample_data = _load(data, "sample_data.json")
        parts = _by(sample_data, "sample_token", train_ids, test_ids)
        _dump_parts(public, "sample_data.json", *parts)
        _split_by_sample_data(data, public, parts)
        maps = _load(data, "map.json")
        _dump_parts(public, "map.json", [{**maps[0], "log_tokens": train_logs}, *maps[1:]],
                    [{**maps[0], "log_tokens": test_logs}, *maps[1:]])
        scenes = _load(data, "scene.json")
        _dump_parts(public, "scene.json", *_by(scenes, "log_token", train_logs, test_logs))
        for name in COPIED:
            for part in ("train_data", "test_data"):
                data.copy(name, public / part / name)
        annotations = _by(_load(data, "sample_annotation.json"), "sample_token", train_ids, test_ids)
        _dump(public / "train_data" / "sample_annotation.json", annotations[0])
        instance_parts = [{a["instance_token"] for a in part} for part in annotations]
        instances = _by(_load(data, "instance.json"), "token", *instance_parts)
        _dump(public / "train_data" / "instance.json", instances[0])
    with RawTree(raw, "train_maps") as maps_tree:
        for part in ("test_maps", "train_maps"):
            maps_tree.copy("map_raster_palo_alto.png", public / part / "map_raster_palo_alto.png")
    _copy_sensor_files(raw, public, sample_data, test_ids)


def _load(data: RawTree, name: str) -> Any:
    return json.loads(data.read(name))


def _dump(path: Path, value: Any) -> None:
    with open(path, "w") as out:
        json.dump(value, out)


def _dump_parts(public: Path, name: str, train: Any, test: Any) -> None:
    _dump(public / "train_data" / name, train)
    _dump(public / "test_data" / name, test)


def _by(items: list[dict], key: str, train: Any, test: Any) -> tuple[list[dict], list[dict]]:
    """The items whose `key` is in `train`, and those in `test` (raw order); any other is an error."""
    train, test = set(train), set(test)
    parts: tuple[list[dict], list[dict]] = ([], [])
    for item in items:
        if item[key] not in train and item[key] not in test:
            raise ValueError(f"{key} {item[key]!r} belongs to neither the train nor the test part")
        parts[0 if item[key] in train else 1].append(item)
    return parts


def _write_tables(raw: Path, public: Path, private: Path, train_ids: set[str], test_ids: set[str]) -> None:
    table = pd.read_csv(locate(raw, "train.csv"))
    train, test = table[table["Id"].isin(train_ids)], table[table["Id"].isin(test_ids)]
    if len(train) + len(test) != len(table) or len(train) != len(train_ids) or len(test) != len(test_ids):
        raise ValueError("train.csv and train_data/sample.json do not list the same samples")
    train.to_csv(public / "train.csv", index=False)
    test = test.assign(PredictionString=test["PredictionString"].map(_with_confidence))
    test.to_csv(private / "test.csv", index=False)
    test[["Id"]].assign(PredictionString="").to_csv(public / "sample_submission.csv", index=False)


def _with_confidence(boxes: str) -> str:
    """`cx cy cz w l h yaw class ...` -> `1.0 cx cy cz w l h yaw class ...` (the answers' format)."""
    tokens = boxes.split(" ")
    if len(tokens) % 8:
        raise ValueError(f"a train.csv PredictionString has {len(tokens)} tokens, not 8 per box")
    return " ".join(" ".join(["1.0", *tokens[i: i + 8]]) for i in range(0, len(tokens), 8))


def _split_by_sample_data(data: RawTree, public: Path, parts: tuple[list[dict], list[dict]]) -> None:
    """calibrated_sensor.json (each sensor once, in order of first use) and ego_pose.json (one per
    sample datum) of each part."""
    sensors = {c["token"]: c for c in _load(data, "calibrated_sensor.json")}
    poses = {e["token"]: e for e in _load(data, "ego_pose.json")}
    used = [list(dict.fromkeys(d["calibrated_sensor_token"] for d in part)) for part in parts]
    _dump_parts(public, "calibrated_sensor.json", *[[sensors[t] for t in tokens] for tokens in used])
    _dump_parts(public, "ego_pose.json", *[[poses[d["ego_pose_token"]] for d in part] for part in parts])


def _copy_sensor_files(raw: Path, public: Path, sample_data: list[dict], test_ids: set[str]) -> None:
    """Each sample datum's camera image or lidar sweep into the part of its sample, by base name."""
    folders = {"jpeg": "images", "bin": "lidar"}
    trees = {kind: RawTree(raw, f"train_{kind}") for kind in folders.values()}
    try:
        for kind in folders.values():
            for part in ("train", "test"):
                (public / f"{part}_{kind}").mkdir(parents=True, exist_ok=True)
        for done, datum in enumerate(sample_data, 1):
            kind = folders.get(datum["fileformat"])
            name = Path(datum["filename"]).name
            if kind is None or not name.endswith(datum["fileformat"]):
                raise ValueError(f"unexpected sample datum file {datum['filename']!r} ({datum['fileformat']})")
            dest = public / f"{'test' if datum['sample_token'] in test_ids else 'train'}_{kind}" / name
            if not dest.exists():
                trees[kind].copy(name, dest)
            if done % LOG_EVERY == 0:
                logger.info("%d of %d images and lidar sweeps copied", done, len(sample_data))
    finally:
        for tree in trees.values():
            tree.__exit__()
