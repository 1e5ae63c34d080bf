"""Where the runs of a grid execute: a local process pool (default) or a Ray cluster, behind one interface.

Both call `bench.worker.run_in_group` for each run, so a run behaves the same everywhere: it resumes in
place when started again, never grades a finished run twice, and when stopped it closes its sandbox
and writes an "interrupted" record. The grid (`bench.grid`) decides what to run and reads each run's
`record.json` when it ends; executors only start, wait for and stop runs, and hand out CPUs and GPUs.

Ray is imported only when the Ray executor is used (the `ray` extra installs it).
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
from dataclasses import dataclass, replace
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Protocol

from bench.runner import RunSpec
from bench.worker import dropped_interrupts_redelivered, process_main, run_in_group
from scaffolds.core.llm.models import configure_tiktoken_cache

WORKER_LOG = "worker.log"
STOP_GRACE_S = 30.0  # a stopped run gets this long to close its sandbox and write its record
LOG_TAIL_BYTES = 4000
# Modules every run imports, imported once in the fork server instead of once per run (litellm alone
# takes seconds); names that fail to import are skipped by multiprocessing.
PRELOAD = ["bench.worker", "bench.grade", "bench.validate", "sandbox", "litellm", "litellm.proxy._types", "pandas",
           "jupyter_client", "zmq", "tornado", "httpcore", "h11", "tenacity"]


@dataclass(frozen=True)
class Ended:
    """A run ended. `exit_code` None: the executor lost it (e.g. Ray gave up after node losses)."""

    spec: RunSpec
    exit_code: int | None
    log_tail: str = ""
    error: str = ""


class Executor(Protocol):
    """Starts runs, reports when they end, stops them for real."""

    kind: str

    def describe(self) -> dict[str, Any]: ...

    def free_slots(self) -> int:
        """How many more runs may start now."""
        ...

    def start(self, spec: RunSpec) -> None: ...

    def wait(self, timeout_s: float) -> list[Ended]:
        """Runs that ended, waiting up to `timeout_s` for the first one."""
        ...

    def running(self) -> list[RunSpec]: ...

    def cancel(self) -> None:
        """Stop every running run (each gets `STOP_GRACE_S` to write an "interrupted" record)."""
        ...

    def close(self) -> None: ...


def log_tail(path: Path, offset: int) -> str:
    """The end of a run's worker.log written since `offset`."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(offset, path.stat().st_size - LOG_TAIL_BYTES))
            return handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


# ---- local pool ---------------------------------------------------------------------------------------
@dataclass
class _Worker:
    spec: RunSpec
    process: BaseProcess
    log_path: Path
    log_offset: int


