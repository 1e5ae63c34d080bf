"""Attacks that try to get out: network, the data dir, host files, secrets, the harness process."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sandbox.attacks.base import AttackContext, Outcome, py, still_works
from sandbox.core import Sandbox
from sandbox.errors import SandboxPathError


def network(sb: Sandbox, ctx: AttackContext) -> Outcome:
    # Only loopback traffic: the harness listens on the host's 127.0.0.1; inside an isolated network
    # namespace that address is the sandbox's own loopback, so the connection is refused.
    out = py(sb, "import socket\n"
                  f"try:\n socket.create_connection(('127.0.0.1', {ctx.port}), timeout=3); print('CONNECTED')\n"
                  "except OSError as e: print('refused', e)\n"
                  "print('IFACES', sorted(n for _, n in socket.if_nameindex()))")
    ifaces = out.split("IFACES", 1)[-1]
    others = [n for n in ifaces.strip(" []\n").replace("'", "").split(", ") if n and n != "lo"]
    return Outcome("CONNECTED" not in out and not others, out.strip()[-300:])


def write_data(sb: Sandbox, ctx: AttackContext) -> Outcome:
    target = f"{sb.paths.data}/pwned.txt"
    out = sb.shell.run(f"echo x > {target}; mount -o remount,rw,bind {sb.paths.data} 2>&1; "
                       f"echo y > {target}; touch {sb.paths.data}/train.csv; ls -la {sb.paths.data}", timeout=20).output
    leaked = (ctx.data_dir / "pwned.txt").exists()
    (ctx.data_dir / "pwned.txt").unlink(missing_ok=True)
    return Outcome(not leaked, out.strip()[-300:])


def read_private(sb: Sandbox, ctx: AttackContext) -> Outcome:
    out = sb.shell.run(f"cat {ctx.private_dir}/answers.csv; cat {ctx.data_dir.parent}/private/answers.csv; "
                       "find / -name answers.csv 2>/dev/null | head", timeout=30).output
    return Outcome(ctx.secret not in out, out.strip()[-300:])


def read_host_home(sb: Sandbox, ctx: AttackContext) -> Outcome:
    home = Path.home()
    out = py(sb, f"import os\ntry: print('LIST', os.listdir({str(home)!r}))\nexcept OSError as e: print('denied', e)")
    # Entries that exist only because a bound path (the python install) lives under the home dir.
    bound = {p.relative_to(home).parts[0] for p in _bound_roots() if home in p.parents}
    visible = [n for n in os.listdir(home) if n not in bound and f"'{n}'" in out]
    return Outcome(not visible, f"visible host home entries: {visible[:5]}" if visible else out.strip()[-200:])


def _bound_roots() -> list[Path]:
    return [Path(os.path.realpath(p)) for p in (sys.prefix, sys.base_prefix)]


def api_key_env(sb: Sandbox, ctx: AttackContext) -> Outcome:
    out = sb.shell.run("env; python3 -c 'import os; print(dict(os.environ))'", timeout=20).output
    k = sb.kernel.execute("import os; print(dict(os.environ))", timeout=60)
    seen = ctx.canary_key in out or ctx.canary_key in k.stdout or "OPENAI_API_KEY" in out + k.stdout
    return Outcome(not seen, "API key visible inside" if seen else "environment is allow-listed")


def api_key_proc(sb: Sandbox, ctx: AttackContext) -> Outcome:
    out = py(sb, f"try: print('READ', len(open('/proc/{ctx.harness_pid}/environ','rb').read()))\n"
                  "except OSError as e: print('denied', e)")
    return Outcome("READ" not in out, out.strip()[-200:])


def symlink_escape(sb: Sandbox, ctx: AttackContext) -> Outcome:
    sb.shell.run(f"cd {sb.paths.working} && ln -sfn {ctx.private_dir} esc && ln -sfn / rootlink && "
                 f"ln -sfn ../../.. up", timeout=20)
    refused = []
    for path in ("working/esc/answers.csv", "working/rootlink/etc/hostname", "working/up/etc/hostname",
                 f"{sb.paths.home}/../etc/hostname", str(ctx.private_dir / "answers.csv")):
        try:
            text = sb.read_file(path)
            if ctx.secret in text or text:
                return Outcome(False, f"harness read {path!r} through a link")
        except SandboxPathError:
            refused.append(path)
    try:
        sb.write_file("working/esc/owned.txt", "x")
        written = (ctx.private_dir / "owned.txt").exists()
    except SandboxPathError:
        written = False
    return Outcome(not written, f"refused {len(refused)} reads" + ("; WROTE through link" if written else ""))


def kill_harness(sb: Sandbox, ctx: AttackContext) -> Outcome:
    out = py(sb, f"import os\ntry: os.kill({ctx.harness_pid}, 0); print('CAN SIGNAL')\n"
                  "except OSError as e: print('cannot', e)")
    if "CAN SIGNAL" in out:
        return Outcome(False, f"agent code can signal the harness (pid {ctx.harness_pid})")
    if sb.isolation.capabilities.pid_isolated:  # only here is kill -9 -1 safe to try for real
        sb.shell.run("kill -9 -1", timeout=20)
        ok, tail = still_works(sb)
        return Outcome(ok and os.getpid() == ctx.harness_pid, f"kill -9 -1 inside; sandbox usable after: {ok}")
    return Outcome(True, out.strip()[-200:])


