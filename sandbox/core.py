"""Sandbox: one isolated workspace with a shell, a Jupyter kernel, scripts, files and validation."""

from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import subprocess
import tempfile
import time
import uuid
from pathlib import Path, PurePosixPath

from sandbox import cgroups
from sandbox.backends import select_backend
from sandbox.backends.base import GRADER_SOCKET, VALIDATION_PORT, Isolation, IsolationSpec, SandboxPaths
from sandbox.config import SandboxConfig, ValidationResult
from sandbox.errors import SandboxClosed, SandboxError, SandboxPathError
from sandbox.process_io import OutputReader, WallClock
from sandbox.results import ExecResult
from sandbox.shell import Shell
from sandbox.validation import ValidationServer, run_validator
from sandbox.workspace import PathResolver, create_workspace, list_dir, read_text, write_text

log = logging.getLogger(__name__)

SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL", re.IGNORECASE)
THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def build_env(iso: Isolation, config: SandboxConfig) -> dict[str, str]:
    """The environment inside: an allow-list built from scratch, never inherited from the harness."""
    bad = [k for k in config.env if SECRET_NAME.search(k)]
    if bad:
        raise SandboxError(f"refusing to pass {', '.join(bad)} into the sandbox: secrets must stay on the host")
    lim = config.limits
    env = {
        "PATH": iso.search_path,
        "HOME": iso.paths.home,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "PYTHONUNBUFFERED": "1",
        "MPLBACKEND": "Agg",
        "TMPDIR": f"{iso.paths.runtime}/tmp",  # the sandbox's own tmp (also mounted at /tmp when isolated)
        "CUDA_VISIBLE_DEVICES": lim.gpus or "",
        "MPLCONFIGDIR": f"{iso.paths.runtime}/tmp/matplotlib",
        "IPYTHONDIR": f"{iso.paths.runtime}/tmp/ipython",
    }
    if lim.cpus:
        env.update({k: str(max(int(lim.cpus), 1)) for k in THREAD_VARS})
    env.update(config.env)
    return env


