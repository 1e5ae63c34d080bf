"""Execute Script, and finding the files agent code changed.

Scripts run through a small launcher written into the workspace: it changes to the workspace root
(MLAgentBench ran scripts from there) and then either becomes `python -u <script>` (stdout and stderr
interleaved, the fix) or runs the script as a child and prints only its stdout when it succeeds, only
its stderr when it fails (MLAgentBench's behaviour). Either way `sandbox.run_script` runs it, so the
sandbox's timeout, process-tree kill, memory limit and output truncation apply.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from scaffolds.mlab import prompts

if TYPE_CHECKING:
    from sandbox import ExecResult, Sandbox

HARNESS_DIR = "logs/mlab"  # MLAB's own files in the workspace (launcher, change marker)
LAUNCHER = f"{HARNESS_DIR}/run_script.py"
MARKER = f"{HARNESS_DIR}/step_marker"

LAUNCHER_CODE = '''\
"""Runs one script for MLAB's Execute Script: argv = workspace root, script, mode (see scaffolds/mlab/execute.py)."""
import os
import selectors
import subprocess
import sys

home, script, mode = sys.argv[1], sys.argv[2], sys.argv[3]
os.chdir(home)
command = [sys.executable, "-u", script]
if mode == "combined":
    os.execv(sys.executable, command)

KEEP = 1_000_000  # characters kept of each stream (head), so a chatty script cannot fill the memory
proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
streams = {proc.stdout: [], proc.stderr: []}
sizes = {proc.stdout: 0, proc.stderr: 0}
selector = selectors.DefaultSelector()
for stream in streams:
    selector.register(stream, selectors.EVENT_READ)
while selector.get_map():
    for key, _ in selector.select():
        chunk = os.read(key.fd, 65536)
        if not chunk:
            selector.unregister(key.fileobj)
        elif sizes[key.fileobj] < KEEP:
            streams[key.fileobj].append(chunk)
            sizes[key.fileobj] += len(chunk)
code = proc.wait()
out, err = (b"".join(streams[s]).decode("utf-8", "replace") for s in (proc.stdout, proc.stderr))
shown = out if code == 0 else err
sys.stdout.write(shown if shown or code != 0 else err)
sys.exit(code)
'''


@dataclass(frozen=True)
class ScriptRun:
    observation: str
    result: ExecResult


def execute_script(sandbox: Sandbox, script_name: str, timeout_s: float, combined: bool) -> ScriptRun:
    """Run `script_name` (checked to exist) with the launcher; the observation in MLAB's wording."""
    sandbox.read_file(script_name)  # raises SandboxPathError for a missing script or a path outside
    sandbox.write_file(LAUNCHER, LAUNCHER_CODE)
    home = sandbox.paths.home
    result = sandbox.run_script(LAUNCHER, timeout=timeout_s,
                                args=[home, script_name, "combined" if combined else "split"])
    if not combined:
        return ScriptRun(prompts.text("script_output_split", output=result.output), result)
    return ScriptRun(prompts.text("script_output", how=_how(result, timeout_s), output=result.output), result)


def _how(result: ExecResult, timeout_s: float) -> str:
    if result.timed_out:
        return f" and was stopped after {prompts.format_time(timeout_s)}, its time limit"
    if result.killed_reason == "memory":
        return " and was killed: it ran out of memory"
    if result.killed_reason:
        return f" and was killed ({result.killed_reason})"
    if result.exit_code:
        return f" and failed with exit code {result.exit_code}"
    return ""


def mark(sandbox: Sandbox) -> None:
    """Remember "now" for `changed_files` (the marker's modification time)."""
    sandbox.write_file(MARKER, "")


@dataclass(frozen=True)
class ChangedFile:
    path: str  # relative to the workspace root
    size: int


def changed_files(sandbox: Sandbox) -> list[ChangedFile]:
    """Files under the workspace root modified since `mark`, except data and MLAB's own files."""
    return _find(sandbox, (), newer_than_marker=True)


def files_under(sandbox: Sandbox, skip: tuple[str, ...] = ()) -> list[ChangedFile]:
    """Every file under the workspace root, except data, MLAB's own files and the folders in `skip`."""
    return _find(sandbox, skip, newer_than_marker=False)


def _find(sandbox: Sandbox, skip: tuple[str, ...], newer_than_marker: bool) -> list[ChangedFile]:
    """`find` inside the sandbox, so nothing on the host follows a link the agent planted."""
    home = sandbox.paths.home
    prune = " ".join(f"-path {shlex.quote(f'{home}/{d}')} -prune -o" for d in ("data", HARNESS_DIR, *skip))
    newer = f"-newer {shlex.quote(f'{home}/{MARKER}')} " if newer_than_marker else ""
    command = f"find {shlex.quote(home)} -xdev {prune} -type f {newer}-printf '%s\\t%P\\n' 2>/dev/null"
    found = []
    for line in sandbox.shell.run(command, timeout=120).output.splitlines():
        size, _, path = line.partition("\t")
        parts = PurePosixPath(path).parts
        if size.isdigit() and path and not path.startswith("/") and ".." not in parts:
            found.append(ChangedFile(path, int(size)))
    return sorted(found, key=lambda f: f.path)
