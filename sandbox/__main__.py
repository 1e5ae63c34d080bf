"""`python -m sandbox check`: which backends work here, then the adversarial suite against each.
`python -m sandbox shell [--backend B] [--data DIR]`: an interactive shell as an agent sees it."""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

from sandbox.backends import REGISTRY, available_backends


def _check(args: argparse.Namespace) -> int:
    from sandbox.attacks import ATTACKS, run_suite

    backends = available_backends()
    print("Backends:")
    for name, (ok, why) in backends.items():
        print(f"  {name:8} {'available' if ok else 'unavailable'}: {why}")
    chosen = [b for b in (args.backend or list(REGISTRY)) if backends.get(b, (False, ""))[0]]
    if not chosen:
        print("no requested backend is available", file=sys.stderr)
        return 2
    names = args.attack or None
    results = {}
    for b in chosen:
        print(f"\nrunning {len(names or ATTACKS)} attacks against {b} ...", flush=True)
        results[b] = {v.attack: v for v in run_suite(b, names)}
    rows = [a.name for a in ATTACKS if not names or a.name in names]
    width = max(len(r) for r in rows) + 2
    print("\n" + "attack".ljust(width) + "".join(b.ljust(28) for b in chosen))
    failed = False
    for r in rows:
        cells = []
        for b in chosen:
            v = results[b][r]
            failed |= not v.contained and not v.by_design
            cells.append(v.label.ljust(28))
        print(r.ljust(width) + "".join(cells))
    if args.verbose:
        for b in chosen:
            for v in results[b].values():
                print(f"[{b}] {v.attack}: {v.detail}")
    print("\nNOT CONTAINED (by design): the backend does not claim this isolation (local is not a sandbox).")
    if failed:
        print("FAILED: an attack succeeded against a backend that claims to contain it.", file=sys.stderr)
    return 1 if failed else 0


def _shell(args: argparse.Namespace) -> int:
    from sandbox import SandboxConfig, SandboxError, open_sandbox

    data = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="mls-data-"))
    workspace = Path(args.workspace) if args.workspace else Path(tempfile.mkdtemp(prefix="mls-ws-"))
    try:
        sb = open_sandbox(SandboxConfig(data_dir=data, workspace=workspace, backend=args.backend))
    except SandboxError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with sb:
        print(f"backend {sb.backend}; workspace {workspace} (inside {sb.paths.home}); data {sb.paths.data}; "
              f"validation {sb.validation_url}. Ctrl-D to leave.")
        while True:
            try:
                cmd = input(f"[{sb.backend}] {sb.shell.cwd}$ ")
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            if cmd.strip():
                r = sb.shell.run(cmd, timeout=args.timeout)
                print(r.output, end="" if r.output.endswith("\n") else "\n")
                if r.exit_code not in (0, None) or r.killed_reason:
                    print(f"[exit {r.exit_code}{', ' + r.killed_reason if r.killed_reason else ''}]")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="probe backends and run the adversarial suite against each")
    c.add_argument("--backend", action="append", choices=list(REGISTRY), help="only this backend (repeatable)")
    c.add_argument("--attack", action="append", help="only this attack (repeatable)")
    c.add_argument("-v", "--verbose", action="store_true", help="print each attack's details")
    s = sub.add_parser("shell", help="interactive shell inside a sandbox, as an agent sees it")
    s.add_argument("--backend", default="auto", choices=["auto", *REGISTRY])
    s.add_argument("--data", help="data dir mounted read-only (default: an empty temp dir)")
    s.add_argument("--workspace", help="host workspace dir (default: a new temp dir)")
    s.add_argument("--timeout", type=float, default=600.0, help="per-command timeout in seconds")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return _check(args) if args.cmd == "check" else _shell(args)


if __name__ == "__main__":
    sys.exit(main())
