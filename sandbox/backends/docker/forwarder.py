"""The validation forwarder of a docker sandbox: 127.0.0.1:5000 inside, relayed to the grader's Unix
socket. It runs once per container (one network namespace), is watched, and revived when agent code
kills it (same uid: `kill -9 -1`, `pkill socat`)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sandbox.backends.base import VALIDATION_PORT, SandboxPaths, forwarder_argv

log = logging.getLogger(__name__)

CHECK_S = 1.0  # how often the forwarder is checked and revived


class Forwarder:
    """`start()` once the container runs; `revive()` before spawns; `watch()` in a thread."""

    def __init__(self, api, container_id: str, init_pid: int | None, paths: SandboxPaths, python: str,
                 user: str, search_path: str, lock: threading.Lock, on_started: Callable[[], None]) -> None:
        self._api, self._cid, self._init_pid = api, container_id, init_pid
        self._paths, self._python, self._user, self._path = paths, python, user, search_path
        self._lock, self._on_started = lock, on_started
        self._stop = threading.Event()

    def start(self) -> None:
        """Serve 127.0.0.1:5000 inside, forwarding to the grader's socket; socat when the image has it,
        else the sandbox's stdlib forwarder. Waits until it listens. Call with the spawn lock held."""
        socat = " ".join(forwarder_argv(self._paths, use_socat=True))
        python = " ".join(forwarder_argv(self._paths, use_socat=False, python=self._python))
        script = f"if command -v socat >/dev/null 2>&1; then exec {socat}; else exec {python}; fi"
        exec_id = self._api.exec_create(self._cid, ["/bin/sh", "-c", script], user=self._user,
                                        environment={"PATH": self._path})
        self._api.exec_start(exec_id, detach=True)
        self._on_started()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if self.listening() is not False:
                return
            time.sleep(0.01)
        log.warning("validation forwarder in container %s is not listening yet", self._cid[:12])

    def revive(self) -> None:
        if self.listening() is False:
            with self._lock:
                if self.listening() is False and not self._stop.is_set():
                    self.start()

    def watch(self) -> None:
        if self.listening() is None:
            return  # the host cannot look into the container: nothing to watch with
        threading.Thread(target=self._watch, name=f"fwd-{self._cid[:12]}", daemon=True).start()

    def _watch(self) -> None:
        while not self._stop.wait(CHECK_S):
            try:
                self.revive()
            except Exception as exc:  # the container may be going away under us
                log.debug("forwarder check failed: %s", exc)

    def stop(self) -> None:
        self._stop.set()

    def listening(self) -> bool | None:
        """Is 127.0.0.1:5000 listening in the container (its /proc/net/tcp seen from the host)?
        None when the host cannot look."""
        listen = f"0100007F:{VALIDATION_PORT:04X} 00000000:0000 0A"
        try:
            return listen in Path(f"/proc/{self._init_pid}/net/tcp").read_text()
        except (OSError, TypeError):
            return None
