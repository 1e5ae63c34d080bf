"""LLM layer benchmark.

1. Client overhead: the same chat request sent to the same local ScriptedServer by the raw `openai`
   client (baseline), by raw `litellm.completion`, and by `LLM.chat` (with and without a call log).
   Rounds are interleaved so that load from other processes hits every client alike.
2. Embedded model speed: prompt and generation tokens/second of the local models through the whole
   stack (LLM -> litellm -> llama.cpp server), and the time of a typical agent step.

    .venv/bin/python benchmarks/llm.py [--calls 300] [--models local-0.5b local-1.5b] [--skip-local]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scaffolds.core.llm import LLM, Message  # noqa: E402
from scaffolds.core.llm.models import import_litellm  # noqa: E402
from scaffolds.core.llm.testing import Reply, ScriptedServer  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "llm.md"
PROMPT = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Say hi."}]


def _timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def overhead(calls: int, rounds: int = 10) -> list[str]:
    import openai

    litellm = import_litellm()
    with ScriptedServer(rule=lambda body: Reply.text("hi", prompt_tokens=12, completion_tokens=1)) as srv:
        raw = openai.OpenAI(base_url=srv.url, api_key="bench", max_retries=0)
        llm = LLM("openai/scripted", api_base=srv.url, price=(1.0, 1.0))
        logdir = tempfile.mkdtemp(prefix="llm-bench-")
        logged = LLM("openai/scripted", api_base=srv.url, price=(1.0, 1.0), log_path=Path(logdir) / "calls.jsonl")
        messages = [Message.system("You are terse."), Message.user("Say hi.")]
        clients: dict[str, Callable[[], object]] = {
            "raw openai client (baseline)": lambda: raw.chat.completions.create(model="scripted", messages=PROMPT),
            "raw litellm.completion": lambda: litellm.completion(model="openai/scripted", api_base=srv.url,
                                                                 api_key="bench", messages=PROMPT, max_retries=0),
            "LLM.chat": lambda: llm.chat(messages),
            "LLM.chat + JSONL call log": lambda: logged.chat(messages),
        }
        for fn in clients.values():  # warm-up: imports, connection pools, lazy initialisation
            _timed(fn, 20)
        times: dict[str, list[float]] = {name: [] for name in clients}
        per_round = max(1, calls // rounds)
        for _ in range(rounds):
            for name, fn in clients.items():
                times[name] += _timed(fn, per_round)
    base = statistics.median(times["raw openai client (baseline)"])
    rows = ["| client | median ms/call | mean ms/call | ratio to baseline (median) | added ms (median) |",
            "|---|---|---|---|---|"]
    for name, values in times.items():
        med = statistics.median(values)
        rows.append(f"| {name} | {med * 1e3:.2f} | {statistics.fmean(values) * 1e3:.2f} | {med / base:.2f}x | "
                    f"{(med - base) * 1e3:+.2f} |")
    rows.append(f"\n{per_round * rounds} calls per client, in {rounds} interleaved rounds, after 20 warm-up calls.")
    return rows


def local_speed(model: str) -> list[str]:
    llm = LLM(model, max_tokens=128, temperature=0.0)
    started = time.perf_counter()
    llm.chat([Message.user("Say OK.")])  # starts the server, loads the weights
    first = time.perf_counter() - started

    filler = " ".join(f"column_{i} holds a numeric feature measured in units of {i % 7}." for i in range(60))
    prompt_runs, gen_runs = [], []
    for _ in range(2):
        # A fresh prefix each time, so llama.cpp cannot reuse the previous prompt's KV cache.
        tag = uuid.uuid4().hex
        probe = LLM(model, max_tokens=1, temperature=0.0)
        res = probe.chat([Message.user(f"[{tag}] Dataset notes: {filler}\nReply with OK.")])
        prompt_runs.append(res.usage.prompt_tokens / res.usage.latency_s)
        res = llm.chat([Message.user(f"[{tag}] Write a Python function that parses a CSV file with pandas, "
                                     "fills missing values with the column median and trains a "
                                     "RandomForestClassifier. Include comments.")])
        prompt_time = res.usage.prompt_tokens / prompt_runs[-1]
        gen_runs.append(res.usage.completion_tokens / max(1e-6, res.usage.latency_s - prompt_time))
    prompt_tps, gen_tps = max(prompt_runs), max(gen_runs)
    step = 1500 / prompt_tps + 400 / gen_tps
    return [f"| {model} | {prompt_tps:.1f} | {gen_tps:.1f} | {first:.1f} | {step:.0f} |"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--models", nargs="*", default=["local-0.5b", "local-1.5b"])
    parser.add_argument("--skip-local", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    load = os.getloadavg()
    lines = ["## LLM layer (`scaffolds/core/llm`)", "",
             "Command: `" + " ".join([".venv/bin/python benchmarks/llm.py", *sys.argv[1:]]) + "`", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"load average at start {load[0]:.1f} (the machine is shared, so absolute times vary).", "",
             "### Client overhead against a local scripted OpenAI-compatible server", ""]
    lines += overhead(args.calls)
    if not args.skip_local:
        lines += ["", "### Embedded model (llama.cpp server on 127.0.0.1, n_threads = cores, through LLM.chat)", "",
                  "| model | prompt tok/s | generation tok/s | first call incl. server start (s) | "
                  "typical agent step: 1500-token prompt + 400-token answer (s) |", "|---|---|---|---|---|"]
        for model in args.models:
            try:
                lines += local_speed(model)
            except Exception as err:  # noqa: BLE001 - report a missing model, measure the others
                lines.append(f"| {model} | not measured: {err} | | | |")
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
