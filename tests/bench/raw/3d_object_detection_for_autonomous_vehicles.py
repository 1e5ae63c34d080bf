"""Synthetic raw files of 3d-object-detection-for-autonomous-vehicles in Kaggle's (Lyft's) layout:
train.csv (`Id` = sample token, `PredictionString` = `cx cy cz width length height yaw class`
per box), sample_submission.csv, the nuScenes-style tables in train_data/ (log, scene, sample,
sample_data, calibrated_sensor, ego_pose, sample_annotation, instance, map, and the copied
attribute, category, sensor, visibility), one camera image per sample in train_images/, one
lidar sweep per sample in train_lidar/, and train_maps/map_raster_palo_alto.png.

As MLE-bench's preparer requires, each scene's token is its log's token. Images, sweeps and the
map are small stand-ins (a few random bytes; the lidar `.bin` is float32 x, y, z, intensity rows)."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd

from tests.bench.raw._files import csv_bytes, jpg_bytes, png_bytes

# MLE-bench's train map.json lists the test logs (a shallow-copy slip); ours lists the train logs
PREPARED_DEVIATIONS = {"public/train_data/map.json": "P-E1"}

CLASSES = ["car", "pedestrian", "truck", "bicycle", "other_vehicle"]


def _token(rng: np.random.Generator) -> str:
    return rng.bytes(32).hex()


def _box(rng: np.random.Generator, name: str) -> dict:
    size = {"car": (1.9, 4.6, 1.7), "pedestrian": (0.7, 0.8, 1.8), "truck": (2.8, 9.5, 3.4),
            "bicycle": (0.6, 1.8, 1.4), "other_vehicle": (2.5, 6.5, 2.6)}[name]
    return {"translation": [round(float(rng.uniform(2600, 2800)), 3), round(float(rng.uniform(600, 800)), 3),
                            round(float(rng.uniform(-20, -18)), 3)],
            "size": [round(float(v * rng.uniform(0.9, 1.1)), 3) for v in size],
            "yaw": round(float(rng.uniform(-np.pi, np.pi)), 6)}


def _rotation(yaw: float) -> list[float]:
    return [float(np.cos(yaw / 2)), 0.0, 0.0, float(np.sin(yaw / 2))]


def _scene(rng: np.random.Generator, tables: dict, files: dict, rows: list, n_samples: int) -> None:
    log = _token(rng)
    tables["log"].append({"token": log, "logfile": f"host-a0{len(tables['log']):02d}_lidar1", "vehicle": "a101",
                          "date_captured": "2019-05-24", "location": "Palo Alto"})
    sensors = {kind: _token(rng) for kind in ("cam", "lidar")}
    for kind, token in sensors.items():
        tables["calibrated_sensor"].append({"token": token, "sensor_token": tables["sensor"][kind == "lidar"]["token"],
                                            "translation": [1.5, 0.0, 1.8], "rotation": [1.0, 0.0, 0.0, 0.0],
                                            "camera_intrinsic": [[880.0, 0.0, 600.0], [0.0, 880.0, 500.0], [0.0, 0.0, 1.0]]
                                            if kind == "cam" else []})
    samples = [_token(rng) for _ in range(n_samples)]
    for i, sample in enumerate(samples):
        stamp = 1557858039302414 + 200000 * i
        tables["sample"].append({"token": sample, "timestamp": stamp, "prev": samples[i - 1] if i else "",
                                 "next": samples[i + 1] if i + 1 < n_samples else "", "scene_token": log})
        for kind, ext in (("cam", "jpeg"), ("lidar", "bin")):
            name = f"host-a0{len(tables['log']):02d}_{kind}0_{stamp}.{ext}"
            pose = _token(rng)
            tables["ego_pose"].append({"token": pose, "rotation": [1.0, 0.0, 0.0, 0.0], "timestamp": stamp,
                                       "translation": [2700.0 + i, 700.0, -19.0]})
            tables["sample_data"].append({"token": _token(rng), "sample_token": sample, "ego_pose_token": pose,
                                          "calibrated_sensor_token": sensors[kind], "timestamp": stamp,
                                          "fileformat": ext, "is_key_frame": True, "height": 8 if ext == "jpeg" else 0,
                                          "width": 8 if ext == "jpeg" else 0, "prev": "", "next": "",
                                          "filename": f"{'images' if ext == 'jpeg' else 'lidar'}/{name}"})
            files[f"train_{'images' if ext == 'jpeg' else 'lidar'}/{name}"] = (
                jpg_bytes(rng, (8, 8)) if ext == "jpeg" else rng.random((4, 4)).astype(np.float32).tobytes())
        boxes = []
        for name in rng.choice(CLASSES, int(rng.integers(1, 5)), p=[0.5, 0.2, 0.1, 0.1, 0.1]):
            box, instance, annotation = _box(rng, str(name)), _token(rng), _token(rng)
            tables["instance"].append({"token": instance, "category_token": tables["category"][CLASSES.index(name)]["token"],
                                       "nbr_annotations": 1, "first_annotation_token": annotation,
                                       "last_annotation_token": annotation})
            tables["sample_annotation"].append({"token": annotation, "sample_token": sample, "instance_token": instance,
                                                "attribute_tokens": [], "visibility_token": "4",
                                                "translation": box["translation"], "size": box["size"],
                                                "rotation": _rotation(box["yaw"]), "prev": "", "next": "",
                                                "num_lidar_pts": int(rng.integers(1, 200)), "num_radar_pts": 0})
            boxes.append(" ".join(str(v) for v in [*box["translation"], *box["size"], box["yaw"], name]))
        rows.append({"Id": sample, "PredictionString": " ".join(boxes)})


def build(n_logs: int = 10) -> dict[str, bytes]:
    rng = np.random.default_rng(2019)
    tables: dict[str, list] = {name: [] for name in ("log", "scene", "sample", "sample_data", "calibrated_sensor",
                                                     "ego_pose", "sample_annotation", "instance")}
    tables["category"] = [{"token": _token(rng), "name": n, "description": ""} for n in CLASSES]
    tables["attribute"] = [{"token": _token(rng), "name": n, "description": ""} for n in ("object_action_parked", "object_action_walking")]
    tables["sensor"] = [{"token": _token(rng), "channel": c, "modality": m} for c, m in (("CAM_FRONT", "camera"), ("LIDAR_TOP", "lidar"))]
    tables["visibility"] = [{"token": str(i), "level": f"v{i}", "description": ""} for i in range(1, 5)]
    files: dict[str, bytes] = {}
    rows: list[dict] = []
    for _ in range(n_logs):
        _scene(rng, tables, files, rows, int(rng.integers(1, 4)))
    for log in tables["log"]:
        first = next(s for s in tables["sample"] if s["scene_token"] == log["token"])
        count = sum(s["scene_token"] == log["token"] for s in tables["sample"])
        tables["scene"].append({"token": log["token"], "log_token": log["token"], "nbr_samples": count,
                                "first_sample_token": first["token"], "last_sample_token": "", "name": "", "description": ""})
    tables["map"] = [{"token": _token(rng), "category": "semantic_prior", "filename": "maps/map_raster_palo_alto.png",
                      "log_tokens": [log["token"] for log in tables["log"]]}]
    for name, value in tables.items():
        files[f"train_data/{name}.json"] = json.dumps(value, indent=2).encode()
    files["train_maps/map_raster_palo_alto.png"] = png_bytes(rng.integers(0, 255, (4, 4)))
    files["train.csv"] = csv_bytes(pd.DataFrame(rows))
    files["sample_submission.csv"] = csv_bytes(pd.DataFrame({"Id": [_token(rng) for _ in range(2)], "PredictionString": ""}))
    return files


def _frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def _text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def _edit_boxes(answers: str, edit) -> str:
    """The answers with every box's 9 tokens passed through `edit(index, tokens) -> tokens or None`."""
    frame = _frame(answers)
    out, k = [], 0
    for text in frame["PredictionString"]:
        tokens, boxes = text.split(" "), []
        for i in range(0, len(tokens), 9):
            new = edit(k, tokens[i: i + 9])
            k += 1
            if new is not None:
                boxes.append(" ".join(new))
        out.append(" ".join(boxes))
    return _text(frame.assign(PredictionString=out))


