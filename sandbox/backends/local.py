"""Local backend: plain host processes. NOT ISOLATED: agent code can use the network, read any file the
harness can read, write the data dir, and signal host processes. Limits (timeouts, rlimits, cgroups when
root) still apply. Use only for trusted code or when neither docker nor bubblewrap is available."""

from __future__ import annotations

import logging
import os

from sandbox import cgroups
from sandbox.backends.base import Capabilities, IsolationSpec
from sandbox.backends.process import ProcessIsolation

log = logging.getLogger(__name__)

WARNING = (
    "SANDBOX BACKEND 'local' IS NOT ISOLATED: agent code runs as plain host processes with network "
    "access and the harness's file permissions. Install bubblewrap (apt-get install bubblewrap) or "
    "start a docker daemon for real isolation."
)


class LocalIsolation(ProcessIsolation):
    name = "local"

    def __init__(self, spec: IsolationSpec) -> None:
        super().__init__(spec)
        self.paths = spec.host  # inside == host
        cg = cgroups.usable()
        self.capabilities = Capabilities(
            network_isolated=False, filesystem_isolated=False, data_read_only=False,
            pid_isolated=False, memory_limited=bool(spec.limits.memory_mb), pids_limited=cg,
        )

    def start(self) -> None:
        log.warning(WARNING)
        super().start()

    def wrap(self, argv, env, cwd):
        return argv, env, cwd

    @classmethod
    def available(cls) -> tuple[bool, str]:
        return True, "always available (no isolation)" + ("" if os.name == "posix" else "; POSIX only")
