"""Attacks that try to exhaust the sandbox: processes, memory, CPU, disk, ignored interrupts."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import psutil

from sandbox.attacks.base import AttackContext, Outcome, still_works
from sandbox.core import Sandbox


def fork_bomb(sb: Sandbox, ctx: AttackContext) -> Outcome:
    t0 = time.monotonic()
    r = sb.shell.run("python3 -c 'import os\nwhile True:\n  try: os.fork()\n  except OSError: pass'", timeout=15)
    ok, tail = still_works(sb)
    return Outcome(r.killed_reason in ("pids", "timeout") and ok,
                   f"killed_reason={r.killed_reason} after {time.monotonic() - t0:.1f}s; usable after: {ok}")


def memory_hog(sb: Sandbox, ctx: AttackContext) -> Outcome:
    size = (ctx.limits.memory_mb or 256) * 3
    r = sb.shell.run(f"python3 -c 'x = bytearray({size} * 1024 * 1024); x[::4096] = b\"1\" * len(x[::4096]); "
                     "print(\"ALLOC\" + \"ATED\")'", timeout=60)
    ok, _ = still_works(sb)
    stopped = "ALLOCATED" not in r.output.splitlines() and (r.killed_reason == "memory" or "MemoryError" in r.output)
    return Outcome(stopped and ok, f"killed_reason={r.killed_reason}; usable after: {ok}; {r.output.strip()[-120:]}")


def infinite_loop(sb: Sandbox, ctx: AttackContext) -> Outcome:
    r = sb.shell.run("python3 -c 'while True: pass'", timeout=2)
    c = sb.kernel.execute("while True: pass", timeout=2)
    ok, _ = still_works(sb)
    k_ok = sb.kernel.execute("print(6 * 7)", timeout=60).stdout.strip() == "42"
    return Outcome(r.timed_out and c.timed_out and ok and k_ok,
                   f"shell timed_out={r.timed_out}, kernel timed_out={c.timed_out}; usable after: {ok and k_ok}")


def disk_filler(sb: Sandbox, ctx: AttackContext) -> Outcome:
    limit = (ctx.limits.file_size_mb or 0) * 1024 * 1024
    sb.shell.run(f"dd if=/dev/zero of={sb.paths.working}/fill bs=1M count={limit // 2**20 * 4 or 64} 2>&1; "
                 f"head -c {limit * 4 or 2**26} /dev/zero > /tmp/fill", timeout=60)
    host = Path(sb.host_paths.working) / "fill"
    size = host.stat().st_size if host.exists() else 0
    ok, _ = still_works(sb)
    host.unlink(missing_ok=True)
    return Outcome(bool(limit) and size <= limit and ok, f"file grew to {size} bytes (limit {limit}); usable after: {ok}")


def sigint_ignorer(sb: Sandbox, ctx: AttackContext) -> Outcome:
    tag = uuid.uuid4().hex[:8]
    r = sb.shell.run(f"python3 -c 'import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); "
                     f"time.sleep(300)' {tag}", timeout=2)
    ok, _ = still_works(sb)
    alive = _host_processes_with(tag)
    return Outcome(r.timed_out and ok and not alive, f"timed_out={r.timed_out}; leftover processes: {len(alive)}")


def _host_processes_with(tag: str) -> list[int]:
    found = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        try:
            if any(tag in a for a in (p.info["cmdline"] or [])) and "pytest" not in " ".join(p.info["cmdline"]):
                found.append(p.info["pid"])
        except psutil.Error:
            pass
    return found


