"""Sandbox overheads per backend, each next to a bare baseline measured in the same run.

Run: .venv/bin/python benchmarks/sandbox.py [--cycles 100] [--backend B ...]
Writes benchmarks/results/sandbox.md. Baselines: `python -c pass` as a subprocess, a persistent bare bash
over pipes, a bare jupyter_client kernel (KernelManager on the host), a direct validator call."""

from __future__ import annotations

import argparse
import http.client
import logging
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# This file is named like the package it measures: drop its own dir from the path, add the repo root.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import psutil  # noqa: E402

from sandbox import SandboxConfig, cgroups, open_sandbox  # noqa: E402
from sandbox.backends import REGISTRY, available_backends  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "sandbox.md"


def median_s(fn: Callable[[], object], n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# --- baselines ------------------------------------------------------------------------------------
def bare_python() -> float:
    return median_s(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 10)


def bare_shell_round_trip() -> float:
    proc = subprocess.Popen(["bash", "--noprofile", "--norc"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def once() -> None:
        proc.stdin.write(b"true; echo __done__\n")
        proc.stdin.flush()
        while b"__done__" not in proc.stdout.readline():
            pass

    try:
        return median_s(once, 50)
    finally:
        proc.kill()
        proc.wait()


def bare_kernel() -> tuple[float, float]:
    """A bare jupyter_client kernel on the host (IPC transport, like the sandbox's), driven by the same
    loop as sandbox/kernel.py: execute, iopub until idle, then the shell reply."""
    from jupyter_client import KernelManager

    with tempfile.TemporaryDirectory(prefix="mlsk") as tmp:
        km = KernelManager(kernel_name="python3", transport="ipc", ip=f"{tmp}/ipc")
        km.connection_file = f"{tmp}/kernel.json"
        starts = []
        for _ in range(3):
            t0 = time.perf_counter()
            if km.has_kernel:
                km.restart_kernel(now=True)
            else:  # history off, as in the sandbox kernel, so both do the same work per cell
                km.start_kernel(extra_arguments=["--HistoryManager.enabled=False"])
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=60)
            starts.append(time.perf_counter() - t0)
            if len(starts) < 3:
                kc.stop_channels()

        def cell() -> None:
            msg_id = kc.execute("x = 1")
            while True:
                m = kc.get_iopub_msg(timeout=30)
                if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                        and m["content"]["execution_state"] == "idle"):
                    break
            while kc.get_shell_msg(timeout=30)["parent_header"].get("msg_id") != msg_id:
                pass

        cell()
        rt = median_s(cell, 30)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return statistics.median(starts), rt


# --- per backend ----------------------------------------------------------------------------------
def measure_backend(name: str, data: Path, root: Path) -> dict[str, float]:
    cfg = lambda i: SandboxConfig(data_dir=data, workspace=root / f"{name}-{i}", backend=name)  # noqa: E731
    counter = iter(range(10**6))
    out = {"open_close": median_s(lambda: open_sandbox(cfg(next(counter))).close(), 5)}

    def open_run_close() -> None:
        with open_sandbox(cfg(next(counter))) as sb:
            sb.shell.run("true")

    out["open_cmd_close"] = median_s(open_run_close, 5)
    with open_sandbox(cfg("m")) as sb:
        sb.shell.run("true")
        out["shell"] = median_s(lambda: sb.shell.run("true"), 50)
        sb.kernel.start()
        out["kernel_start"] = median_s(sb.kernel.restart, 3)
        sb.kernel.execute("x = 1")
        out["kernel_cell"] = median_s(lambda: sb.kernel.execute("x = 1"), 30)
        sb.write_file("code/empty.py", "")
        out["script"] = median_s(lambda: sb.run_script("code/empty.py"), 10)
        sb.write_file("submission/submission.csv", "id,y\n1,0\n")
        out["validate_direct"] = median_s(lambda: sb.validate(), 20)
        out["validate_http"] = median_s(lambda: _post(sb), 20)
        cmd = f"curl -s -F file=@{sb.paths.submission}/submission.csv {sb.validation_url} >/dev/null"
        out["validate_curl_inside"] = median_s(lambda: sb.shell.run(cmd), 10)
    return out


def _post(sb) -> None:
    body = b"id,y\n1,0\n"
    if sb._server.socket_path is not None:  # Unix socket: what the in-sandbox forwarder talks to
        conn = http.client.HTTPConnection("localhost")
        conn.sock = socket.socket(socket.AF_UNIX)
        conn.sock.connect(str(sb._server.socket_path))
    else:
        conn = http.client.HTTPConnection(sb._server.url.removeprefix("http://"))
    conn.request("POST", "/validate", body, {"Content-Type": "text/csv"})
    assert conn.getresponse().status == 200
    conn.close()


def leak_check(name: str, data: Path, root: Path, cycles: int) -> dict[str, object]:
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    ids, runtimes = [], []
    t0 = time.perf_counter()
    for i in range(cycles):
        sb = open_sandbox(SandboxConfig(data_dir=data, workspace=root / f"leak-{name}-{i}", backend=name))
        sb.shell.run("(sleep 60 &); true")
        ids.append(sb.sandbox_id)
        runtimes.append(Path(sb.host_paths.runtime))
        sb.close()
    elapsed = time.perf_counter() - t0
    procs = len({p.pid for p in me.children(recursive=True)} - before)
    groups = {g.name for g in cgroups.leftover_groups()}
    result = {"cycles": cycles, "seconds": elapsed, "processes": procs,
              "temp_dirs": sum(r.exists() for r in runtimes),
              "cgroups": sum(cgroups.PREFIX + i in groups for i in ids)}
    if name == "docker":
        from sandbox.backends.docker import sandbox_containers

        result["containers"] = len(sandbox_containers())
    return result


def render(base: dict[str, float], rows: dict[str, dict[str, float]], leaks: dict[str, dict], cmd: str) -> str:
    def ms(x: float) -> str:
        return f"{x * 1000:.1f} ms"

    lines = ["# Sandbox benchmark", "", f"Command: `{cmd}`", "",
             f"Machine: {platform.node() and 'this VM'} - {psutil.cpu_count()} cores, "
             f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, {platform.platform()}, Python "
             f"{platform.python_version()}. Medians; other work was running on the machine.", "",
             "| measure | baseline | " + " | ".join(rows) + " |", "|---|---|" + "---|" * len(rows)]
    spec = [("open + close (shell and kernel start lazily)", "open_close", "python_pass"),
            ("open + first shell command + close", "open_cmd_close", "python_pass"), ("shell round trip (`true`)", "shell", "bash_pipe"),
            ("kernel start", "kernel_start", "kernel_start"), ("kernel cell round trip", "kernel_cell", "kernel_cell"),
            ("script launch (empty .py)", "script", "python_pass"),
            ("validation: direct call", "validate_direct", None), ("validation: HTTP POST from host", "validate_http", None),
            ("validation: curl inside (via shell)", "validate_curl_inside", None)]
    for label, key, bkey in spec:
        b = base[bkey] if bkey else None
        cells = []
        for r in rows.values():
            ratio = f" ({r[key] / b:.2f}x)" if b else ""
            cells.append(ms(r[key]) + ratio)
        lines.append(f"| {label} | {ms(b) if b else '-'} | " + " | ".join(cells) + " |")
    lines += ["", "Baselines: `python -c pass` subprocess (open+close and script rows), a persistent bare bash "
              "over pipes (shell), a bare jupyter_client kernel on the host (kernel rows; IPC transport, same client loop; start = median of 3 (re)starts; IPython history off in both). Targets: kernel cell round trip within 1.5x the bare "
              "kernel; bwrap open within 1 s.", "",
              "## Open/close leak check", "", "| backend | cycles | seconds | leaked processes | leaked temp dirs | "
              "leaked cgroups | sandbox containers left |", "|---|---|---|---|---|---|---|"]
    for name, lk in leaks.items():
        lines.append(f"| {name} | {lk['cycles']} | {lk['seconds']:.1f} | {lk['processes']} | {lk['temp_dirs']} | "
                     f"{lk['cgroups']} | {lk.get('containers', '-')} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--cycles", type=int, default=100)
    p.add_argument("--backend", action="append", choices=list(REGISTRY))
    args = p.parse_args()
    logging.basicConfig(level=logging.ERROR)
    avail = available_backends()
    names = [b for b in (args.backend or list(REGISTRY)) if avail[b][0]]
    base: dict[str, float] = {"python_pass": bare_python(), "bash_pipe": bare_shell_round_trip()}
    base["kernel_start"], base["kernel_cell"] = bare_kernel()
    rows, leaks = {}, {}
    with tempfile.TemporaryDirectory(prefix="mlsb") as tmp:
        root = Path(tmp)
        data = root / "data"
        data.mkdir()
        (data / "train.csv").write_text("id,y\n1,0\n")
        for name in names:
            print(f"measuring {name} ...", flush=True)
            rows[name] = measure_backend(name, data, root)
            leaks[name] = leak_check(name, data, root, args.cycles)
    cmd = "python benchmarks/sandbox.py" + "".join(f" {a}" for a in sys.argv[1:])
    text = render(base, rows, leaks, cmd)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
