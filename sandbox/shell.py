"""A persistent bash session inside the isolation (cwd and environment persist between commands),
plus background jobs.

Protocol: each command reaches bash over its stdin, as a here-document that bash sources
(`. /dev/stdin <<'END-token'`), so no file on the host carries it (a file the agent could redirect);
then a marker line with a per-command token, the exit code and $PWD is printed. A timeout sends SIGINT
to the session's process group (a trap turns it into `return` from the sourced file, so the rest of
the command is skipped and the session lives); if the command ignores SIGINT, the session is restarted
in the same directory and the output says so."""

from __future__ import annotations

import logging
import shlex
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.backends.base import Isolation
from sandbox.errors import SandboxClosed
from sandbox.process_io import OutputReader, WallClock
from sandbox.results import CaptureBuffer, ExecResult, truncate_middle

log = logging.getLogger(__name__)

INTERRUPT_GRACE_S = 2.0
POLL_S = 0.05
INIT = "trap 'return 130 2>/dev/null' INT\nexport PS1=''\n"


@dataclass
class _Job:
    proc: subprocess.Popen
    reader: OutputReader
    started: float


class Shell:
    """Use `run(cmd, timeout)`; `start_background(cmd)` / `poll(job_id)` / `kill(job_id)`."""

    def __init__(self, iso: Isolation, env: dict[str, str], cwd: str, limit_chars: int, clock: WallClock,
                 default_timeout: float, after: Callable[[], str] = lambda: "") -> None:
        self._iso, self._env, self._limit = iso, env, limit_chars
        self._clock, self._default_timeout, self._after = clock, default_timeout, after
        self.cwd = self._home = cwd
        self._jobs: dict[str, _Job] = {}
        self._proc: subprocess.Popen | None = None
        self._reader: OutputReader | None = None
        self._closed = False

    def _check_open(self) -> None:
        if self._closed:
            raise SandboxClosed("this sandbox is closed; its shell cannot run commands")

    # -- session lifecycle -------------------------------------------------------------------
    def _start(self) -> None:
        # Start in the working dir (always exists), then cd back to where the agent was, if still there.
        self._proc = self._iso.spawn(["bash", "--noprofile", "--norc"], env=self._env, cwd=self._home)
        self._reader = OutputReader(self._proc.stdout.fileno(), self._limit)
        self._send(INIT + f"cd {shlex.quote(self.cwd)} 2>/dev/null\n")

    def _send(self, text: str) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        self._proc.stdin.write(text.encode())
        self._proc.stdin.flush()

    def _restart(self) -> None:
        self._stop()
        self._start()

    def _stop(self) -> None:
        if self._proc is not None:
            self._iso.kill_tree(self._proc)
            for f in (self._proc.stdin, self._proc.stdout):
                try:
                    f and f.close()
                except OSError:
                    pass
            self._proc = None

    def close(self) -> None:
        if self._closed:
            return
        for job_id in list(self._jobs):
            self.kill(job_id)
        self._stop()
        self._closed = True

    # -- foreground commands -------------------------------------------------------------------
    def run(self, cmd: str, timeout: float | None = None) -> ExecResult:
        """Run `cmd` in the session. Never raises for the command's own failures (except the sandbox
        wall clock being used up: WallTimeExceeded; SandboxClosed after close)."""
        self._check_open()
        t0 = time.monotonic()
        self._iso.sweep()
        limit, wall_bound = self._clock.budget(timeout or self._default_timeout)
        prefix = ""
        if self._proc is None or self._proc.poll() is not None:
            self._restart()
        elif self._iso.pids_limit_hits() > self._pids_seen:
            # Something left running by an earlier command (a `&` fork bomb) hit the process limit.
            self._restart()
            prefix = ("[a background process of an earlier command hit the process limit: the shell was restarted "
                      f"in {self.cwd} and everything it ran was killed]\n")
        token = f"__MLS_{uuid.uuid4().hex}__"
        self._reader.reset()
        oom0, pids0 = self._iso.oom_count(self._proc), self._iso.pids_limit_hits()
        # bash reads the whole here-document before running it, so the command's stdin is at its end.
        self._send(f". /dev/stdin <<'END{token}'\n{cmd}\nEND{token}\n"
                   f"printf '\\036{token}:%d:%s\\n' \"$?\" \"$PWD\"\n")
        killed, note = self._wait(token, limit, pids0)
        out, code = self._collect(token)
        if killed is None and self._iso.pids_limit_hits() > pids0:
            # A fork bomb may run on in the background after the command returned: kill it all.
            self._restart()
            killed, note = "pids", (f"\n[process limit hit (fork bomb?): everything in the shell was killed and a "
                                    f"new shell started in {self.cwd}; environment variables were reset]")
        timed_out = killed == "timeout"
        if killed is None:
            killed = self._reason(code, out, oom0)
        elif timed_out and wall_bound:
            killed = "wall_time"
        self._pids_seen = self._iso.pids_limit_hits()
        note += self._after()
        return ExecResult(prefix + out + note, code, timed_out, time.monotonic() - t0, killed)

    def _wait(self, token: str, limit: float, pids0: int) -> tuple[str | None, str]:
        """Wait for the marker; on timeout interrupt, then restart. Returns (killed reason, note)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self._reader.wait_for(token, min(POLL_S * 4, max(deadline - time.monotonic(), 0))):
                return None, ""
            if self._reader.eof:
                self._restart_keeping_output()
                return None, (f"\n[the shell exited (e.g. `exit` or a fatal signal); a new shell was started in "
                              f"{self.cwd}; environment variables were reset]")
            if self._iso.pids_limit_hits() > pids0:
                self._restart_keeping_output()
                return "pids", ("\n[process limit hit (fork bomb?): everything in the shell was killed and a new "
                                f"shell started in {self.cwd}; environment variables were reset]")
        self._iso.interrupt(self._proc)
        if self._reader.wait_for(token, INTERRUPT_GRACE_S):
            return "timeout", f"\n[command interrupted after the {limit:.0f} s timeout]"
        self._restart_keeping_output()
        return "timeout", (f"\n[command timed out after {limit:.0f} s and ignored the interrupt: the shell was "
                           f"restarted in {self.cwd}; environment variables were reset]")

    def _restart_keeping_output(self) -> None:
        self._pending = self._reader.snapshot()
        self._restart()

    def _collect(self, token: str) -> tuple[str, int | None]:
        """(truncated output, exit code) of the command that just ended; updates the known cwd."""
        buf, self._pending = (self._pending, None) if self._pending else (self._reader.snapshot(), None)
        raw = buf.raw()
        before, marker, after = raw.rpartition("\x1e" + token + ":")
        if not marker:  # killed before the marker: everything read is output
            return truncate_middle(raw, self._limit, buf.dropped), None
        code_s, _, rest = after.partition(":")
        self.cwd = rest.split("\n", 1)[0] or self.cwd
        return truncate_middle(before, self._limit, buf.dropped), int(code_s) if code_s.isdigit() else None

    _pending: CaptureBuffer | None = None
    _pids_seen = 0

    def _reason(self, code: int | None, out: str, oom0: int) -> str | None:
        if self._proc is not None and self._iso.oom_count(self._proc) > oom0:
            return "memory"
        if code == 128 + 25 or "File too large" in out[-2000:] or "File size limit exceeded" in out[-2000:]:
            return "file_size"
        return None

    # -- background jobs -------------------------------------------------------------------------
    def start_background(self, cmd: str) -> str:
        """Start `cmd` in a fresh bash in the session's current directory; returns a job id."""
        self._check_open()
        self._clock.check()
        proc = self._iso.spawn(["bash", "--noprofile", "--norc", "-c", cmd], env=self._env, cwd=self.cwd,
                               stdin=subprocess.DEVNULL)
        job_id = f"job-{len(self._jobs) + 1}"
        self._jobs[job_id] = _Job(proc, OutputReader(proc.stdout.fileno(), self._limit), time.monotonic())
        return job_id

    def poll(self, job_id: str) -> ExecResult:
        """Output so far; exit_code is None while the job runs."""
        job = self._job(job_id)
        code = job.proc.poll()
        if code is not None:
            job.reader.wait_eof(1.0)
        text = job.reader.snapshot().text(self._limit)
        return ExecResult(text, code, False, time.monotonic() - job.started)

    def kill(self, job_id: str) -> ExecResult:
        job = self._job(job_id)
        self._iso.kill_tree(job.proc)
        job.reader.wait_eof(1.0)
        text = job.reader.snapshot().text(self._limit)
        return ExecResult(text, job.proc.returncode, False, time.monotonic() - job.started, "killed")

    def _job(self, job_id: str):
        self._check_open()
        if job_id not in self._jobs:
            raise KeyError(f"no background job {job_id!r}; known: {', '.join(self._jobs) or 'none'}")
        return self._jobs[job_id]
