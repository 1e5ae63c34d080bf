"""Isolated workspaces for agent code: shell, Jupyter kernel, scripts, files, submission validation."""

from sandbox.api import KernelAPI, SandboxAPI, ShellAPI
from sandbox.backends.base import SandboxPaths
from sandbox.config import Limits, SandboxConfig, ValidationResult, Validator
from sandbox.core import Sandbox, open_sandbox
from sandbox.errors import SandboxClosed, SandboxError, SandboxPathError, SandboxUnavailable, WallTimeExceeded
from sandbox.results import CellResult, ExecResult, KernelError, truncate_middle
from sandbox.safefs import FileTooLarge

__all__ = [
    "CellResult", "ExecResult", "FileTooLarge", "KernelAPI", "KernelError", "Limits", "Sandbox", "SandboxAPI",
    "SandboxClosed", "SandboxConfig", "SandboxError", "SandboxPathError", "SandboxPaths", "SandboxUnavailable",
    "ShellAPI", "ValidationResult", "Validator", "WallTimeExceeded", "open_sandbox", "truncate_middle",
]
