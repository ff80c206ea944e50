"""Speed of the backends on the bundled model (`python -m irg.bench speed`), their greedy agreement (`agree`) and the
wall time of irg_hybrid runs (`timing`).

Each backend is measured in its own fresh process (so start-up time and peak RSS
are its own): process start -> model ready (first ever, with an empty cache, and
cached), time to first token, single-stream tokens/s (greedy, 256 new tokens),
aggregate tokens/s with 8 concurrent requests, and a 4-iteration `irg_hybrid`
run with the share of its time spent outside token generation. Medians of
`--runs` repetitions on fixed prompts. (`python -m irg.bench.speed BACKEND RUNS` is that process: it prints one
row as JSON.)
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from irg.engine.backends import GenRequest
from irg.engine.config import RunConfig
from irg.engine.decoding import DecodingConstraints
from irg.engine.events import IterationDone
from irg.engine.record import Recorder

PROMPTS = ["Explain how rain forms.", "Write a story about a lighthouse keeper.", "Describe how a bicycle works.",
           "Give advice to a new student.", "Describe the water cycle."]
# stays critical: 4 iterations
IRG_PROMPT = "Write a short poem about the sea. The letter q should appear at least 20 times."
NEW_TOKENS = 256


class Timed:
    """Wraps a backend and adds up the seconds its calls spend inside the inference engine."""

    def __init__(self, backend):
        self.b, self.engine_seconds = backend, 0.0
        self._lock = threading.Lock()

    def __getattr__(self, name):
        return getattr(self.b, name)

    def stream(self, req, cancel=None):
        s = self.b.stream(req, cancel)
        inner = s._pieces

        def pieces():
            yield from inner()
            with self._lock:
                self.engine_seconds += s.result.engine_seconds
        s._pieces = pieces
        return s

    def generate(self, req, cancel=None):
        return self.stream(req, cancel).finish()


def ready_seconds(backend: str, cache_dir: str) -> float:
    """Wall time from spawning a Python process to a loaded, usable model."""
    code = ("from irg.engine.models import get_backend; import sys; "
            "get_backend('bundled', backend=sys.argv[1]); print('READY', flush=True)")
    env = {**os.environ, "IRG_CACHE_DIR": cache_dir}
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-c", code, backend], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         env=env, text=True)
    for line in p.stdout:
        if line.startswith("READY"):
            dt = time.perf_counter() - t0
            break
    else:
        raise RuntimeError(f"{backend}: the model did not load")
    p.wait()
    return dt


def measure(backend: str, runs: int) -> dict:
    """Runs inside the measuring subprocess."""
    import resource

    from irg.engine.models import get_backend
    from irg.engine.strategies import run

    b = get_backend("bundled", backend=backend)
    fixed = DecodingConstraints(min_new_tokens=NEW_TOKENS)  # every request generates exactly NEW_TOKENS

    def req(p):
        return GenRequest([{"role": "user", "content": p}], max_new_tokens=NEW_TOKENS, constraints=fixed)

    b.generate(GenRequest([{"role": "user", "content": "Hi"}], max_new_tokens=8))  # warm-up
    ttft, tps = [], []
    for i in range(runs):
        r = req(PROMPTS[i % len(PROMPTS)])
        t0 = time.perf_counter()
        s = b.stream(r)
        first = None
        for _ in s:
            first = first or time.perf_counter() - t0
        ttft.append(first)
        tps.append(s.result.completion_tokens / (time.perf_counter() - t0))
    agg = []
    for i in range(runs):
        reqs = [req(PROMPTS[(i + k) % len(PROMPTS)]) for k in range(8)]
        t0 = time.perf_counter()
        gens = b.generate_batch(reqs)
        agg.append(sum(g.completion_tokens for g in gens) / (time.perf_counter() - t0))
    irg, outside, iters = [], [], []
    for _ in range(runs):
        tb = Timed(b)
        t0 = time.perf_counter()
        evs = list(run(IRG_PROMPT, tb, RunConfig(strategy="irg_hybrid", max_iters=4)))
        total = time.perf_counter() - t0
        irg.append(total)
        outside.append(1 - tb.engine_seconds / total)
        iters.append(sum(isinstance(e, IterationDone) for e in evs))
    return {"backend": backend, "ttft_s": statistics.median(ttft), "single_tok_s": statistics.median(tps),
            "agg8_tok_s": statistics.median(agg), "irg4_s": statistics.median(irg),
            "irg4_outside_share": statistics.median(outside), "irg4_iterations": statistics.median(iters),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def speed(backends: list[str], runs: int) -> list[dict]:
    rows = []
    for backend in backends:
        with tempfile.TemporaryDirectory() as empty:
            first = ready_seconds(backend, empty)  # converts into the empty cache
            cached = statistics.median(ready_seconds(backend, empty) for _ in range(3))
        out = subprocess.run([sys.executable, "-m", "irg.bench.speed", backend, str(runs)], capture_output=True,
                             text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        row.update(ready_first_s=first, ready_cached_s=cached)
        rows.append(row)
        print_table(row)
    return rows


def print_table(r: dict) -> None:
    print(f"\n### {r['backend']}\n\n| measure | value |\n|---|---|")
    lines = [("process start → model ready, first ever", f"{r['ready_first_s']:.2f} s"),
             ("process start → model ready, cached", f"{r['ready_cached_s']:.2f} s"),
             ("time to first token", f"{r['ttft_s'] * 1000:.0f} ms"),
             (f"single stream, greedy, {NEW_TOKENS} new tokens", f"{r['single_tok_s']:.1f} tok/s"),
             ("8 concurrent requests, aggregate", f"{r['agg8_tok_s']:.1f} tok/s"),
             (f"irg_hybrid run ({r['irg4_iterations']:.0f} iterations)", f"{r['irg4_s']:.1f} s"),
             ("… share outside token generation", f"{r['irg4_outside_share']:.1%}"),
             ("peak RSS", f"{r['peak_rss_mb']:.0f} MB")]
    for k, v in lines:
        print(f"| {k} | {v} |")
    sys.stdout.flush()


def agree(prompts: list[str], new_tokens: int = 64) -> dict:
    """Greedy outputs of llama.cpp and transformers on the same GGUF weights, compared token by token."""
    from irg.engine.models import get_backend

    hf, lc = get_backend("bundled", backend="transformers"), get_backend("bundled", backend="llama.cpp")
    shared, exact = [], 0
    for p in prompts:
        r = GenRequest([{"role": "user", "content": p}], max_new_tokens=new_tokens)
        a, b = (hf.tokenizer(x.text, add_special_tokens=False)["input_ids"] for x in (hf.generate(r), lc.generate(r)))
        n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        shared.append(n / max(len(a), len(b), 1))  # share of tokens before the first difference
        exact += a == b
    return {"prompts": len(prompts), "new_tokens": new_tokens, "identical": exact / len(prompts),
            "mean_shared_prefix": statistics.mean(shared), "median_shared_prefix": statistics.median(shared)}


def timing(n: int = 20, constraints: int = 3, max_iters: int = 4, backend: str = "llama.cpp", model: str = "bundled",
           structure: str = "slots") -> dict:
    """Wall time of irg_hybrid runs (one at a time: uncontended) on the first `n` test prompts with `constraints`
    constraints: median, mean and max seconds, mean tokens and iterations."""
    from irg.engine.models import get_backend
    from irg.engine.strategies import run
    from irg.evaluation import suites

    items = [it for it in suites.load("constraints", "test") if len(it["gold_constraints"]) == constraints][:n]
    b = get_backend(model, backend)
    list(run("Say hi.", b, RunConfig(strategy="single_pass", max_new_tokens=4)))  # warm-up, not timed
    rows = []
    for it in items:
        rec, t = Recorder(it["id"]), time.perf_counter()
        for _ in rec.wrap(run(it["prompt"], b, RunConfig(strategy="irg_hybrid", max_iters=max_iters,
                                                         structure=structure))):
            pass
        rows.append({"id": it["id"], "seconds": round(time.perf_counter() - t, 3), "tokens": rec.record["tokens_total"],
                     "iterations": len(rec.record["iterations"]), "stop": rec.record["stop_reason"]})
        print(json.dumps(rows[-1]), file=sys.stderr)
    secs = [r["seconds"] for r in rows]
    return {"backend": backend, "prompts": len(rows), "constraints_per_prompt": constraints, "max_iters": max_iters,
            "structure": structure, "median_seconds": statistics.median(secs),
            "mean_seconds": round(statistics.mean(secs), 3),
            "max_seconds": max(secs), "mean_tokens": round(statistics.mean(r["tokens"] for r in rows), 1),
            "mean_iterations": round(statistics.mean(r["iterations"] for r in rows), 2),
            "runs_with_4_iterations": sum(r["iterations"] == max_iters for r in rows), "rows": rows}


if __name__ == "__main__":  # the measuring process that speed() starts for each backend
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]))))
