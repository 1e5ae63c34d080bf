"""Docker backend overheads: benchmarks/sandbox.py's measures for backend docker, next to its generic
baselines and to docker's own floor measured in the same run (a bare `docker exec`, a bare
`docker run --rm`), so the cost of our layer is visible apart from the daemon's.

Run: .venv/bin/python benchmarks/sandbox_docker.py [--cycles 20]
Writes benchmarks/results/sandbox_docker.md (benchmarks/sandbox.py writes the other backends' table)."""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

_HERE = Path(__file__).resolve().parent
RESULTS = _HERE / "results" / "sandbox_docker.md"
LOAD_AT_START = os.getloadavg()[0]


def _load_generic():
    """benchmarks/sandbox.py under another name (its own name would shadow the sandbox package)."""
    spec = importlib.util.spec_from_file_location("sandbox_bench", _HERE / "sandbox.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def docker_floor(bench, image: str, host_bind: bool) -> dict[str, float]:
    """Bare docker costs: exec of `true` into a running container, and a whole run --rm."""
    binds = ["-v", "/usr:/usr:ro"] if host_bind else []
    cid = subprocess.run(["docker", "run", "-d", "--rm", "--network", "none", *binds, image, "sleep", "600"],
                         check=True, capture_output=True, text=True).stdout.strip()
    try:
        exec_s = bench.median_s(lambda: subprocess.run(["docker", "exec", "-i", cid, "true"], check=True), 20)
    finally:
        subprocess.run(["docker", "rm", "-f", cid], capture_output=True)
    run_s = bench.median_s(lambda: subprocess.run(
        ["docker", "run", "--rm", "--network", "none", *binds, image, "true"], check=True), 5)
    return {"docker_exec": exec_s, "docker_run_rm": run_s}


def render(bench, base, floor, row, leak, cmd, image) -> str:
    text = bench.render(base, {"docker": row}, {"docker": leak}, cmd)
    text = text.replace("# Sandbox benchmark", "# Sandbox benchmark: docker backend", 1)

    def ms(x: float) -> str:
        return f"{x * 1000:.1f} ms"

    extra = ["", f"## Against docker's own floor (image `{image}`)", "",
             "| measure | docker floor | docker backend |", "|---|---|---|",
             f"| open + close vs `docker run --rm ... true` | {ms(floor['docker_run_rm'])} | "
             f"{ms(row['open_close'])} ({row['open_close'] / floor['docker_run_rm']:.2f}x) |",
             f"| script launch vs `docker exec -i <c> true` | {ms(floor['docker_exec'])} | "
             f"{ms(row['script'])} ({row['script'] / floor['docker_exec']:.2f}x) |",
             "", "Our open includes the reaper scan, the validation forwarder start and the wait until it "
             "listens; our close removes the container and waits until the daemon no longer lists it. "
             "A script launch is a `docker exec` of the sandbox's python (interpreter start included).",
             "", f"Load average (1 min) when the run started: {LOAD_AT_START:.1f} on "
             f"{os.cpu_count()} cores (other helpers' tests were running; treat ratios as rough)."]
    return text + "\n".join(extra) + "\n"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--cycles", type=int, default=20)
    args = p.parse_args()
    logging.basicConfig(level=logging.ERROR)
    bench = _load_generic()
    from sandbox.backends import docker as dk

    ok, why = dk.DockerIsolation.available()
    if not ok:
        sys.exit(f"docker backend unavailable: {why}")
    client = __import__("docker").from_env()
    image = dk.choose_image(client, None)
    client.close()
    base = {"python_pass": bench.bare_python(), "bash_pipe": bench.bare_shell_round_trip()}
    base["kernel_start"], base["kernel_cell"] = bench.bare_kernel()
    floor = docker_floor(bench, image.name, image.host_bind)
    with tempfile.TemporaryDirectory(prefix="mlsbd") as tmp:
        root = Path(tmp)
        data = root / "data"
        data.mkdir()
        (data / "train.csv").write_text("id,y\n1,0\n")
        row = bench.measure_backend("docker", data, root)
        leak = bench.leak_check("docker", data, root, args.cycles)
    # leak_check counts every sandbox container on the daemon; other sessions may have theirs open
    # right now, so count only the containers this process owns.
    client = __import__("docker").from_env()
    leak["containers"] = len(client.api.containers(
        all=True, filters={"label": f"{dk.LABEL_OWNER_PID}={os.getpid()}"}))
    client.close()
    cmd = "python benchmarks/sandbox_docker.py" + "".join(f" {a}" for a in sys.argv[1:])
    text = render(bench, base, floor, row, leak, cmd, image.name)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
