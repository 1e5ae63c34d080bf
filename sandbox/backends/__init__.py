"""Isolation backends by name, and automatic selection (docker, else bwrap; never silently local)."""

from __future__ import annotations

import importlib
import logging

from sandbox.backends.base import Isolation
from sandbox.errors import SandboxUnavailable

log = logging.getLogger(__name__)

# name -> "module:Class"; imported only when used (docker pulls in the docker SDK).
REGISTRY: dict[str, str] = {
    "docker": "sandbox.backends.docker:DockerIsolation",
    "bwrap": "sandbox.backends.bwrap:BwrapIsolation",
    "local": "sandbox.backends.local:LocalIsolation",
}
AUTO_ORDER = ("docker", "bwrap")  # `local` is never chosen automatically: it isolates nothing
NO_BACKEND_HINT = (
    "no isolating sandbox backend works here: install one with `sudo bash scripts/setup_system.sh` "
    "(docker with safe flags, and bubblewrap) or `apt-get install bubblewrap`, or run agent code "
    "unisolated on purpose with `--sandbox local` (backend='local')"
)


def backend_class(name: str) -> type[Isolation]:
    """The Isolation class registered under `name` (SandboxUnavailable if unknown or not installed)."""
    if name not in REGISTRY:
        raise SandboxUnavailable(f"unknown sandbox backend {name!r}; choose one of: auto, {', '.join(REGISTRY)}")
    module_name, _, cls_name = REGISTRY[name].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SandboxUnavailable(f"sandbox backend {name!r} cannot be imported ({exc})") from exc
    return getattr(module, cls_name)


def probe(name: str) -> tuple[bool, str]:
    """(available here?, reason) for one backend, never raising."""
    try:
        return backend_class(name).available()
    except SandboxUnavailable as exc:
        return False, str(exc)
    except Exception as exc:  # a broken optional backend must not break selection
        log.debug("probing backend %s failed", name, exc_info=True)
        return False, f"probe failed: {exc}"


def select_backend(requested: str = "auto") -> type[Isolation]:
    """The class to use: the requested one (error if unavailable) or the first available in AUTO_ORDER;
    SandboxUnavailable (saying how to install one, or to ask for local) when none of those works."""
    if requested != "auto":
        ok, why = probe(requested)
        if not ok:
            raise SandboxUnavailable(f"sandbox backend {requested!r} is not available: {why}. "
                                     "Use backend='auto' to pick what works here.")
        return backend_class(requested)
    reasons = []
    for name in AUTO_ORDER:
        ok, why = probe(name)
        if ok:
            return backend_class(name)
        log.info("sandbox backend %s skipped: %s", name, why)
        reasons.append(f"{name}: {why}")
    raise SandboxUnavailable(f"{NO_BACKEND_HINT}. ({'; '.join(reasons)})")


def available_backends() -> dict[str, tuple[bool, str]]:
    return {name: probe(name) for name in REGISTRY}
