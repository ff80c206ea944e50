"""Benchmarks. `python -m irg.bench speed [--backend B ...] [--runs N]` prints one table per backend (`--adapters`: the
tuned adapters' speed and llama.cpp under contention, irg/bench/adapters.py);
`python -m irg.bench app` times the app in Chromium (irg/bench/app.py), `presets` runs each example there.

Each backend is measured in its own fresh process (so start-up time and peak RSS
are its own): process start -> model ready (first ever, with an empty cache, and
cached), time to first token, single-stream tokens/s (greedy, 256 new tokens),
aggregate tokens/s with 8 concurrent requests, and a 4-iteration `irg_hybrid`
run with the share of its time spent outside token generation. Medians of
`--runs` repetitions on fixed prompts.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from irg.bench import debris as bench_debris
from irg.bench import presets as bench_presets
from irg.engine.backends import GenRequest
from irg.engine.config import HYBRID_CRITIC, STRUCTURE, ConfigError, RunConfig
from irg.engine.decoding import DecodingConstraints
from irg.engine.events import IterationDone
from irg.engine.record import Recorder
from irg.engine.registry import BACKENDS, PLANNERS, STOP_RULES
from irg.evaluation.suites import SPLITS, SUITES

PROMPTS = ["Explain how rain forms.", "Write a story about a lighthouse keeper.", "Describe how a bicycle works.",
           "Give advice to a new student.", "Describe the water cycle."]
IRG_PROMPT = "Write a short poem about the sea. The letter q should appear at least 20 times."  # stays critical: 4 iterations
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
    code = ("from irg.engine.models import get_backend; import sys; get_backend('bundled', backend=sys.argv[1]); print('READY', flush=True)")
    env = {**os.environ, "IRG_CACHE_DIR": cache_dir}
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-c", code, backend], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
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
        out = subprocess.run([sys.executable, "-m", "irg.bench", "_measure", backend, str(runs)], capture_output=True,
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
        for _ in rec.wrap(run(it["prompt"], b, RunConfig(strategy="irg_hybrid", max_iters=max_iters, structure=structure))):
            pass
        rows.append({"id": it["id"], "seconds": round(time.perf_counter() - t, 3), "tokens": rec.record["tokens_total"],
                     "iterations": len(rec.record["iterations"]), "stop": rec.record["stop_reason"]})
        print(json.dumps(rows[-1]), file=sys.stderr)
    secs = [r["seconds"] for r in rows]
    return {"backend": backend, "prompts": len(rows), "constraints_per_prompt": constraints, "max_iters": max_iters,
            "structure": structure, "median_seconds": statistics.median(secs), "mean_seconds": round(statistics.mean(secs), 3),
            "max_seconds": max(secs), "mean_tokens": round(statistics.mean(r["tokens"] for r in rows), 1),
            "mean_iterations": round(statistics.mean(r["iterations"] for r in rows), 2),
            "runs_with_4_iterations": sum(r["iterations"] == max_iters for r in rows), "rows": rows}


def quality_main(args, argv: list[str]) -> int:
    from pathlib import Path

    from irg.evaluation import runner as quality
    from irg.evaluation import suites

    out = Path(args.out or f"runs/quality/{args.suite}-{args.split}")
    if args.background:
        pid = quality.background(argv, out / "run.log")
        print(f"running in the background (pid {pid}); progress in {out / 'run.log'}")
        return 0
    if not args.report_only:
        try:
            items = suites.load(args.suite, args.split, args.n, args.data)
            base = RunConfig(max_iters=args.max_iters, budget=args.budget, max_new_tokens=args.max_new_tokens,
                             hybrid_critic=args.hybrid_critic, planner=args.planner, stop=args.stop,
                             structure=args.structure, candidates=args.candidates,
                             repetition_penalty=args.repetition_penalty).to_dict()
        except (ValueError, OSError, ConfigError) as e:
            print(f"error: {e}")
            return 2
        strategies = [s.strip() for s in args.strategies.split(",") if s.strip()]
        (out / "settings.json").parent.mkdir(parents=True, exist_ok=True)
        (out / "settings.json").write_text(json.dumps({"suite": args.suite, "split": args.split, "n": len(items),
                                                       "strategies": strategies, "config": base, "model": args.model}, indent=1))
        quality.run_suite(items, strategies, base, out / "results.jsonl", args.model, args.backend, workers=args.workers)
    from irg.evaluation import summary as evaluation

    summary = evaluation.report(out / "results.jsonl", out)
    evaluation.print_summary(summary)
    return 0


def main(argv=None) -> int:
    from irg.views import plugins

    plugins.load()  # students and adapters as model choices
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_measure"]:
        print(json.dumps(measure(argv[1], int(argv[2]))))
        return 0
    args = parser().parse_args(argv)
    return run_command(args, argv)


def parser() -> argparse.ArgumentParser:
    """Every benchmark and its flags; choices come from the registries and the config's own lists."""
    from irg.engine.models import DEFAULT_BACKEND, backend_choices

    p = argparse.ArgumentParser(prog="python -m irg.bench")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("speed", help="speed of each backend on the bundled model")
    s.add_argument("--backend", action="append", choices=BACKENDS.names(),
                   help="repeat to measure several (default: both)")
    s.add_argument("--runs", type=int, default=5)
    s.add_argument("--out", help="also write the rows as JSON here")
    s.add_argument("--adapters", action="store_true", help="instead: the shipped GAN and LoRA adapters on llama.cpp vs "
                   "transformers, teacher-forced agreement, contention (issue 25; --out gets speed.json's layout)")
    s.add_argument("--part", action="append", choices=["speeds", "interleaved", "agreement", "rouge", "contention", "contention_chosen", "idle_ab",
                            "lora_formats"],
                   help="with --adapters: measure only these (repeat; default: all but lora_formats); the rest of --out stays")
    a = sub.add_parser("agree", help="greedy agreement of llama.cpp and transformers on fixed prompts")
    a.add_argument("--prompts", default="assets/prompts/constraints_30.jsonl", help="JSONL with a prompt per line")
    a.add_argument("--new-tokens", type=int, default=64)
    w = sub.add_parser("app", help="the app in Chromium: Run -> first token, hybrid run time, Stop (needs playwright)")
    w.add_argument("--runs", type=int, default=3)
    w.add_argument("--chromium", default="/usr/bin/chromium")
    w.add_argument("--out", help="also write the measurements as JSON here")
    w.add_argument("--screenshot", help="save a full-page screenshot of a finished run here")
    w.add_argument("--burner", action="store_true", help="instead: forest runs with a CPU burner beside the app")
    w.add_argument("--adapter", help="instead: forest runs with this adapter toggled on (its label, e.g. 'LoRA adapter')")
    bench_presets.add_parser(sub)  # subcommands that parse and run themselves (set_defaults(run_command=...))
    bench_debris.add_parser(sub)
    q = sub.add_parser("quality", help="strategies over a task suite: results JSONL + HTML report (resumable)")
    q.add_argument("--suite", required=True, choices=SUITES.names())
    q.add_argument("--strategies", default="single_pass,best_of_n,self_consistency,irg_internal,irg_external,irg_hybrid")
    q.add_argument("--n", type=int, help="first N items of the split (maths: how many to generate)")
    q.add_argument("--split", default="test", choices=list(SPLITS), help="train: the constraints suite's teaching split (issue 23)")
    q.add_argument("--data", help="suite file (gsm8k: a GSM8K JSONL file, or 'hub' when online)")
    q.add_argument("--budget", type=int, default=1500, help="the same token budget for every strategy (0 = none)")
    q.add_argument("--max-iters", type=int, default=4)
    q.add_argument("--max-new-tokens", type=int, default=256)
    q.add_argument("--hybrid-critic", default=RunConfig().hybrid_critic, choices=HYBRID_CRITIC,
                   help="irg_hybrid: ask the model critic every iteration, or only once the rules find nothing critical")
    q.add_argument("--planner", default="template", choices=PLANNERS.names())
    q.add_argument("--stop", default="fixed", choices=STOP_RULES.names(), help="the IRG strategies' stop rule")
    q.add_argument("--structure", default=RunConfig().structure, choices=list(STRUCTURE),
                   help="what a revision may use (each level includes the ones before; the ablation of issue 14)")
    q.add_argument("--candidates", type=int, default=1, help="drafts per IRG revision, ranked by the rules then log-prob")
    q.add_argument("--repetition-penalty", type=float, default=RunConfig().repetition_penalty,
                   help="every draft's repetition penalty (1 = none; the default is issue 35's measured choice)")
    q.add_argument("--model", default="bundled")
    q.add_argument("--backend", default=DEFAULT_BACKEND, choices=backend_choices())
    q.add_argument("--out", help="folder for results.jsonl, summary.json, report.html (default runs/quality/SUITE-SPLIT)")
    q.add_argument("--workers", type=int, default=1, help="runs at once on the shared model (llama.cpp batches them)")
    q.add_argument("--background", action="store_true", help="run detached, logging to OUT/run.log")
    q.add_argument("--report-only", action="store_true", help="recompute the summary and report from results.jsonl")
    t = sub.add_parser("timing", help="irg_hybrid wall time on prompts with 3 constraints, one run at a time")
    t.add_argument("--n", type=int, default=20)
    t.add_argument("--max-iters", type=int, default=4)
    t.add_argument("--backend", default="llama.cpp", choices=backend_choices())
    t.add_argument("--structure", default=RunConfig().structure, choices=list(STRUCTURE))
    t.add_argument("--out", help="also write the result as JSON here")
    m = sub.add_parser("memory", help="app memory after each round of concurrent sessions (issue 20)")
    m.add_argument("--rounds", type=int, default=8)
    m.add_argument("--sessions", type=int, default=8)
    m.add_argument("--strategy", default="irg_hybrid")
    m.add_argument("--checkout", help="run the app of another checkout (e.g. an earlier commit's worktree)")
    m.add_argument("--out", help="also write the result as JSON here")
    r = sub.add_parser("recovery", help="the model process killed, stopped or shared: lines lost, throughput (issue 34)")
    r.add_argument("--part", action="append", choices=("kills", "batches", "hang"),
                   help="kills, batches, hang (default: all; repeat the flag for several)")
    r.add_argument("--checkout", help="kills, batches: run the batches of another checkout (e.g. an earlier commit's worktree)")
    r.add_argument("--out", help="also write the result as JSON here (with --part, the other parts are kept)")
    h = sub.add_parser("history", help="does greedy output depend on earlier requests, per llama.cpp host-cache size")
    h.add_argument("--out", help="also write the result as JSON here")
    b = sub.add_parser("boundary", help="llama.cpp in this process vs in a child (pipe, http): first token, tok/s")
    b.add_argument("--runs", type=int, default=5)
    b.add_argument("--new-tokens", type=int, default=128)
    b.add_argument("--out", help="also write the result as JSON here")
    c = sub.add_parser("compare", help="one strategy in two results files (e.g. two planners), paired on the same prompts")
    c.add_argument("a", help="results.jsonl (or its folder): the variant")
    c.add_argument("b", help="results.jsonl (or its folder): what it is compared with")
    c.add_argument("--strategy", default="irg_hybrid")
    c.add_argument("--out", help="also write the comparison as JSON here")
    return p


