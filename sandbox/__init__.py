"""Isolated workspaces for agent code: shell, Jupyter kernel, scripts, files, submission validation."""

from sandbox.backends.base import SandboxPaths
from sandbox.config import Limits, SandboxConfig, ValidationResult, Validator
from sandbox.core import Sandbox, open_sandbox
from sandbox.errors import SandboxClosed, SandboxError, SandboxPathError, SandboxUnavailable, WallTimeExceeded
from sandbox.results import CellResult, ExecResult, KernelError, truncate_middle

__all__ = [
    "CellResult", "ExecResult", "KernelError", "Limits", "Sandbox", "SandboxClosed", "SandboxConfig",
    "SandboxError", "SandboxPathError", "SandboxPaths", "SandboxUnavailable", "ValidationResult", "Validator",
    "WallTimeExceeded", "open_sandbox", "truncate_middle",
]
