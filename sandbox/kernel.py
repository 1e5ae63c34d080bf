"""A Jupyter kernel inside the isolation, driven from the host (backend-generic).

The connection file uses the IPC transport in a per-kernel dir of the runtime dir (visible inside), so
no network is needed; `python -m ipykernel_launcher -f <inside path>` is started through
Isolation.spawn; the host talks to it with a BlockingKernelClient on the host paths of the same sockets.
Timeout -> interrupt_request on the control channel; if the kernel ignores it or dies -> restart, and
the result says kernel_restarted=True (state lost).

Agent code runs inside the kernel, so every message from it is hostile input: message sizes, the
client's queue, result and image lists are capped, and a malformed message is skipped, never raised.
Each kernel's dir is writable by the agent's uid only until its sockets exist; then it is handed back
to root and checked, so the host client never connects through a link the agent planted."""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import logging
import os
import queue
import shutil
import stat
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import zmq
from jupyter_client.blocking import BlockingKernelClient

from sandbox import safefs
from sandbox.backends.base import Isolation
from sandbox.errors import SandboxClosed, SandboxError
from sandbox.process_io import WallClock
from sandbox.results import CaptureBuffer, CellResult, KernelError, truncate_middle

log = logging.getLogger(__name__)

START_TIMEOUT_S = 60.0
INTERRUPT_GRACE_S = 3.0
MAX_MESSAGE_BYTES = 8 * 2**20  # a larger message drops the connection (zmq MAXMSGSIZE); a PNG needs far less
RECEIVE_QUEUE = 32  # messages zmq buffers per channel: memory <= RECEIVE_QUEUE * MAX_MESSAGE_BYTES
MAX_RESULTS = 50  # execute_result entries kept per cell
MAX_IMAGES = 20  # PNGs saved per cell
CHANNELS = ("shell", "iopub", "stdin", "control", "hb")