def _shift(dx: float):
    return lambda k, t: [t[0], repr(float(t[1]) + dx * (k % 3)), *t[2:]]


CASES = {
    "shifted_boxes": lambda a, s, spec: _edit_boxes(a, _shift(0.35)),
    "ranked_confidences": lambda a, s, spec: _edit_boxes(a, lambda k, t: [repr(1.0 / (k + 1)), *t[1:]]),
    "wrong_class_every_third": lambda a, s, spec: _edit_boxes(a, lambda k, t: [*t[:8], "animal" if k % 3 == 0 else t[8]]),
    "dropped_every_other": lambda a, s, spec: _edit_boxes(a, lambda k, t: None if k % 2 else t),
    "duplicated_boxes": lambda a, s, spec: _edit_boxes(a, lambda k, t: [*t, *t]),
    "rotated_90": lambda a, s, spec: _edit_boxes(a, lambda k, t: [*t[:7], repr(float(t[7]) + 1.5707963), t[8]]),
    "nan_size": lambda a, s, spec: _edit_boxes(a, lambda k, t: [*t[:4], "nan", *t[5:]] if k == 0 else t),
    "zero_size": lambda a, s, spec: _edit_boxes(a, lambda k, t: [*t[:5], "0", *t[6:]] if k == 1 else t),
    "nan_size_unmatched_class": lambda a, s, spec: _edit_boxes(a, lambda k, t: [*t[:4], "nan", *t[5:8], "ufo"] if k == 0 else t),
    "eight_tokens": lambda a, s, spec: _edit_boxes(a, lambda k, t: t[1:]),
    "double_space": lambda a, s, spec: a.replace(" ", "  ", 1),
    "text_coordinate": lambda a, s, spec: _edit_boxes(a, lambda k, t: [t[0], "x", *t[2:]] if k == 2 else t),
}
