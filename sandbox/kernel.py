"""A Jupyter kernel inside the isolation, driven from the host (backend-generic).

The connection file uses the IPC transport in a per-kernel dir of the runtime dir (visible inside), so
no network is needed; `python -m ipykernel_launcher -f <inside path>` is started through
Isolation.spawn; the host talks to it with a BlockingKernelClient on the host paths of the same sockets.
Timeout -> interrupt_request on the control channel; if the kernel ignores it or dies -> restart, and
the result says kernel_restarted=True (state lost)."""

from __future__ import annotations

import base64
import itertools
import json
import logging
import queue
import shutil
import subprocess
import time
import uuid
from pathlib import Path

from jupyter_client.blocking import BlockingKernelClient

from sandbox.backends.base import Isolation, SandboxPaths
from sandbox.errors import SandboxError
from sandbox.process_io import WallClock
from sandbox.results import CaptureBuffer, CellResult, KernelError, truncate_middle

log = logging.getLogger(__name__)

START_TIMEOUT_S = 60.0
INTERRUPT_GRACE_S = 3.0


class Kernel:
    """Use `execute(code, timeout)`; `restart()`. Started on first use."""

    def __init__(self, iso: Isolation, env: dict[str, str], cwd: str, host_runtime: Path,
                 host_paths: SandboxPaths, limit_chars: int, clock: WallClock, default_timeout: float) -> None:
        self._iso, self._cwd, self._limit = iso, cwd, limit_chars
        self._env = dict(env)
        self._env.pop("MPLBACKEND", None)  # ipykernel then picks its inline backend: figures come back
        self._env.pop("JPY_PARENT_PID", None)  # the kernel would exit: its parent pid differs inside
        self._clock, self._default_timeout = clock, default_timeout
        self._host_kernels = host_runtime / "kernels"
        self._inside_kernels = f"{iso.paths.runtime}/kernels"
        self._images = Path(host_paths.logs) / "images"
        self._image_seq = itertools.count(1)
        self._proc: subprocess.Popen | None = None
        self._client: BlockingKernelClient | None = None
        self._dir: Path | None = None

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        if self._proc is not None:
            return
        name = uuid.uuid4().hex[:8]
        self._dir = self._host_kernels / name
        self._dir.mkdir(parents=True)
        self._dir.chmod(0o777)  # the sandbox uid creates its IPC sockets here
        inside_dir = f"{self._inside_kernels}/{name}"
        info = {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
                "transport": "ipc", "signature_scheme": "hmac-sha256", "key": uuid.uuid4().hex,
                "kernel_name": "python3"}
        (self._dir / "kernel.json").write_text(json.dumps(dict(info, ip=f"{inside_dir}/ipc")))
        with open(self._dir / "kernel.log", "wb") as log_file:  # why a kernel failed to start
            self._proc = self._iso.spawn(
                [self._iso.python, "-m", "ipykernel_launcher", "-f", f"{inside_dir}/kernel.json",
                 "--HistoryManager.enabled=False"],
                env=self._env, cwd=self._cwd, stdin=subprocess.DEVNULL, stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        client = BlockingKernelClient()
        client.load_connection_info(dict(info, ip=str(self._dir / "ipc")))
        client.start_channels()
        self._client = client
        try:
            self._wait_ready()
        except Exception:
            self._stop()
            raise

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                tail = (self._dir / "kernel.log").read_text(errors="replace")[-2000:]
                raise SandboxError(f"the Jupyter kernel exited at start (code {self._proc.returncode}); "
                                   f"is ipykernel installed in the sandbox's python? Its output:\n{tail}")
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
        if self._proc is not None:
            self._iso.kill_tree(self._proc)
            self._proc = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def restart(self) -> None:
        """Fresh kernel; all state is lost."""
        self._stop()
        self.start()

    def close(self) -> None:
        self._stop()

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    # -- execution -------------------------------------------------------------------------------
    def execute(self, code: str, timeout: float | None = None) -> CellResult:
        """Run one cell. Never raises for the cell's own errors (except WallTimeExceeded)."""
        t0 = time.monotonic()
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
        killed = None
        if status == "timeout":
            killed = "wall_time" if wall_bound else "timeout"
            self._interrupt()
            status = self._collect(msg_id, out, INTERRUPT_GRACE_S)
            if status != "idle":
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
        return self._result(out, killed, restarted, time.monotonic() - t0)

    def _drain_reply(self, msg_id: str) -> None:
        """Consume the cell's execute_reply so the shell queue does not grow (it follows idle closely)."""
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            try:
                reply = self._client.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                return
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return

    def _interrupt(self) -> None:
        # Message-mode interrupt: a signal to the process group would also hit the isolation wrapper.
        msg = self._client.session.msg("interrupt_request", {})
        self._client.control_channel.send(msg)

    def _collect(self, msg_id: str, out: "_CellOutput", limit: float) -> str:
        """Read iopub until the cell's idle status: 'idle', 'timeout' or 'died'."""
        deadline = time.monotonic() + limit
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            try:
                msg = self._client.get_iopub_msg(timeout=min(left, 0.5))
            except queue.Empty:
                if not self.alive:
                    return "died"
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if self._handle(msg, out):
                return "idle"

    def _handle(self, msg: dict, out: "_CellOutput") -> bool:
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            (out.stdout if content.get("name") == "stdout" else out.stderr).append(content.get("text", ""))
        elif kind in ("execute_result", "display_data"):
            data = content.get("data", {})
            if "image/png" in data:
                out.images.append(self._save_png(data["image/png"]))
            if kind == "execute_result" and "text/plain" in data:
                out.results.append(data["text/plain"])
        elif kind == "error":
            out.error = KernelError(content.get("ename", ""), content.get("evalue", ""),
                                    list(content.get("traceback", [])))
        elif kind == "status" and content.get("execution_state") == "idle":
            return True
        return False

    def _save_png(self, b64: str) -> Path:
        self._images.mkdir(parents=True, exist_ok=True)
        path = self._images / f"cell-{uuid.uuid4().hex[:8]}-{next(self._image_seq)}.png"
        path.write_bytes(base64.b64decode(b64))
        return path

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


class _CellOutput:
    """What a cell produced so far; streams are bounded (a cell may print gigabytes)."""

    def __init__(self, limit: int) -> None:
        self.stdout = CaptureBuffer(limit)
        self.stderr = CaptureBuffer(limit)
        self.results: list[str] = []
        self.images: list[Path] = []
        self.error: KernelError | None = None
