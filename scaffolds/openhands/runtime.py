"""Runs one CodeAct action in the sandbox and turns the result into an `Observation`.

Bash goes to the sandbox's persistent shell. A foreground command has a hard timeout, after which the
shell interrupts it (Ctrl-C). Jobs the model starts with `&` keep running (a non-interactive shell
ignores Ctrl-C for them); an empty command waits for them, `is_input` with C-c stops them. Cells go to
the sandbox's Jupyter kernel; the figures they display are copied into the run directory and
described in text (the LLM layer sends text only, so no model sees the pixels).
"""

from __future__ import annotations

import io
import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox import truncate_middle
from sandbox.errors import SandboxError
from scaffolds.core import aids
from scaffolds.openhands import prompts
from scaffolds.openhands.editor import Editor, EditorError

if TYPE_CHECKING:
    from sandbox import CellResult, Sandbox
    from scaffolds.openhands.config import ActionConfig

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CTRL_C = ("C-c", "c-c", "^C", "\x03", "ctrl-c", "ctrl+c")
MIN_TIMEOUT_S = 1.0
IMAGE_LIMIT = 50 * 1024 * 1024  # a displayed figure is never near this; a planted giant file is not copied

# Runs once in each new kernel: every display of a matplotlib figure (plt.show(), the inline backend's
# end-of-cell flush, display(fig), a figure as a cell's value) goes through the display formatter, so a
# wrapper around it notes what each figure shows, in the order the images are saved. (A per-type
# formatter would not do: activating the inline backend removes every Figure formatter.)
FIGURE_HOOK = r'''
def _mls_install_figure_notes():
    formatter = get_ipython().display_formatter
    original = formatter.format

    def describe(fig):
        axes = []
        for ax in fig.axes:
            legend = ax.get_legend()
            axes.append({"title": ax.get_title(), "x": ax.get_xlabel(), "y": ax.get_ylabel(),
                         "lines": len(ax.lines), "bars": len(ax.patches), "scatter": len(ax.collections),
                         "images": len(ax.images),
                         "legend": [t.get_text() for t in legend.get_texts()][:8] if legend else []})
        return axes

    def format_and_note(obj, *args, **kwargs):
        kind = type(obj)
        if kind.__name__ == "Figure" and kind.__module__ == "matplotlib.figure":
            try:
                _mls_figure_notes.append(describe(obj))
            except Exception:
                _mls_figure_notes.append([])
        return original(obj, *args, **kwargs)

    formatter.format = format_and_note
_mls_figure_notes = []
_mls_install_figure_notes()
del _mls_install_figure_notes
'''
READ_NOTES = "print(__import__('json').dumps(_mls_figure_notes)); _mls_figure_notes.clear()"


