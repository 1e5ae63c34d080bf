"""Errors raised by the sandbox layer. Each message says what went wrong and what to do about it."""

from __future__ import annotations


class SandboxError(Exception):
    """Base class of every error the sandbox raises on purpose."""


class SandboxUnavailable(SandboxError):
    """The requested isolation backend cannot run here (the message says how to install it or which
    backend to pick instead)."""


class SandboxPathError(SandboxError, ValueError):
    """A file path points outside the workspace (or the read-only data dir) and was refused."""


class WallTimeExceeded(SandboxError):
    """The sandbox's whole wall-clock budget is spent; no further actions are run."""


class SandboxClosed(SandboxError):
    """The sandbox was closed; open a new one to keep working."""
