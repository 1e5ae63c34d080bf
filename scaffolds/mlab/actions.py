"""MLAB's actions on the shared sandbox (MLAgentBench's "environment"): files through
`read_file`/`write_file`/`list_files`, scripts through `run_script`, validation through the sandbox's
validator, and the two LLM-backed actions (Edit Script (AI) with the edit model, Understand File with
the fast model).

`Workbench.run(name, args)` returns an `Outcome` (the observation text, the files the action wrote,
time spent in agent code). Expected failures come back as "EnvError: ..." observations with the full
reason (MLE-bench's fork); the loop-ending errors (time, budget, an LLM that stays down) propagate.
"""

from __future__ import annotations

import difflib
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from sandbox import truncate_middle
from sandbox.errors import SandboxClosed, SandboxError, WallTimeExceeded
from scaffolds.core import aids
from scaffolds.core.llm import ContextWindowExceeded, LLMError, LLMTimeUp, Message
from scaffolds.mlab import execute, prompts
from scaffolds.mlab.config import MlabConfig
from scaffolds.mlab.edits import EditFailed, ask_for_code, backup_name, newest_backup
from scaffolds.mlab.summarize import understand_file

if TYPE_CHECKING:
    from sandbox import Sandbox
    from scaffolds.core.llm import ChatResult

# ask(role, messages) -> ChatResult: the session's metered LLM call ("edit" or "fast").
Ask = Callable[[str, list[Message]], "ChatResult"]
RESEARCH_LOG = "research_log.log"


class EnvError(Exception):
    """An action failed in a way the model should hear about; shown as "EnvError: <message>"."""


@dataclass
class Outcome:
    observation: str
    touched: list[str] = field(default_factory=list)  # workspace-relative files the action wrote
    exec_s: float = 0.0  # seconds agent code ran (Execute Script, Python REPL)
    ran_code: bool = False  # agent code ran: any file may have changed
    focus: str = ""  # aids.error_focus: the failing line and the exception of a script that failed