@dataclass
class Observation:
    """What an action produced. `text` is what the model reads (before the limits footer)."""

    text: str
    exit_code: int | None = None
    timed_out: bool = False
    error: bool = False
    exec_s: float = 0.0
    waiting: bool = False  # a wait on background jobs that are still running
    kernel_restarted: bool = False
    images: list[str] = field(default_factory=list)  # run-dir relative paths

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Runtime:
    """The sandbox side of the loop: `execute_bash`, `execute_ipython_cell`, `str_replace_editor`."""

    def __init__(self, sandbox: Sandbox, config: ActionConfig, run_dir: Path, *, error_focus: bool = False,
                 task_lines: str = "") -> None:
        self.sandbox, self.cfg = sandbox, config
        self.error_focus = error_focus  # aids.error_focus: a traceback's failing line leads the observation
        self.task_lines = task_lines  # aids.task_lines: this data's `<- task` lines, for a KeyError on the example's columns
        self.images_dir = run_dir / "images"
        self.editor = Editor(sandbox, config.view_max_chars, config.editor_max_file_mb)
        self._kernel_ready = False

    # ---- bash ----------------------------------------------------------------------------------
    def bash(self, args: dict[str, Any], cap_s: float | None) -> Observation:
        command = args.get("command", "")
        if not isinstance(command, str):
            return Observation(f"ERROR: command must be a string, got {command!r}", error=True)
        is_input = args.get("is_input") in (True, "true", "True", 1)
        empty = not command.strip()
        try:
            timeout = self._timeout(args.get("timeout"),
                                    self.cfg.wait_timeout_s if empty else self.cfg.bash_timeout_s, cap_s)
        except ValueError as exc:
            return Observation(f"ERROR: {exc}", error=True)
        if is_input:
            return self._send_input(command.strip())
        if empty:
            return self._wait_jobs(timeout)
        result = self.sandbox.shell.run(command, timeout=timeout)
        text = self._cut(result.output.rstrip("\n"))
        if result.timed_out:
            text += (f"\n[The command did not finish within {timeout:.0f} s and was interrupted. For long jobs, "
                     "run them in the background with output to a log file, then wait with an empty command.]")
        elif result.exit_code is not None:
            text += f"\n[Command finished with exit code {result.exit_code}]"
        if result.killed_reason and not result.timed_out:
            text += f"\n[Stopped by the sandbox: {result.killed_reason}]"
        text += f"\n[Current working directory: {self.sandbox.shell.cwd}]"
        text = self._script_focus(result.output) + text.lstrip("\n")
        return Observation(text, result.exit_code, result.timed_out, exec_s=result.duration_s)

    def _script_focus(self, output: str) -> str:
        """aids.error_focus for a command: where the agent's own script (a file in the workspace) failed."""
        script = aids.failing_script(output, self.sandbox.paths.home) if self.error_focus else None
        if script is None:
            return ""
        try:  # the sandbox reads it, never following a link the agent planted
            code = self.sandbox.read_file(script)
        except SandboxError:
            return ""
        focus = aids.host_error_focus(self.sandbox, code, output, script, self.task_lines)
        return prompts.text("aids_focus", focus=focus) if focus else ""

    def _timeout(self, requested: Any, default: float, cap_s: float | None) -> float:
        if requested is None or requested == "":
            timeout = default
        else:
            try:
                timeout = float(requested)
            except (TypeError, ValueError):
                raise ValueError(f"timeout must be a number of seconds, got {requested!r}") from None
            if timeout <= 0:
                raise ValueError(f"timeout must be positive, got {requested!r}")
        if cap_s is not None:
            timeout = min(timeout, max(cap_s, MIN_TIMEOUT_S))
        return timeout

    def _wait_jobs(self, timeout: float) -> Observation:
        script = ('__mls_jobs=$(jobs -pr); if [ -z "$__mls_jobs" ]; then echo "[No background job is running '
                  'in this shell.]"; else for __mls_p in $__mls_jobs; do wait $__mls_p; '
                  'echo "[Background job $__mls_p ended with exit code $?]"; done; fi')
        result = self.sandbox.shell.run(script, timeout=timeout)
        if not result.timed_out:
            return Observation(result.output.strip(), 0, exec_s=result.duration_s)
        running = self.sandbox.shell.run("jobs -lr", timeout=10).output.strip()
        ended = "\n".join(line for line in result.output.splitlines() if line.startswith("[Background job"))
        text = "\n".join(p for p in (ended, f"[Waited {timeout:.0f} s; still running:]\n{running}") if p)
        return Observation(text, None, False, exec_s=result.duration_s, waiting=bool(running))

    def _send_input(self, command: str) -> Observation:
        if command not in CTRL_C:
            return Observation(
                "ERROR: no program is waiting for input. Each command runs to its end (or its timeout) without "
                "a terminal; give programs their input with pipes, files or flags. Only C-c is accepted as "
                "input: it stops this shell's background jobs.", error=True)
        script = ('__mls_jobs=$(jobs -pr); if [ -z "$__mls_jobs" ]; then echo "[No background job is running.]"; '
                  'else for __mls_p in $__mls_jobs; do pkill -TERM -P $__mls_p 2>/dev/null; '
                  'kill -TERM $__mls_p 2>/dev/null; echo "[Stopped background job $__mls_p]"; done; fi')
        result = self.sandbox.shell.run(script, timeout=30)
        return Observation(result.output.strip(), result.exit_code, exec_s=result.duration_s)

    # ---- ipython -------------------------------------------------------------------------------
    def ipython(self, args: dict[str, Any], cap_s: float | None, step: int) -> Observation:
        code = args.get("code")
        if not isinstance(code, str) or not code.strip():
            return Observation("ERROR: execute_ipython_cell needs non-empty code", error=True)
        timeout = self._timeout(None, self.cfg.bash_timeout_s, cap_s)
        if not self._kernel_ready:
            self._setup_kernel(timeout)
        cell = self.sandbox.kernel.execute(code, timeout=timeout)
        if cell.kernel_restarted:
            self._kernel_ready = False
        parts = [cell.stdout, cell.stderr, *cell.results]
        if cell.error is not None:
            parts.append(ANSI.sub("", "\n".join(cell.error.traceback)) or f"{cell.error.ename}: {cell.error.evalue}")
        text = self._cut("\n".join(p.rstrip("\n") for p in parts if p.strip()))
        if self.error_focus and cell.error is not None:
            focus = aids.host_error_focus(self.sandbox, code, ANSI.sub("", "\n".join(cell.error.traceback)),
                                          aids.CELL, self.task_lines)
            text = prompts.text("aids_focus", focus=focus) + text if focus else text
            # where the model reads last: a small model otherwise runs a script file it never wrote
            text += "\n" + prompts.text("aids_resend_cell")
        images = self._save_images(cell, step)
        if images:
            text += "\n" + self._describe(images, cell)
        if not text.strip():
            text = "[The cell ran and produced no output]"
        return Observation(text, None, cell.timed_out, error=cell.error is not None, exec_s=cell.duration_s,
                           kernel_restarted=cell.kernel_restarted, images=[str(p) for p in images])

    def _setup_kernel(self, timeout: float) -> None:
        if self.cfg.describe_images:
            self.sandbox.kernel.execute(FIGURE_HOOK, timeout=min(timeout, 120))
        self._kernel_ready = True

    def _save_images(self, cell: CellResult, step: int) -> list[str]:
        saved = []
        for i, source in enumerate(cell.images, 1):
            name = f"step-{step:04d}-{i}.png"
            try:  # the kernel's PNGs sit in the agent-writable logs/: copied out without following links
                self.sandbox.copy_out(f"logs/images/{Path(source).name}", self.images_dir / name, IMAGE_LIMIT)
            except (SandboxError, OSError):
                continue
            saved.append(f"images/{name}")
        return saved

    def _describe(self, images: list[str], cell: CellResult) -> str:
        notes: list[Any] = []
        if self.cfg.describe_images:
            answer = self.sandbox.kernel.execute(READ_NOTES, timeout=30)
            try:
                notes = json.loads(answer.stdout.strip().splitlines()[-1]) if answer.error is None else []
            except (ValueError, IndexError):
                notes = []
        lines = []
        for i, name in enumerate(images):
            size = _png_size(self.images_dir.parent / name)
            what = _figure_text(notes[i]) if i < len(notes) else "no matplotlib details available"
            lines.append(f"[Figure saved as {name} ({size}); you cannot see it, but it shows: {what}]")
        return "\n".join(lines)

    # ---- editor --------------------------------------------------------------------------------
    def edit(self, args: dict[str, Any]) -> Observation:
        t0 = time.monotonic()
        try:
            text = self.editor.run(args)
        except EditorError as exc:
            return Observation(f"ERROR: {exc}", error=True, exec_s=time.monotonic() - t0)
        return Observation(self._cut(text), exec_s=time.monotonic() - t0)

    def reset_after_resume(self) -> None:
        """A resumed run has a fresh kernel: the figure hook must be installed again."""
        self._kernel_ready = False

    def _cut(self, text: str) -> str:
        return truncate_middle(text, self.cfg.max_observation_chars)


def _png_size(path: Path) -> str:
    from PIL import Image  # Pillow is imported only when a cell displayed a figure

    try:
        with Image.open(io.BytesIO(path.read_bytes())) as img:
            return f"{img.width}x{img.height} px"
    except Exception:  # noqa: BLE001 - an unreadable image still gets a description
        return "size unknown"


def _figure_text(axes: list[dict[str, Any]]) -> str:
    parts = []
    for n, ax in enumerate(axes, 1):
        marks = ", ".join(f"{ax[k]} {k}" for k in ("lines", "bars", "scatter", "images") if ax.get(k))
        title = f"'{ax['title']}'" if ax.get("title") else "untitled"
        legend = f"; legend: {', '.join(ax['legend'])}" if ax.get("legend") else ""
        parts.append(f"plot {n} {title}, x axis '{ax.get('x') or '-'}', y axis '{ax.get('y') or '-'}', "
                     f"{marks or 'no marks'}{legend}")
    return "; ".join(parts) or "an empty figure"
