"""What every attack shares: its record, the host-side fixtures it aims at, its verdict."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sandbox.config import Limits
from sandbox.core import Sandbox

ATTACK_LIMITS = Limits(action_timeout_s=30, memory_mb=256, max_pids=64, file_size_mb=16, disk_mb=64,
                       max_files=4000)


@dataclass
class AttackContext:
    """Host-side fixtures the attacks aim at."""

    root: Path  # temp dir holding everything below
    data_dir: Path  # public data (mounted read-only)
    private_dir: Path  # answers: must stay invisible
    secret: str  # content of private_dir/answers.csv
    canary_key: str  # value of OPENAI_API_KEY in the harness env
    harness_pid: int
    listener: socket.socket  # a TCP server on the host's 127.0.0.1
    limits: Limits = ATTACK_LIMITS

    @property
    def answers(self) -> Path:
        return self.private_dir / "answers.csv"

    @property
    def victim(self) -> Path:
        """A host dir (with one file) that no harness operation may touch."""
        return self.root / "victim"

    @property
    def root_only(self) -> Path:
        """A mode-0600 file of the harness's uid in the data dir (readable inside only by that uid)."""
        return self.data_dir / "root_only.txt"

    @property
    def port(self) -> int:
        return self.listener.getsockname()[1]


@dataclass
class Outcome:
    contained: bool
    detail: str
    ran: bool = True


@dataclass(frozen=True)
class Attack:
    name: str
    description: str
    run: Callable[[Sandbox, AttackContext], Outcome]
    capability: str | None = None  # Capabilities flag that must be True for containment
    destructive: bool = False  # only run where the capability is claimed


@dataclass
class Verdict:
    attack: str
    contained: bool
    by_design: bool  # not contained, and the backend says it cannot contain it
    detail: str
    claimed: bool = True  # the backend claims the capability this attack tests

    @property
    def label(self) -> str:
        if self.contained:
            return "contained"
        return "NOT CONTAINED (by design)" if self.by_design else "NOT CONTAINED"


def py(sb: Sandbox, code: str, timeout: float = 20) -> str:
    return sb.shell.run(f"python3 -c {shlex.quote(code)} 2>&1", timeout=timeout).output


def still_works(sb: Sandbox) -> tuple[bool, str]:
    r = sb.shell.run("echo alive", timeout=20)
    return ("alive" in r.output and r.exit_code == 0), r.output[-200:]


@contextmanager
def attack_context(limits: Limits = ATTACK_LIMITS) -> Iterator[AttackContext]:
    """Temp data + private answers, a loopback listener, and a canary API key in the harness env."""
    root = Path(tempfile.mkdtemp(prefix="mls-attack-"))
    data = root / "comp" / "public"
    private = root / "comp" / "private"
    data.mkdir(parents=True)
    private.mkdir()
    secret = f"SECRET-{uuid.uuid4().hex}"
    (data / "train.csv").write_text("id,y\n1,0\n")
    (private / "answers.csv").write_text(f"id,y\n1,{secret}\n")
    (root / "victim").mkdir()
    (root / "victim" / "keep.txt").write_text("keep")
    (data / "root_only.txt").write_text(secret)
    (data / "root_only.txt").chmod(0o600)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    canary = f"sk-canary-{uuid.uuid4().hex}"
    old = os.environ.get("OPENAI_API_KEY")
    os.environ["OPENAI_API_KEY"] = canary
    try:
        yield AttackContext(root, data, private, secret, canary, os.getpid(), listener, limits)
    finally:
        listener.close()
        if old is None:
            os.environ.pop("OPENAI_API_KEY", None)
        else:
            os.environ["OPENAI_API_KEY"] = old
        shutil.rmtree(root, ignore_errors=True)