def run_command(args: argparse.Namespace, argv: list[str]) -> int:
    if args.cmd == "compare":
        from irg.evaluation.summary import compare_files

        try:
            res = compare_files(args.a, args.b, args.strategy)
        except (OSError, ValueError) as e:
            print(f"error: {e}")
            return 2
        print(json.dumps(res, indent=1))
        if args.out:
            Path(args.out).write_text(json.dumps(res, indent=1))
        return 0
    if args.cmd == "quality":
        return quality_main(args, argv)
    if args.cmd == "timing":
        res = timing(args.n, 3, args.max_iters, args.backend, structure=args.structure)
        print(json.dumps({k: v for k, v in res.items() if k != "rows"}, indent=1))
        if args.out:
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text(json.dumps(res, indent=1))
        return 0
    if args.cmd in ("memory", "boundary", "history"):
        from irg.bench import robust

        res = (robust.memory(args.rounds, args.sessions, args.strategy, checkout=args.checkout) if args.cmd == "memory"
               else robust.history() if args.cmd == "history" else robust.boundary(args.runs, args.new_tokens))
        if args.out:
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text(json.dumps(res, indent=1))
        return 0
    if args.cmd == "recovery":
        from irg.bench import recovery

        previous = json.loads(Path(args.out).read_text()) if args.out and Path(args.out).exists() else {}
        res = {**previous, **recovery.measure(tuple(args.part or recovery.PARTS), args.checkout)}
        if args.out:
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text(json.dumps(res, indent=1))
        return 0
    if getattr(args, "run_command", None):
        return args.run_command(args)
    if args.cmd == "app":
        from irg.bench import app as bench_app

        return bench_app.main(args.runs, args.chromium, args.out, args.screenshot, args.burner, args.adapter)
    if args.cmd == "agree":
        with open(args.prompts, encoding="utf-8") as fh:
            prompts = [json.loads(line)["prompt"] for line in fh if line.strip()] + PROMPTS
        print(json.dumps(agree(prompts, args.new_tokens), indent=1))
        return 0
    if args.adapters:
        from irg.bench.adapters import PARTS, measure

        def save(res: dict) -> None:
            if args.out:
                Path(args.out).parent.mkdir(parents=True, exist_ok=True)
                Path(args.out).write_text(json.dumps(res, indent=1))
        previous = json.loads(Path(args.out).read_text()) if args.part and args.out and Path(args.out).exists() else None
        res = measure(args.runs, tuple(args.part or PARTS), save, previous)  # --part: the other parts stay as they were
        save(res)
        print(json.dumps(res, indent=1))
        return 0
    rows = speed(args.backend or ["llama.cpp", "transformers"], args.runs)
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(rows, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