class Sandbox:
    """Open with `open_sandbox(config)`; close with `close()` or a `with` block."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self._closed = True
        workspace = Path(config.workspace).resolve()
        data = Path(config.data_dir).resolve()
        if not data.is_dir():
            raise SandboxError(f"data dir {data} does not exist; prepare the competition first")
        create_workspace(workspace)
        _reap_stale()
        # Short (Unix socket paths max 107 bytes) and named after this process, so leftovers of a
        # harness that was killed can be recognised and removed by the next one.
        runtime = Path(tempfile.mkdtemp(prefix=f"mls-{os.getpid()}-"))
        for sub in ("kernels", "grader", "tmp", "shell"):
            (runtime / sub).mkdir()
        shutil.copy(Path(__file__).with_name("forwarder.py"), runtime / "forwarder.py")
        self.host_paths = SandboxPaths.under(workspace, data, runtime)
        self.sandbox_id = f"{os.getpid()}-{uuid.uuid4().hex[:10]}"  # names cgroups/containers
        self._runtime = runtime
        self._clock = WallClock(config.limits.wall_time_s)
        self._server: ValidationServer | None = None
        self._iso: Isolation | None = None
        try:
            self._open(select_backend(config.backend))
        except BaseException:
            self._closed = False
            self.close()
            raise

    def _open(self, cls: type[Isolation]) -> None:
        spec = IsolationSpec(self.host_paths, self.config.limits, self.sandbox_id, self.config.image)
        self._iso = iso = cls(spec)
        self.backend = iso.name
        self.paths = iso.paths
        self._closed = False
        if iso.name == "local":
            self._server = ValidationServer(self.config.validator)
            self.validation_url = f"{self._server.url}/validate"
        else:
            self._server = ValidationServer(self.config.validator, socket_path=self._runtime / GRADER_SOCKET)
            self.validation_url = f"http://localhost:{VALIDATION_PORT}/validate"
        self._write_validate_script()
        iso.start()
        self.env = build_env(iso, self.config)
        self._files = PathResolver(self.host_paths, self.paths)
        lim = self.config.limits
        self.shell = Shell(iso, self.env, self.paths.working, self._runtime, self.config.output_limit_chars,
                           self._clock, lim.action_timeout_s)
        from sandbox.kernel import Kernel  # jupyter_client is heavy; import when a sandbox opens

        self.kernel = Kernel(iso, self.env, self.paths.working, self._runtime, self.host_paths,
                             self.config.output_limit_chars, self._clock, lim.action_timeout_s)

    @property
    def isolation(self) -> Isolation:
        self._check_open()
        return self._iso

    def _write_validate_script(self) -> None:
        script = (
            "#!/bin/sh\n# Checks a submission's format (never its score). Usage: validate_submission.sh [FILE]\n"
            f'curl -s -X POST -F "file=@${{1:-{self._inside("submission")}/submission.csv}}" '
            f"{self.validation_url}\necho\n"
        )
        path = Path(self.host_paths.home) / "validate_submission.sh"
        path.write_text(script)
        path.chmod(0o755)

    def _inside(self, name: str) -> str:
        return getattr(self._iso.paths, name)

    def _check_open(self) -> None:
        if self._closed:
            raise SandboxClosed("this sandbox is closed; open a new one with open_sandbox(config)")

    # -- actions ------------------------------------------------------------------------------------
    def run_script(self, path: str, timeout: float | None = None, args: list[str] | tuple = ()) -> ExecResult:
        """Run a python file as a fresh process (cwd: working dir); the whole tree dies on timeout."""
        self._check_open()
        host = self._files.resolve(path)
        if not host.is_file():
            raise SandboxPathError(f"no such script in the sandbox: {path!r}")
        inside = self._to_inside(host)
        limit, wall_bound = self._clock.budget(timeout or self.config.limits.action_timeout_s)
        t0 = time.monotonic()
        pids0 = self._iso.pids_limit_hits()
        proc = self._iso.spawn([self._iso.python, inside, *args], env=self.env, cwd=self.paths.working,
                               stdin=subprocess.DEVNULL)
        reader = OutputReader(proc.stdout.fileno(), self.config.output_limit_chars)
        killed = None
        try:
            proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            killed = "wall_time" if wall_bound else "timeout"
        oom = self._iso.oom_count(proc) > 0  # a fresh process: any OOM kill in its tree is its own
        self._iso.kill_tree(proc)  # also reaps grandchildren left behind by a finished script
        reader.wait_eof(2.0)
        proc.stdout.close()
        code = None if killed else proc.returncode
        if killed is None:
            killed = "memory" if oom else "pids" if self._iso.pids_limit_hits() > pids0 and code else None
            if killed is None and (code == -25 or code == 153):
                killed = "file_size"
        text = reader.snapshot().text(self.config.output_limit_chars)
        if killed in ("timeout", "wall_time"):
            text += f"\n[script killed after {limit:.0f} s ({killed})]"
        return ExecResult(text, code, killed in ("timeout", "wall_time"), time.monotonic() - t0, killed)

    def _to_inside(self, host: Path) -> str:
        rel = self._files.to_relative(host)
        if rel.startswith("data/") or rel == "data":
            return str(Path(self.paths.data) / rel[5:])
        return str(Path(self.paths.home) / rel)

    def read_file(self, path: str) -> str:
        self._check_open()
        return read_text(self._files, path)

    def write_file(self, path: str, content: str) -> None:
        self._check_open()
        write_text(self._files, path, content)

    def list_files(self, path: str = ".") -> list[str]:
        self._check_open()
        return list_dir(self._files, path)

    def validate(self, path: str = "submission/submission.csv") -> ValidationResult:
        """Format check of a submission file in the workspace, by the configured validator."""
        self._check_open()
        host = self._files.resolve(path)
        if not host.is_file():
            return ValidationResult(False, f"submission file not found: {path}")
        return run_validator(self.config.validator, host)

    def copy_out(self, path: str, dest: Path, max_bytes: int = 4 << 30) -> Path:
        """Copy a regular file of the workspace to the host path `dest`, never following a link.

        Raises:
            SandboxPathError: the path is outside the workspace, a component is a link or not a
                directory, the file is not a regular file, or it is larger than `max_bytes`.
        """
        self._check_open()
        host = self._files.resolve(path)
        rel = PurePosixPath(self._files.to_relative(host))
        fd = os.open(self._files.ws, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            for part in rel.parts[:-1]:
                nxt = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
                os.close(fd)
                fd = nxt
            src = os.open(rel.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
        except OSError as exc:
            raise SandboxPathError(f"cannot copy {path!r} out of the sandbox: {exc.strerror}") from None
        finally:
            os.close(fd)
        with os.fdopen(src, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
                raise SandboxPathError(f"{path!r} is not a regular file of at most {max_bytes} bytes")
            dest.parent.mkdir(parents=True, exist_ok=True)
            with open(dest, "wb") as out:
                shutil.copyfileobj(handle, out)
        return dest

    # -- lifecycle --------------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop every process, the validation server; remove cgroups and temp dirs. Idempotent."""
        if self._closed:
            return
        self._closed = True
        for part in ("kernel", "shell"):
            obj = getattr(self, part, None)
            if obj is not None:
                _quietly(obj.close)
        if self._iso is not None:
            _quietly(self._iso.close)
        if self._server is not None:
            _quietly(self._server.close)
        shutil.rmtree(self._runtime, ignore_errors=True)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reap_stale() -> None:
    """Remove runtime dirs and cgroups of sandboxes whose harness died without closing them."""
    for d in Path(tempfile.gettempdir()).glob("mls-*-*"):
        pid = d.name.split("-")[1]
        if pid.isdigit() and not cgroups.pid_alive(int(pid)) and (d / "forwarder.py").exists():
            shutil.rmtree(d, ignore_errors=True)
    if cgroups.usable():
        cgroups.reap_stale()


def _quietly(fn) -> None:
    try:
        fn()
    except Exception:
        log.warning("error while closing the sandbox", exc_info=True)


def open_sandbox(config: SandboxConfig) -> Sandbox:
    """Open a sandbox (backend chosen by config.backend; "auto": docker, else bwrap, else local)."""
    return Sandbox(config)
