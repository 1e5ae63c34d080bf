"""Costs of the hardening of issue 8, each next to a baseline measured in the same run.

Run: .venv/bin/python benchmarks/sandbox_hardening.py [--backend bwrap] [--upload-mib 1024]
Writes benchmarks/results/sandbox_hardening.md.

1. Harness peak memory (RSS growth of this process) while the validation server receives a maximal
   upload (the 1 GiB cap), against the old server, which read the whole body into memory and parsed
   it with the email package (rebuilt here, run on a smaller body so the machine survives it).
2. Harness peak memory while a cell floods the kernel client (printed output, forged results).
3. The no-follow file path (sandbox.exists + copy_out + validate of a copy) against the old one
   (Path.is_file + shutil.copyfile + validating the file in place), next to one AIDE step's script run.
"""

from __future__ import annotations

import argparse
import email.parser
import email.policy
import platform
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import psutil  # noqa: E402

from sandbox import Limits, SandboxConfig, ValidationResult, open_sandbox  # noqa: E402
from sandbox.attacks.harness import FORGER  # noqa: E402
from sandbox.validation import ValidationServer, default_validator  # noqa: E402

RESULTS = _HERE / "results" / "sandbox_hardening.md"
BOUNDARY = b"BENCHBOUNDARY"


class PeakRSS:
    """RSS growth of this process over its value at entry, sampled every 5 ms (MiB)."""

    def __enter__(self) -> PeakRSS:
        self._p = psutil.Process()
        self.base = self.peak = self._p.memory_info().rss
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._p.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()

    @property
    def mib(self) -> float:
        return (self.peak - self.base) / 2**20


def median_s(fn: Callable[[], object], n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# --- 1. uploads -------------------------------------------------------------------------------------
def _send_upload(sock_path: str, mib: int) -> int:
    head = b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\n\r\nid,y\n'
    tail = b"\r\n--" + BOUNDARY + b"--\r\n"
    block = b"1,0\n" * (2**20 // 4)
    last = block[: 2**20 - len(b"id,y\n")]  # the file is exactly `mib` MiB, header included
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock_path)
    s.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
              + b"\r\nContent-Length: " + str(len(head) + (mib - 1) * 2**20 + len(last) + len(tail)).encode()
              + b"\r\n\r\n" + head)
    for _ in range(mib - 1):
        s.sendall(block)
    s.sendall(last + tail)
    reply = s.recv(4096)
    s.close()
    return int(reply.split(b" ", 2)[1])


def _old_parse(content_type: str, body: bytes) -> bytes | None:
    """The server before issue 8: the whole body in memory, parsed by the email package."""
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    for part in msg.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            return part.get_payload(decode=True) or b""
    return None


