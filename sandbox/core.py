"""Sandbox: one isolated workspace with a shell, a Jupyter kernel, scripts, files and validation.

The methods an agent loop may call, their errors and limits, are documented in sandbox/api.py. Every
host-side file operation on the workspace goes through sandbox.safefs: it never follows a link."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path

from sandbox import safefs, volume
from sandbox.backends import select_backend
from sandbox.backends.base import (
    GRADER_SOCKET, VALIDATION_PORT, Isolation, IsolationSpec, SandboxPaths, agent_owner,
)
from sandbox.config import SandboxConfig, ValidationResult
from sandbox.errors import SandboxClosed, SandboxError, SandboxPathError
from sandbox.kernel import Kernel
from sandbox.process_io import OutputReader, WallClock
from sandbox.results import ExecResult
from sandbox.runtime import RuntimeDir, reap_stale
from sandbox.shell import Shell
from sandbox.validation import ValidationServer, run_validator
from sandbox.workspace import Located, PathResolver, create_workspace

log = logging.getLogger(__name__)

SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL", re.IGNORECASE)
THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def build_env(iso: Isolation, config: SandboxConfig, tmp: str) -> dict[str, str]:
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
        "TMPDIR": tmp,
        "CUDA_VISIBLE_DEVICES": lim.gpus or "",
        "MPLCONFIGDIR": f"{tmp}/matplotlib",
        "IPYTHONDIR": f"{tmp}/ipython",
    }
    if lim.cpus:
        env.update({k: str(max(int(lim.cpus), 1)) for k in THREAD_VARS})
    env.update(config.env)
    return env


class ActionGuard:
    """What the harness checks after every action: the disk quota, and (without a nosuid volume) that
    no setuid/setgid file was left in the workspace."""

    def __init__(self, vol: volume.Volume | None, workspace: Path, strip: bool) -> None:
        self._vol, self._ws, self._strip = vol, workspace, strip

    def after(self) -> str:
        if self._strip:
            safefs.strip_setid(self._ws)
        if self._vol is not None and self._vol.full():
            return self._vol.quota_note()
        return ""


class Sandbox:
    """Open with `open_sandbox(config)`; close with `close()` or a `with` block. See sandbox/api.py."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self._closed = True
        self._runtime: RuntimeDir | None = None
        self._volume: volume.Volume | None = None
        self._server: ValidationServer | None = None
        self._iso: Isolation | None = None
        workspace = Path(config.workspace).resolve()
        data = Path(config.data_dir).resolve()
        if not data.is_dir():
            raise SandboxError(f"data dir {data} does not exist; prepare the competition first")
        cls = select_backend(config.backend)
        self.owner = None if cls.name == "local" else agent_owner()
        reap_stale()
        try:
            self._runtime = RuntimeDir.create()
            workspace.mkdir(parents=True, exist_ok=True)
            lim = config.limits
            if lim.disk_mb and volume.usable():
                self._volume = volume.Volume.open(self._runtime.root, workspace, lim.disk_mb, lim.max_files,
                                                  self.owner)
                tmp = self._volume.tmp
            else:
                tmp = self._runtime.plain_tmp()
            create_workspace(workspace, self.owner)
            self.host_paths = SandboxPaths.under(workspace, data, self._runtime.box)
            self.sandbox_id = f"{os.getpid()}-{uuid.uuid4().hex[:10]}"  # names cgroups/containers
            self._open(cls, tmp)
        except BaseException:
            self._closed = False
            self.close()
            raise

    def _open(self, cls: type[Isolation], tmp: Path) -> None:
        spec = IsolationSpec(self.host_paths, self.config.limits, self.sandbox_id, self.config.image, str(tmp))
        self._iso = iso = cls(spec)
        self.backend = iso.name
        self.paths = iso.paths
        self._closed = False
        uploads = self._runtime.root / "uploads"
        uploads.mkdir(mode=0o700)
        if iso.name == "local":
            self._server = ValidationServer(self.config.validator, upload_dir=uploads)
            self.validation_url = f"{self._server.url}/validate"
        else:
            self._server = ValidationServer(self.config.validator, socket_path=self._runtime.box / GRADER_SOCKET,
                                            upload_dir=uploads)
            self.validation_url = f"http://localhost:{VALIDATION_PORT}/validate"
        self._files = PathResolver(self.host_paths, self.paths)
        self._write_validate_script()
        iso.start()
        iso.capabilities = dataclasses.replace(iso.capabilities, disk_limited=self._volume is not None)
        self._clock = WallClock(self.config.limits.wall_time_s)  # from when the sandbox can run things
        inside_tmp = str(tmp) if iso.name == "local" else "/tmp"
        self.env = build_env(iso, self.config, inside_tmp)
        lim = self.config.limits
        self._guard = ActionGuard(self._volume, self._files.ws, strip=self._volume is None and self.owner is not None)
        self.shell = Shell(iso, self.env, self.paths.working, self.config.output_limit_chars, self._clock,
                           lim.action_timeout_s, self._guard.after)
        self.kernel = Kernel(iso, self.env, self.paths.working, self._runtime.box, self._files.ws, self.owner,
                             self.config.output_limit_chars, self._clock, lim.action_timeout_s, self._guard.after)

    @property
    def isolation(self) -> Isolation:
        self._check_open()
        return self._iso

    def _write_validate_script(self) -> None:
        script = (
            "#!/bin/sh\n# Checks a submission's format (never its score). Usage: validate_submission.sh [FILE]\n"
            f'curl -s -X POST -F "file=@${{1:-{self._iso.paths.submission}/submission.csv}}" '
            f"{self.validation_url}\necho\n"
        )
        safefs.write_bytes(self._files.ws, "validate_submission.sh", script.encode(), mode=0o755)

    def _check_open(self) -> None:
        if self._closed:
            raise SandboxClosed("this sandbox is closed; open a new one with open_sandbox(config)")

    # -- actions ------------------------------------------------------------------------------------
    def run_script(self, path: str, timeout: float | None = None, args: list[str] | tuple = ()) -> ExecResult:
        """Run a python file as a fresh process (cwd: working dir); the whole tree dies on timeout."""
        self._check_open()
        loc = self._files.locate(path)
        if not safefs.is_regular_file(loc.root, loc.rel):
            raise SandboxPathError(f"no such script in the sandbox (or not a regular file): {path!r}")
        inside = self._files.inside_path(loc, self.paths)
        limit, wall_bound = self._clock.budget(timeout or self.config.limits.action_timeout_s)
        t0 = time.monotonic()
        self._iso.sweep()
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
        text += self._guard.after()
        return ExecResult(text, code, killed in ("timeout", "wall_time"), time.monotonic() - t0, killed)

    def read_file(self, path: str, max_bytes: int = safefs.READ_LIMIT) -> str:
        """The text of a workspace or data file (UTF-8, undecodable bytes replaced)."""
        self._check_open()
        loc = self._files.locate(path)
        return safefs.read_bytes(loc.root, loc.rel, max_bytes).decode("utf-8", errors="replace")

    def write_file(self, path: str, content: str) -> None:
        """Write a text file in the workspace (parent dirs created), replacing what was there."""
        self._check_open()
        loc = self._files.writable(path)
        safefs.write_bytes(loc.root, loc.rel, content.encode("utf-8"), owner=self.owner)

    def list_files(self, path: str = ".") -> list[str]:
        """Names in a workspace or data directory; directories end with '/'."""
        self._check_open()
        loc = self._files.locate(path)
        names = safefs.list_names(loc.root, loc.rel)
        if not loc.in_data and not loc.rel:
            names = sorted(set(names) | {"data/"})
        return names

    def copy_out(self, inside_path: str, host_dest: Path, max_bytes: int = safefs.COPY_LIMIT) -> Path:
        """Copy a regular file of the sandbox to `host_dest` on the host (never through a link)."""
        self._check_open()
        loc = self._files.locate(inside_path)
        return safefs.copy_out(loc.root, loc.rel, Path(host_dest), max_bytes)

    def copy_in(self, host_src: Path, inside_path: str) -> None:
        """Copy the harness's own file `host_src` into the workspace at `inside_path`."""
        self._check_open()
        loc = self._files.writable(inside_path)
        safefs.copy_in(Path(host_src), loc.root, loc.rel, owner=self.owner)

    def clear(self, inside_dir: str) -> None:
        """Make a workspace directory empty (created if missing; a link put in its place is removed)."""
        self._check_open()
        loc = self._files.writable(inside_dir)
        safefs.clear_dir(loc.root, loc.rel, owner=self.owner)

    def exists(self, path: str) -> bool:
        """Is there a regular file at `path` (links are not followed, so a link is not one)?"""
        self._check_open()
        try:
            loc = self._files.locate(path)
        except SandboxPathError:
            return False
        return safefs.is_regular_file(loc.root, loc.rel)

    def validate(self, path: str = "submission/submission.csv") -> ValidationResult:
        """Format check of a submission file: copied out first (no links followed), the copy checked.
        Never raises for a bad path or file: the result is invalid and says why."""
        self._check_open()
        folder = self._runtime.root / "validate" / uuid.uuid4().hex
        try:
            loc = self._files.locate(path)
            copy = self._copy_for_check(loc, folder)
        except SandboxPathError as exc:
            return ValidationResult(False, f"submission not checked: {exc}")
        except OSError as exc:
            return ValidationResult(False, f"submission could not be read: {exc.strerror or exc}")
        try:
            return run_validator(self.config.validator, copy)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def validate_copy(self, host_copy: Path) -> ValidationResult:
        """Format check of a file the harness already copied out (with copy_out): the copy it keeps is
        exactly the copy checked, with no second copy. Never raises for a bad file."""
        self._check_open()
        return run_validator(self.config.validator, Path(host_copy))

    def _copy_for_check(self, loc: Located, folder: Path) -> Path:
        folder.mkdir(parents=True, mode=0o700)
        name = loc.rel.rsplit("/", 1)[-1] or "submission.csv"
        return safefs.copy_out(loc.root, loc.rel, folder / name)

    # -- lifecycle --------------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop every process and the validation server; remove cgroups; copy the quota volume back
        into the workspace dir; remove temp dirs. Idempotent."""
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
        if self._volume is not None:
            try:
                self._volume.close()
            except Exception:  # the image stays; the next sandbox opened recovers it
                log.exception("could not copy the sandbox volume back; it will be recovered later")
                return
        elif self.owner is not None and hasattr(self, "_files"):
            _quietly(lambda: safefs.strip_setid(self._files.ws))
        if self._runtime is not None:
            self._runtime.remove()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _quietly(fn) -> None:
    try:
        fn()
    except Exception:
        log.warning("error while closing the sandbox", exc_info=True)


def open_sandbox(config: SandboxConfig) -> Sandbox:
    """Open a sandbox (backend chosen by config.backend; "auto": docker, else bwrap; never local)."""
    return Sandbox(config)