class Kernel:
    """Use `execute(code, timeout)`; `restart()`. Started on first use."""

    def __init__(self, iso: Isolation, env: dict[str, str], cwd: str, host_runtime: Path, workspace: Path,
                 owner: tuple[int, int] | None, limit_chars: int, clock: WallClock, default_timeout: float,
                 after: Callable[[], str] = lambda: "") -> None:
        self._iso, self._cwd, self._limit = iso, cwd, limit_chars
        self._env = dict(env)
        self._env.pop("MPLBACKEND", None)  # ipykernel then picks its inline backend: figures come back
        self._env.pop("JPY_PARENT_PID", None)  # the kernel would exit: its parent pid differs inside
        self._clock, self._default_timeout, self._after = clock, default_timeout, after
        self._host_kernels = host_runtime / "kernels"
        self._inside_kernels = f"{iso.paths.runtime}/kernels"
        self._workspace, self._owner = workspace, owner
        self._image_seq = itertools.count(1)
        self._proc: subprocess.Popen | None = None
        self._client: BlockingKernelClient | None = None
        self._context: zmq.Context | None = None
        self._dir: Path | None = None
        self._closed = False

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        if self._closed:
            raise SandboxClosed("this sandbox is closed; its kernel cannot run cells")
        if self._proc is not None:
            return
        name = uuid.uuid4().hex  # unguessable: kernels/ is not listable from inside
        self._dir = self._host_kernels / name
        self._dir.mkdir(mode=0o700)
        if self._owner is not None:
            os.chown(self._dir, *self._owner)  # the kernel (the agent's uid) creates its IPC sockets here
        inside_dir = f"{self._inside_kernels}/{name}"
        info = {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
                "transport": "ipc", "signature_scheme": "hmac-sha256", "key": uuid.uuid4().hex,
                "kernel_name": "python3"}
        with safefs.open_dir(self._host_kernels, name) as dfd:
            safefs.write_at(dfd, "kernel.json", json.dumps(dict(info, ip=f"{inside_dir}/ipc")).encode())
        log_path = self._host_kernels.parent.parent / f"kernel-{name}.log"  # the private runtime dir
        with open(log_path, "xb") as log_file:  # why a kernel failed to start
            self._proc = self._iso.spawn(
                [self._iso.python, "-m", "ipykernel_launcher", "-f", f"{inside_dir}/kernel.json",
                 "--HistoryManager.enabled=False"],
                env=self._env, cwd=self._cwd, stdin=subprocess.DEVNULL, stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        self._log_path = log_path
        try:
            self._lock_dir()
            self._context = _bounded_context()
            client = BlockingKernelClient(context=self._context)
            client.load_connection_info(dict(info, ip=str(self._dir / "ipc")))
            client.start_channels()
            self._client = client
            self._wait_ready()
        except Exception:
            self._stop()
            raise

    def _lock_dir(self) -> None:
        """Wait until the kernel's sockets exist, hand its dir back to root, then check each is a socket
        (not a link): from here on the agent cannot change what the host client connects to."""
        names = [f"ipc-{i}" for i in range(1, len(CHANNELS) + 1)]
        deadline = time.monotonic() + START_TIMEOUT_S
        while not all((self._dir / n).exists() or (self._dir / n).is_symlink() for n in names):
            self._check_alive_at_start()
            if time.monotonic() > deadline:
                raise SandboxError(f"the Jupyter kernel did not open its sockets within {START_TIMEOUT_S:.0f} s")
            time.sleep(0.01)
        if self._owner is None:
            return
        with safefs.open_dir(self._host_kernels, self._dir.name) as dfd:
            # ipykernel reads kernel.json again after binding its sockets, so the dir never passes through
            # root-owned 0700 (the kernel then exited with EACCES). The mode is set again once root owns
            # it: until then the agent could change it.
            os.fchmod(dfd, 0o755)
            os.fchown(dfd, 0, 0)
            os.fchmod(dfd, 0o755)
            for n in names:
                st = os.stat(n, dir_fd=dfd, follow_symlinks=False)
                if not stat.S_ISSOCK(st.st_mode):
                    raise SandboxError(f"kernel socket {n} was replaced by something else (tampering); "
                                       "the kernel was not connected")

    def _check_alive_at_start(self) -> None:
        if self._proc.poll() is not None:
            tail = self._log_path.read_text(errors="replace")[-2000:]
            raise SandboxError(f"the Jupyter kernel exited at start (code {self._proc.returncode}); "
                               f"is ipykernel installed in the sandbox's python? Its output:\n{tail}")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            self._check_alive_at_start()
            try:
                self._client.wait_for_ready(timeout=min(2.0, deadline - time.monotonic()))
                return
            except RuntimeError:
                continue
        raise SandboxError(f"the Jupyter kernel did not become ready within {START_TIMEOUT_S:.0f} s")

    def _stop(self) -> None:
        if self._client is not None:
            self._client.stop_channels()
            self._client = None
        if self._context is not None:
            self._context.destroy(linger=0)
            self._context = None
        if self._proc is not None:
            self._iso.kill_tree(self._proc)
            self._proc = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._log_path.unlink(missing_ok=True)
            self._dir = None

    def _check_open(self) -> None:
        if self._closed:
            raise SandboxClosed("this sandbox is closed; its kernel cannot run cells")

    def restart(self) -> None:
        """Fresh kernel; all state is lost."""
        self._check_open()
        self._stop()
        self.start()

    def close(self) -> None:
        self._stop()
        self._closed = True

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    # -- execution -------------------------------------------------------------------------------
    def execute(self, code: str, timeout: float | None = None) -> CellResult:
        """Run one cell. Never raises for the cell's own errors (except WallTimeExceeded; SandboxClosed
        after close)."""
        self._check_open()
        t0 = time.monotonic()
        self._iso.sweep()
        limit, wall_bound = self._clock.budget(timeout or self._default_timeout)
        restarted = False
        if not self.alive:
            restarted = self._proc is not None  # it died since the last cell
            self.restart() if restarted else self.start()
        out = _CellOutput(self._limit)
        oom0 = self._iso.oom_count(self._proc)
        msg_id = self._client.execute(code, allow_stdin=False)
        status = self._collect(msg_id, out, limit)
        if status == "idle":
            self._drain_reply(msg_id)
        status = "idle" if status == "replied" else status
        killed = None
        if status == "timeout":
            killed = "wall_time" if wall_bound else "timeout"
            self._interrupt()
            status = self._collect(msg_id, out, INTERRUPT_GRACE_S)
            if status not in ("idle", "replied"):
                out.stderr.append(f"\n[the cell ignored the interrupt after the {limit:.0f} s timeout: "
                                  "the kernel was restarted and all variables are lost]")
                out.error = KernelError("TimeoutError", f"cell timed out after {limit:.0f} s; kernel restarted", [])
                self.restart()
                restarted = True
            else:
                out.stderr.append(f"\n[cell interrupted after the {limit:.0f} s timeout; kernel state kept]")
        elif status == "died":
            oom = self._iso.oom_count(self._proc) > oom0
            killed = "memory" if oom else "kernel_died"
            why = "it ran out of memory (limit hit)" if oom else "it died"
            out.error = out.error or KernelError("KernelDied", f"the kernel stopped because {why}", [])
            out.stderr.append(f"\n[the kernel stopped because {why}; it was restarted and all variables are lost]")
            self.restart()
            restarted = True
        if note := self._after():
            out.stderr.append(note)
        return self._result(out, killed, restarted, time.monotonic() - t0)

    def _drain_reply(self, msg_id: str) -> None:
        """Consume the cell's execute_reply so the shell queue does not grow (it follows idle closely)."""
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            try:
                reply = self._client.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                return
            except Exception:  # a malformed reply: skip it
                log.debug("malformed shell message from the kernel", exc_info=True)
                continue
            if _parent_id(reply) == msg_id:
                return

    def _interrupt(self) -> None:
        # Message-mode interrupt: a signal to the process group would also hit the isolation wrapper.
        msg = self._client.session.msg("interrupt_request", {})
        self._client.control_channel.send(msg)

    def _collect(self, msg_id: str, out: "_CellOutput", limit: float) -> str:
        """Read iopub until the cell's idle status: 'idle', 'timeout' or 'died'. Under a flood of
        output the client's bounded queue may drop messages, the idle status among them; then the
        cell's execute_reply on the shell channel (never dropped) says it is done."""
        deadline = time.monotonic() + limit
        replied_at: float | None = None
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            if replied_at is None and self._reply_arrived(msg_id):
                replied_at = time.monotonic()
            try:
                msg = self._client.get_iopub_msg(timeout=min(left, 0.2 if replied_at is None else 0.5))
            except queue.Empty:
                if replied_at is not None:
                    return "replied"  # its output so far is all there is: the idle status was dropped
                if not self.alive:
                    return "died"
                continue
            except Exception:  # bad signature, bad JSON: the agent's forgery, skipped
                log.debug("malformed iopub message from the kernel", exc_info=True)
                continue
            if _parent_id(msg) != msg_id:
                continue
            try:
                if self._handle(msg, out):
                    return "replied" if replied_at is not None else "idle"
            except (TypeError, ValueError, AttributeError, KeyError):
                log.debug("malformed %r message from the kernel", msg.get("msg_type"), exc_info=True)

    def _reply_arrived(self, msg_id: str) -> bool:
        """Consume shell messages already queued; True once the cell's execute_reply is among them."""
        while True:
            try:
                reply = self._client.get_shell_msg(timeout=0)
            except queue.Empty:
                return False
            except Exception:
                log.debug("malformed shell message from the kernel", exc_info=True)
                continue
            if _parent_id(reply) == msg_id:
                return True

    def _handle(self, msg: dict, out: "_CellOutput") -> bool:
        kind, content = msg.get("msg_type"), msg.get("content")
        if not isinstance(content, dict):
            return False
        if kind == "stream":
            (out.stdout if content.get("name") == "stdout" else out.stderr).append(_text(content.get("text")))
        elif kind in ("execute_result", "display_data"):
            data = content.get("data")
            data = data if isinstance(data, dict) else {}
            if isinstance(data.get("image/png"), str) and len(out.images) < MAX_IMAGES:
                if (path := self._save_png(data["image/png"])) is not None:
                    out.images.append(path)
            if kind == "execute_result" and "text/plain" in data and len(out.results) < MAX_RESULTS:
                out.results.append(truncate_middle(_text(data["text/plain"]), self._limit))
        elif kind == "error":
            tb = content.get("traceback")
            tb = [_text(line) for line in tb[:1000]] if isinstance(tb, list) else []
            out.error = KernelError(_text(content.get("ename")), _text(content.get("evalue"))[:10_000], tb)
        elif kind == "status" and content.get("execution_state") == "idle":
            return True
        return False

    def _save_png(self, b64: str) -> Path | None:
        """Write a cell's PNG under logs/images/ of the workspace (through safefs: never via a link)."""
        try:
            data = base64.b64decode(b64, validate=False)
        except (binascii.Error, ValueError):
            return None
        name = f"cell-{uuid.uuid4().hex[:8]}-{next(self._image_seq)}.png"
        try:
            safefs.write_bytes(self._workspace, f"logs/images/{name}", data, owner=self._owner)
        except (OSError, SandboxError) as exc:
            log.warning("could not save a cell's image: %s", exc)
            return None
        return self._workspace / "logs" / "images" / name

    def _result(self, out: "_CellOutput", killed: str | None, restarted: bool, duration: float) -> CellResult:
        error = out.error
        if error is not None:
            tb = truncate_middle("\n".join(error.traceback), self._limit).split("\n")
            error = KernelError(error.ename, error.evalue, tb)
        return CellResult(
            stdout=out.stdout.text(self._limit),
            stderr=out.stderr.text(self._limit),
            results=[truncate_middle(r, self._limit) for r in out.results],
            images=out.images, error=error, timed_out=killed in ("timeout", "wall_time"),
            kernel_restarted=restarted, duration_s=duration, killed_reason=killed,
        )


def _bounded_context() -> zmq.Context:
    """A zmq context whose sockets drop messages over MAX_MESSAGE_BYTES and queue few of them."""
    ctx = zmq.Context()
    ctx.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
    ctx.setsockopt(zmq.RCVHWM, RECEIVE_QUEUE)
    return ctx


def _parent_id(msg: object) -> object:
    parent = msg.get("parent_header") if isinstance(msg, dict) else None
    return parent.get("msg_id") if isinstance(parent, dict) else None


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)[:10_000]


class _CellOutput:
    """What a cell produced so far; streams are bounded (a cell may print gigabytes)."""

    def __init__(self, limit: int) -> None:
        self.stdout = CaptureBuffer(limit)
        self.stderr = CaptureBuffer(limit)
        self.results: list[str] = []
        self.images: list[Path] = []
        self.error: KernelError | None = None