def _fork_server_context() -> multiprocessing.context.BaseContext:
    """Workers fork from one server process that imported the runner and litellm once (litellm set up
    offline as the LLM layer does), so a run starts in milliseconds rather than paying the imports."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    configure_tiktoken_cache()
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def stop_processes(processes: list[BaseProcess], grace_s: float = STOP_GRACE_S) -> None:
    """SIGTERM each process (its run closes the sandbox and writes its record), then SIGKILL its group."""
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    deadline = time.monotonic() + grace_s
    for proc in processes:
        proc.join(timeout=max(0.1, deadline - time.monotonic()))
        if proc.is_alive():
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # each worker leads its own session
            except (ProcessLookupError, PermissionError):
                proc.kill()
            proc.join()


class LocalPool:
    """Up to `workers` runs at once on this machine, each in its own process; `gpus_per_run` GPU ids
    handed to each run in turn.

    A run's GPUs reach its sandbox as `limits.gpus` (CUDA_VISIBLE_DEVICES inside) and go back to the pool
    when it ends, so two running runs never share a GPU.
    """

    kind = "local"

    def __init__(self, workers: int, gpu_ids: tuple[str, ...] = (), gpus_per_run: int = 0,
                 grace_s: float = STOP_GRACE_S) -> None:
        if workers < 1:
            raise ValueError(f"a pool needs at least one worker, got {workers}")
        if gpus_per_run > len(gpu_ids):
            raise ValueError(f"each run asks for {gpus_per_run} GPU(s) but the pool has {len(gpu_ids)} "
                             f"({', '.join(gpu_ids) or 'none'}); lower --gpus-per-run or pass --gpu-ids")
        self.workers, self.gpu_ids, self.gpus_per_run, self.grace_s = workers, tuple(gpu_ids), gpus_per_run, grace_s
        self._free_gpus = list(gpu_ids)
        self._running: list[_Worker] = []
        self._ctx = _fork_server_context()

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "workers": self.workers, "gpu_ids": list(self.gpu_ids),
                "gpus_per_run": self.gpus_per_run}

    def free_slots(self) -> int:
        free = self.workers - len(self._running)
        if self.gpus_per_run:
            free = min(free, len(self._free_gpus) // self.gpus_per_run)
        return max(0, free)

    def start(self, spec: RunSpec) -> None:
        if self.free_slots() < 1:
            raise RuntimeError("no free slot in the pool (the grid must check free_slots first)")
        if self.gpus_per_run:
            ids, self._free_gpus = self._free_gpus[:self.gpus_per_run], self._free_gpus[self.gpus_per_run:]
            spec = replace(spec, limits=replace(spec.limits, gpus=",".join(ids)))
        run_dir = Path(spec.run_dir or "")
        run_dir.mkdir(parents=True, exist_ok=True)
        log_path = run_dir / WORKER_LOG
        offset = log_path.stat().st_size if log_path.exists() else 0
        proc = self._ctx.Process(target=process_main, args=(spec.to_dict(), str(log_path)), name=run_dir.name)
        proc.start()
        self._running.append(_Worker(spec, proc, log_path, offset))

    def wait(self, timeout_s: float) -> list[Ended]:
        deadline = time.monotonic() + timeout_s
        while True:
            done = [w for w in self._running if not w.process.is_alive()]
            if done or time.monotonic() >= deadline:
                break
            multiprocessing.connection.wait([w.process.sentinel for w in self._running],
                                            timeout=max(0.0, deadline - time.monotonic()))
        ended = []
        for w in done:
            w.process.join()
            self._running.remove(w)
            if self.gpus_per_run and w.spec.limits.gpus:
                self._free_gpus.extend(w.spec.limits.gpus.split(","))
            ended.append(Ended(w.spec, w.process.exitcode, log_tail(w.log_path, w.log_offset)))
        return ended

    def running(self) -> list[RunSpec]:
        return [w.spec for w in self._running]

    def cancel(self) -> None:
        stop_processes([w.process for w in self._running], self.grace_s)
        self._running.clear()

    def close(self) -> None:
        self.cancel()


# ---- Ray ----------------------------------------------------------------------------------------------
def ray_task(spec_dict: dict[str, Any]) -> dict[str, Any]:
    """Body of one Ray task: the GPUs Ray assigned become the run's GPUs; the run goes in this worker
    process (Ray reuses it, so the imports are paid once per worker). `ray.cancel` raises
    KeyboardInterrupt here: the run then closes its sandbox and writes an "interrupted" record."""
    import ray  # only inside Ray workers, which have it

    spec = RunSpec.from_dict(spec_dict)
    gpu_ids = [str(g) for g in ray.get_gpu_ids()]
    if gpu_ids:
        spec = replace(spec, limits=replace(spec.limits, gpus=",".join(gpu_ids)))
    log_path = Path(spec.run_dir or "") / WORKER_LOG
    log_path.parent.mkdir(parents=True, exist_ok=True)
    offset = log_path.stat().st_size if log_path.exists() else 0
    handler = logging.FileHandler(log_path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with dropped_interrupts_redelivered():
            code = run_in_group(spec)
    finally:
        root.removeHandler(handler)
        handler.close()
    return {"exit_code": code, "log_tail": log_tail(log_path, offset)}


class RayExecutor:
    """Each run a Ray task with its CPU/GPU request; Ray retries a task whose node or worker died
    (`node_retries`), and Ctrl-C cancels every task for real (each run first gets to write its record).

    Multi-node clusters need the group directory and the data dir on storage every node sees, and
    mle-suite installed on every node.
    """

    kind = "ray"

    def __init__(self, address: str, cpus_per_run: float | None, gpus_per_run: int, workers: int | None = None,
                 node_retries: int = 3, grace_s: float = STOP_GRACE_S, temp_dir: str | None = None) -> None:
        import ray  # optional dependency: pip install 'mle-suite[ray]'

        self.ray, self.address = ray, address
        self.cpus_per_run, self.gpus_per_run, self.workers = cpus_per_run or 1, gpus_per_run, workers
        self.node_retries, self.grace_s = node_retries, grace_s
        started = time.monotonic()
        if address == "local":
            ray.init(include_dashboard=False, _temp_dir=temp_dir, log_to_driver=False)
        else:
            ray.init(address=address, log_to_driver=False)
        self.init_s = time.monotonic() - started
        self._task = ray.remote(ray_task)
        self._refs: dict[Any, RunSpec] = {}

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "address": self.address, "cpus_per_run": self.cpus_per_run,
                "gpus_per_run": self.gpus_per_run, "cluster_resources": self.ray.cluster_resources()}

    def free_slots(self) -> int:
        res = self.ray.cluster_resources()
        cap = int(res.get("CPU", 0) // self.cpus_per_run)
        if self.gpus_per_run:
            cap = min(cap, int(res.get("GPU", 0) // self.gpus_per_run))
        cap = int(min(cap, self.workers or math.inf))
        # A cluster with nothing yet (autoscaling from zero) still gets one task queued, so it can grow.
        return max(0, max(cap, 1) - len(self._refs))

    def start(self, spec: RunSpec) -> None:
        options = {"num_cpus": self.cpus_per_run, "num_gpus": self.gpus_per_run, "max_retries": self.node_retries,
                   "retry_exceptions": False, "name": f"mle-suite:{Path(spec.run_dir or '').name}"}
        self._refs[self._task.options(**options).remote(spec.to_dict())] = spec

    def wait(self, timeout_s: float) -> list[Ended]:
        if not self._refs:
            time.sleep(min(timeout_s, 0.1))
            return []
        ready, _ = self.ray.wait(list(self._refs), num_returns=1, timeout=timeout_s)
        if ready:
            ready, _ = self.ray.wait(list(self._refs), num_returns=len(self._refs), timeout=0)
        ended = []
        for ref in ready:
            spec = self._refs.pop(ref)
            try:
                out = self.ray.get(ref)
                ended.append(Ended(spec, out["exit_code"], out["log_tail"]))
            except self.ray.exceptions.RayError as exc:
                ended.append(Ended(spec, None, error=f"{type(exc).__name__}: {str(exc)[-2000:]}"))
        return ended

    def running(self) -> list[RunSpec]:
        return list(self._refs.values())

    def cancel(self) -> None:
        refs = list(self._refs)
        for ref in refs:
            self.ray.cancel(ref, force=False)
        if refs:
            _, left = self.ray.wait(refs, num_returns=len(refs), timeout=self.grace_s + 5)
            for ref in left:
                self.ray.cancel(ref, force=True)
        self._refs.clear()

    def close(self) -> None:
        self.cancel()
        self.ray.shutdown()