def old_upload_peak(mib: int) -> float:
    body = (b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\n\r\n'
            + b"1,0\n" * (mib * 2**20 // 4) + b"\r\n--" + BOUNDARY + b"--\r\n")
    with PeakRSS() as rss:
        data = _old_parse(f"multipart/form-data; boundary={BOUNDARY.decode()}", body)
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "s.csv").write_bytes(data)
    del body, data
    return rss.mib + mib  # the body itself was in memory before the parse started


def new_upload_peak(mib: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory(prefix="mlsb-") as tmp:
        server = ValidationServer(lambda p: ValidationResult(p.stat().st_size > 0, "ok"),
                                  socket_path=Path(tmp) / "g.sock", upload_dir=Path(tmp))
        try:
            with PeakRSS() as rss:
                t0 = time.perf_counter()
                status = _send_upload(str(server.socket_path), mib)
                seconds = time.perf_counter() - t0
        finally:
            server.close()
    return rss.mib, seconds, status


# --- 2. kernel flood --------------------------------------------------------------------------------
def kernel_flood(backend: str) -> list[tuple[str, float, float]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="mlsb-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        with open_sandbox(SandboxConfig(data_dir=data, workspace=Path(tmp) / "ws", backend=backend,
                                        limits=Limits(memory_mb=2048, max_pids=256))) as sb:
            sb.kernel.execute("1")
            for name, code in (("print 100 MB (1M lines of 100 B)", "for i in range(1_000_000): print('x' * 99)"),
                               ("forge 2000 results of 200 kB (400 MB) + malformed", FORGER)):
                with PeakRSS() as rss:
                    t0 = time.perf_counter()
                    sb.kernel.execute(code, timeout=600)
                    rows.append((name, rss.mib, time.perf_counter() - t0))
    return rows


# --- 3. the no-follow file path ---------------------------------------------------------------------
def file_path_costs(backend: str, rows_n: int) -> dict[str, float]:
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="mlsb-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        csv = "id,target\n" + "".join(f"{i},{i % 7 / 7:.6f}\n" for i in range(rows_n))
        with open_sandbox(SandboxConfig(data_dir=data, workspace=Path(tmp) / "ws", backend=backend,
                                        validator=default_validator)) as sb:
            sb.write_file("submission/submission.csv", csv)
            host = Path(sb.host_paths.submission) / "submission.csv"
            dest = Path(tmp) / "node" / "submission.csv"
            dest.parent.mkdir()

            def old() -> None:
                if host.is_file():
                    shutil.copyfile(host, dest)
                    default_validator(host)

            def new() -> None:
                if sb.exists("submission/submission.csv"):
                    sb.validate_copy(sb.copy_out("submission/submission.csv", dest))

            out["old"] = median_s(old, 30)
            out["new"] = median_s(new, 30)
            out["size_mib"] = len(csv) / 2**20
            sb.write_file("code/step.py", "import sys\n")
            out["step"] = median_s(lambda: sb.run_script("code/step.py"), 10)
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--backend", default="bwrap")
    p.add_argument("--upload-mib", type=int, default=1024)
    p.add_argument("--old-upload-mib", type=int, default=64)
    args = p.parse_args()
    new_small = new_upload_peak(args.old_upload_mib)
    old_small = old_upload_peak(args.old_upload_mib)
    new_max = new_upload_peak(args.upload_mib)
    flood = kernel_flood(args.backend)
    files_small = file_path_costs(args.backend, 10_000)
    files_big = file_path_costs(args.backend, 1_000_000)
    lines = [
        "# Sandbox hardening (issue 8): harness memory under floods, cost of the no-follow file path", "",
        f"Command: `python benchmarks/sandbox_hardening.py --backend {args.backend} --upload-mib {args.upload_mib}`", "",
        f"Machine: this VM - 2 cores, {psutil.virtual_memory().total / 2**30:.0f} GiB RAM, {platform.platform()}, "
        f"Python {platform.python_version()}. Medians; other work was running on the machine.", "",
        "## Validation server: harness RSS growth during one upload", "",
        "| upload | old server (whole body in memory, email parser) | new server (streamed to disk) | ratio |",
        "|---|---|---|---|",
        f"| {args.old_upload_mib} MiB | {old_small:.0f} MiB | {new_small[0]:.1f} MiB ({new_small[1]:.1f} s, HTTP "
        f"{new_small[2]}) | {old_small / max(new_small[0], 0.1):.0f}x less |",
        f"| {args.upload_mib} MiB (the cap) | not run (about {args.upload_mib * old_small / args.old_upload_mib:.0f} MiB "
        f"extrapolated) | {new_max[0]:.1f} MiB ({new_max[1]:.1f} s, HTTP {new_max[2]}) | - |", "",
        f"## Kernel client under a flood ({args.backend})", "",
        "| cell | harness RSS growth | seconds |", "|---|---|---|",
        *[f"| {name} | {mib:.1f} MiB | {s:.1f} |" for name, mib, s in flood], "",
        "Bound by construction: zmq drops messages over 8 MiB and queues at most 32 per channel (<= 256 MiB), "
        "streams are kept as head+tail, at most 50 results and 20 images per cell.", "",
        f"## Checking a submission each step ({args.backend})", "",
        "| submission | old: is_file + copyfile + validate in place | new: exists + copy_out + validate_copy "
        "(no-follow) | new / old | new / one step's script run |", "|---|---|---|---|---|",
    ]
    for f in (files_small, files_big):
        lines.append(f"| {f['size_mib']:.1f} MiB | {f['old'] * 1e3:.2f} ms | {f['new'] * 1e3:.2f} ms | "
                     f"{f['new'] / f['old']:.2f}x | {f['new'] / f['step'] * 100:.1f}% of {f['step'] * 1e3:.0f} ms |")
    lines += ["", "Both paths copy the file once; the old one then validated the agent's file in place (following "
              "links), the new one validates the copy it keeps. Validator: the default CSV check (reads the head), "
              "so the copy dominates; a competition validator parses the whole file in both paths alike. "
              "`Sandbox.validate(path)` (a private copy per call) costs one more copy."]
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