class Workbench:
    """The actions of one run. `time_left()` gives the run's remaining seconds; the aids show the edit
    model `new_script_help` when Edit Script (AI) writes a script from nothing, `edit_help` otherwise;
    a failed script's error focus shows `task_lines` (aids.task_lines) for a KeyError on the example's columns."""

    def __init__(self, sandbox: Sandbox, config: MlabConfig, ask: Ask, time_left: Callable[[], float],
                 problem: str, new_script_help: str = "", edit_help: str = "", task_lines: str = "") -> None:
        self.sandbox, self.cfg, self.ask, self.time_left, self.problem = sandbox, config, ask, time_left, problem
        self.new_script_help, self.edit_help, self.task_lines = new_script_help, edit_help, task_lines
        self.failed_code: dict[str, str] = {}  # aids.error_focus: each script's text when it last failed
        self.handlers: dict[str, Callable[..., Outcome]] = {
            "List Files": self.list_files, "Copy File": self.copy_file, "Undo Edit Script": self.undo_edit,
            "Execute Script": self.execute_script, "Validate Submission": self.validate_submission,
            "Understand File": self.understand_file, "Inspect Script Lines": self.inspect_lines,
            "Edit Script (AI)": self.edit_script, "Read File": self.read_file, "Write File": self.write_file,
            "Append File": self.append_file, "Python REPL": self.python_repl, "Request Help": self.request_help,
            "Edit Script Segment (AI)": self.edit_segment, "Reflection": self.reflection,
            "Retrieval from Research Log": self.retrieval, "Append Summary to Research Log": self.append_log,
        }

    @property
    def names(self) -> list[str]:
        """Every action name the model may use ("Final Answer" is handled by the loop)."""
        return [*self.handlers, "Final Answer"]

    def run(self, name: str, args: dict[str, Any]) -> Outcome:
        try:
            return self.handlers[name](**args)
        except EnvError as exc:
            return Outcome(f"EnvError: {exc}")
        except (WallTimeExceeded, SandboxClosed, LLMTimeUp):  # the run ends: not an observation
            raise
        except SandboxError as exc:
            return Outcome(f"EnvError: {exc}")
        except ContextWindowExceeded as exc:
            return Outcome(f"EnvError: the input is too long for the tool's language model ({exc})")
        except LLMError as exc:
            return Outcome(f"LLMError: {exc}")
        except (TypeError, ValueError, UnicodeError, OSError) as exc:
            return Outcome(f"EnvError: Error executing {name}.\n{type(exc).__name__}: {exc}")

    # ---- files --------------------------------------------------------------------------------
    def list_files(self, dir_path: str) -> Outcome:
        listing = "\n".join(self.sandbox.list_files(str(dir_path).strip() or "."))
        limit = self.cfg.actions.list_files_max_chars
        if len(listing) > limit:
            listing = listing[:limit] + prompts.text("list_truncated")
        return Outcome(listing)

    def _read_text(self, path: str) -> str:
        content = self.sandbox.read_file(path)
        if "\x00" in content or "\ufffd" in content:
            raise EnvError(f"{path} is not a text file; this action handles text files only")
        return content

    def copy_file(self, source: str, destination: str) -> Outcome:
        self.sandbox.write_file(destination, self._read_text(source))
        return Outcome(prompts.text("copy_done", source=source, destination=destination), [destination])

    def read_file(self, file_name: str) -> Outcome:
        return Outcome(self.sandbox.read_file(file_name))

    def write_file(self, file_name: str, content: str) -> Outcome:
        self.sandbox.write_file(file_name, str(content))
        return Outcome(prompts.text("write_done", file_name=file_name), [file_name])

    def append_file(self, file_name: str, content: str) -> Outcome:
        old = self._existing_text(file_name)
        self.sandbox.write_file(file_name, old + str(content))
        return Outcome(prompts.text("append_done", file_name=file_name), [file_name])

    def _existing_text(self, path: str) -> str:
        """The file's text, or "" when it does not exist yet (paths outside the workspace still raise)."""
        try:
            return self._read_text(path)
        except SandboxError as exc:
            if "no such file" not in str(exc):
                raise
            return ""

    def inspect_lines(self, script_name: str, start_line_number: Any, end_line_number: Any) -> Outcome:
        start, end = _line_number(start_line_number), _line_number(end_line_number)
        limit = self.cfg.actions.inspect_max_lines
        if end - start > limit:
            raise EnvError(f"at most {limit} lines can be shown at once; ask for a smaller range")
        lines = self.sandbox.read_file(script_name).split("\n")
        shown = lines[max(start - 1, 0):end]
        if self.cfg.fixes.cap_outputs:
            width = self.cfg.actions.inspect_line_chars
            shown = [line if len(line) <= width else f"{line[:width]} ...[{len(line) - width} more characters]"
                     for line in shown]
        return Outcome(prompts.text("inspect_done", last_line=len(lines), content="\n".join(shown)))

    # ---- running code and checking the submission ----------------------------------------------
    def execute_script(self, script_name: str) -> Outcome:
        left = self.time_left()
        if left <= 1:
            raise WallTimeExceeded("no time left to run a script")
        bounded = self.cfg.fixes.bounded_execute
        timeout = min(self.cfg.actions.execute_timeout_s, left) if bounded else left
        script = str(script_name).strip()
        run = execute.execute_script(self.sandbox, script, timeout, combined=self.cfg.fixes.full_script_output)
        focus = ""
        if self.cfg.aids.error_focus and run.result.exit_code:
            code = self.sandbox.read_file(script)
            focus = aids.host_error_focus(self.sandbox, code, run.result.output, PurePosixPath(script).name,
                                          self.task_lines)
            # a small model re-runs a failed script while its reflection claims the fix is made
            if self.failed_code.get(script) == code:
                focus = f"{prompts.text('aids_unchanged', script=script)}\n{focus}"
            self.failed_code[script] = code
        return Outcome(run.observation, exec_s=run.result.duration_s, ran_code=True, focus=focus)

    def python_repl(self, command: str) -> Outcome:
        left = self.time_left()
        timeout = min(self.cfg.actions.execute_timeout_s, left) if self.cfg.fixes.bounded_execute else left
        cell = self.sandbox.kernel.execute(str(command), timeout=max(timeout, 1.0))
        parts = [cell.stdout, *cell.results, cell.stderr]
        if cell.error is not None:
            parts.append(f"{cell.error.ename}: {cell.error.evalue}")
        return Outcome("\n".join(p for p in parts if p), exec_s=cell.duration_s, ran_code=True)

    def validate_submission(self, submission_path: str) -> Outcome:
        path = str(submission_path).strip()
        check = self.sandbox.validate(path)
        key = "valid_submission" if check.valid else "invalid_submission"
        return Outcome(prompts.text(key, path=path, message=check.message))

    def request_help(self, request: str) -> Outcome:
        return Outcome(prompts.text("help_refused"))

    # ---- edits --------------------------------------------------------------------------------
    def edit_script(self, script_name: str, edit_instruction: str, save_name: str) -> Outcome:
        content = self._existing_or_new(script_name)
        help_ = self.edit_help if content.strip() else self.new_script_help  # the aids, after the instruction
        help_ = f"\n\n{help_}\n" if help_ else ""
        prompt = prompts.text("edit_prompt", content=content, instruction=edit_instruction, help=help_)
        new = self._edited_code(prompt, script_name)
        return self._save_edit(script_name, save_name, content, new.strip() + "\n")

    def edit_segment(self, script_name: str, start_line_number: Any, end_line_number: Any,
                     edit_instruction: str, save_name: str) -> Outcome:
        start, end = _line_number(start_line_number), _line_number(end_line_number)
        content = self._existing_or_new(script_name)
        lines = content.split("\n")
        segment = "\n".join(lines[max(start - 1, 0):end])
        prompt = prompts.text("edit_segment_prompt", content=segment, instruction=edit_instruction)
        new_segment = self._edited_code(prompt, script_name).strip()
        new = "\n".join([*lines[:max(start - 1, 0)], new_segment, *lines[end:]])
        return self._save_edit(script_name, save_name, content, new)

    def _existing_or_new(self, script_name: str) -> str:
        content = self._existing_text(script_name)
        if not content:
            self.sandbox.write_file(script_name, content)  # a missing script is created empty, as in MLAB
        return content

    def _edited_code(self, prompt: str, script_name: str) -> str:
        role = self.cfg.models.edit
        try:
            return ask_for_code(lambda messages: self.ask("edit", messages), prompt,
                                strict=self.cfg.fixes.detect_truncated_edit,
                                retries=self.cfg.actions.edit_retries)
        except EditFailed as exc:
            key = "edit_cut_off" if exc.cut_off else "edit_no_code"
            raise EnvError(prompts.text(key, max_tokens=role.max_tokens, script_name=script_name)
                           .removeprefix("EnvError: ")) from None

    def _save_edit(self, script_name: str, save_name: str, old: str, new: str) -> Outcome:
        backup = backup_name(script_name, time.time())
        self.sandbox.write_file(backup, old)
        self.sandbox.write_file(save_name, new)
        diff = "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                            fromfile=script_name, tofile=save_name))
        return Outcome(prompts.text("edit_done", save_name=save_name, diff=diff), [backup, save_name])

    def undo_edit(self, script_name: str) -> Outcome:
        backup = newest_backup(self.sandbox, script_name)
        if backup is None:
            raise EnvError(f"there is no earlier edit of {script_name} to undo; check the file name")
        content = self.sandbox.read_file(backup)
        self.sandbox.write_file(script_name, content)
        self._remove(backup)
        return Outcome(prompts.text("undo_done", script_name=script_name, content=content), [script_name])

    def _remove(self, relative: str) -> None:
        """Delete a file MLAB made itself (the sandbox API has no delete; its own shell does it)."""
        inside = f"{self.sandbox.paths.home}/{PurePosixPath(relative)}"
        self.sandbox.shell.run(f"rm -f -- {shlex.quote(inside)}", timeout=30)

    # ---- reading with the fast model ------------------------------------------------------------
    def understand_file(self, file_name: str, things_to_look_for: str) -> Outcome:
        content = self.sandbox.read_file(file_name)
        a = self.cfg.actions
        answer = understand_file(lambda messages: self.ask("fast", messages), content, str(things_to_look_for),
                                 a.understand_block_chars, a.understand_max_blocks)
        if self.cfg.fixes.cap_outputs:
            answer = truncate_middle(answer, a.understand_max_chars)
        return Outcome(answer)

    def reflection(self, things_to_reflect_on: str) -> Outcome:
        log = self._existing_text(RESEARCH_LOG)
        prompt = prompts.text("reflection_prompt", problem=self.problem, log=log, things=things_to_reflect_on)
        return Outcome(self.ask("fast", [Message.user(prompt)]).text)

    def retrieval(self, current_plan: str) -> Outcome:
        prompt = prompts.text("retrieval_prompt", log=self._existing_text(RESEARCH_LOG), plan=current_plan)
        return Outcome(self.ask("fast", [Message.user(prompt)]).text)

    def append_log(self, content: str) -> Outcome:
        self.append_file(RESEARCH_LOG, str(content) + "\n")
        return Outcome(prompts.text("log_done"), [RESEARCH_LOG])


def _line_number(value: Any) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise EnvError(f"line numbers must be whole numbers, got {value!r}") from None
