"""One run of a group, in the process an executor gives it (a pool worker process or a Ray task).

`run_in_group(spec)` is what every executor calls:
- a run whose `record.json` says finished is never run or graded again;
- a run directory that holds an earlier attempt (`spec.json`) is resumed in place;
- a run directory still locked by a worker of a killed runner (closing its sandbox) is waited for.

`process_main` is the body of a local pool's worker process: it detaches from the terminal (Ctrl-C
reaches only the runner, which then stops each run in order), writes its output to the run's
`worker.log`, and turns SIGTERM, and the death of the runner (even by kill -9), into KeyboardInterrupt,
so that `run_one` closes the sandbox and writes an "interrupted" record before the process ends.

Exit codes: 0 `run_one` wrote record.json (whatever its status); 2 the run could not start (the
reason is the last line of worker.log); 130 interrupted.
"""

from __future__ import annotations

import _thread
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.group import SPEC_FILE, read_record
from bench.runner import RunBusy, RunError, RunSpec, run_one

log = logging.getLogger(__name__)

LOCK_WAIT_S = 180.0
REDELIVER_AFTER_S = 0.05
EXIT_OK, EXIT_NOT_STARTED, EXIT_INTERRUPTED = 0, 2, 130


def prepare_spec(spec: RunSpec) -> RunSpec | None:
    """The spec to run now: None when the run already finished, resume=True when an attempt exists."""
    if not spec.run_dir:
        raise RunError("a group run needs a fixed run directory (spec.run_dir)")
    run_dir = Path(spec.run_dir)
    record = read_record(run_dir)
    if record is not None and record.get("status") == "finished":
        return None
    return replace(spec, resume=(run_dir / SPEC_FILE).is_file())


def run_in_group(spec: RunSpec) -> int:
    """Run (or resume) one spec of a group in this process; returns the exit code described above.
    KeyboardInterrupt propagates (after `run_one` wrote its "interrupted" record)."""
    try:
        todo = prepare_spec(spec)
        if todo is None:
            log.info("%s already finished; not run again", spec.run_dir)
            return EXIT_OK
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                run_one(todo)
                return EXIT_OK
            except RunBusy:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1.0)
    except RunError as exc:
        log.error("run could not start: %s", exc)
        return EXIT_NOT_STARTED


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def dropped_interrupts_redelivered() -> Iterator[None]:
    """Python runs a signal's handler at the next point where it checks for signals. Where that point cannot
    raise (an at-fork callback, such as logging's lock release after each sandbox spawn, or a `__del__`),
    the KeyboardInterrupt is printed as "Exception ignored" and dropped, and the run went on as if never
    stopped (a run of the kill -9 grid test finished instead of being interrupted). Within this block, a
    dropped KeyboardInterrupt interrupts the main thread again, from another thread, so that it lands where
    it can be raised."""
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        previous(unraisable)
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            threading.Timer(REDELIVER_AFTER_S, _thread.interrupt_main).start()

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous


def _watch_parent() -> None:
    """SIGTERM this process when the process that started it dies (even by kill -9)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="watch-runner", daemon=True).start()


def _redirect_output(log_path: Path) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def process_main(spec_dict: dict[str, Any], log_path: str) -> None:
    """Body of a pool worker process; exits with the code described above."""
    os.setsid()
    _redirect_output(Path(log_path))
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    _watch_parent()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, force=True,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        with dropped_interrupts_redelivered():
            code = run_in_group(RunSpec.from_dict(spec_dict))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr, flush=True)
        code = EXIT_INTERRUPTED
    sys.exit(code)
