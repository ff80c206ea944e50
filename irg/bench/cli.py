"""`python -m irg.bench COMMAND`: the benchmarks, one argparse subcommand each (`--help` lists them). Each subcommand
names the function that runs it (`set_defaults(func=...)`); the measurements live in their own modules: speed.py
(speed, agree, timing), adapters.py, app.py (the app in Chromium: app, busy), presets.py, debris.py, robust.py
(memory, history, boundary), recovery.py; quality runs the evaluation runner.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from irg.bench import debris as bench_debris
from irg.bench import presets as bench_presets
from irg.bench import serve as bench_serve
from irg.engine.config import HYBRID_CRITIC, STRUCTURE, ConfigError, RunConfig
from irg.engine.jsonl import rows
from irg.engine.registry import BACKENDS, PLANNERS, STOP_RULES
from irg.evaluation.suites import SPLITS, SUITES


def _write(out: str | None, res) -> None:
    """--out: the result as JSON (its folder made)."""
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(res, indent=1))


def quality_main(args) -> int:
    from irg.evaluation import runner as quality
    from irg.evaluation import suites

    out = Path(args.out or f"runs/quality/{args.suite}-{args.split}")
    if args.background:
        pid = quality.background(args.argv, out / "run.log")
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
                                                       "strategies": strategies, "config": base,
                                                       "model": args.model}, indent=1))
        quality.run_suite(items, strategies, base, out / "results.jsonl", args.model, args.backend,
                          workers=args.workers)
    from irg.evaluation import summary as evaluation

    summary = evaluation.report(out / "results.jsonl", out)
    evaluation.print_summary(summary)
    return 0


def _speed(args) -> int:
    from irg.bench.speed import speed

    _write(args.out, speed(args.backend or ["llama.cpp", "transformers"], args.runs))
    return 0


def _adapters(args) -> int:
    from irg.bench.adapters import PARTS, measure

    previous = json.loads(Path(args.out).read_text()) if args.part and args.out and Path(args.out).exists() else None
    # --part: the rest stays
    res = measure(args.runs, tuple(args.part or PARTS), lambda r: _write(args.out, r), previous)
    _write(args.out, res)
    print(json.dumps(res, indent=1))
    return 0


def _agree(args) -> int:
    from irg.bench.speed import PROMPTS, agree

    prompts = [r["prompt"] for r in rows(args.prompts)] + PROMPTS
    print(json.dumps(agree(prompts, args.new_tokens), indent=1))
    return 0


def _app(args) -> int:
    from irg.bench import app as bench_app

    return bench_app.main(args.runs, args.chromium, args.out, args.screenshot)


def _busy(args) -> int:
    from irg.bench import app as bench_app

    if why := bench_app.no_chromium(args.chromium):
        print(why)
        return 2
    _write(args.out, bench_app.busy(args.runs, args.chromium, args.burner, args.adapter))
    return 0


def _timing(args) -> int:
    from irg.bench.speed import timing

    res = timing(args.n, 3, args.max_iters, args.backend, structure=args.structure)
    print(json.dumps({k: v for k, v in res.items() if k != "rows"}, indent=1))
    _write(args.out, res)
    return 0


def _memory(args) -> int:
    from irg.bench import robust

    _write(args.out, robust.memory(args.rounds, args.sessions, args.strategy, checkout=args.checkout))
    return 0


def _history(args) -> int:
    from irg.bench import robust

    _write(args.out, robust.history())
    return 0


def _boundary(args) -> int:
    from irg.bench import robust

    _write(args.out, robust.boundary(args.runs, args.new_tokens))
    return 0


def _recovery(args) -> int:
    from irg.bench import recovery

    previous = json.loads(Path(args.out).read_text()) if args.out and Path(args.out).exists() else {}
    _write(args.out, {**previous, **recovery.measure(tuple(args.part or recovery.PARTS), args.checkout)})
    return 0


def _compare(args) -> int:
    from irg.evaluation.summary import compare_files

    try:
        res = compare_files(args.a, args.b, args.strategy)
    except (OSError, ValueError) as e:
        print(f"error: {e}")
        return 2
    print(json.dumps(res, indent=1))
    _write(args.out, res)
    return 0


def main(argv=None) -> int:
    from irg.views import plugins

    plugins.load()  # students and adapters as model choices
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser().parse_args(argv)
    args.argv = argv  # quality --background starts itself again with them
    return args.func(args)


def _quality_parser(sub) -> None:
    """`quality`: the run settings every strategy shares, and where the results go."""
    from irg.engine.models import DEFAULT_BACKEND, backend_choices

    q = sub.add_parser("quality", help="strategies over a task suite: results JSONL + HTML report (resumable)")
    q.add_argument("--suite", required=True, choices=SUITES.names())
    q.add_argument("--strategies",
                   default="single_pass,best_of_n,self_consistency,irg_internal,irg_external,irg_hybrid")
    q.add_argument("--n", type=int, help="first N items of the split (maths: how many to generate)")
    q.add_argument("--split", default="test", choices=list(SPLITS),
                   help="train: the constraints suite's teaching split (issue 23)")
    q.add_argument("--data", help="suite file (gsm8k: a GSM8K JSONL file, or 'hub' when online)")
    q.add_argument("--budget", type=int, default=1500, help="the same token budget for every strategy (0 = none)")
    q.add_argument("--max-iters", type=int, default=4)
    q.add_argument("--max-new-tokens", type=int, default=256)
    q.add_argument("--hybrid-critic", default=RunConfig().hybrid_critic, choices=HYBRID_CRITIC,
                   help="irg_hybrid: ask the model critic every iteration, or only once the rules find nothing "
                        "critical")
    q.add_argument("--planner", default="template", choices=PLANNERS.names())
    q.add_argument("--stop", default="fixed", choices=STOP_RULES.names(), help="the IRG strategies' stop rule")
    q.add_argument("--structure", default=RunConfig().structure, choices=list(STRUCTURE),
                   help="what a revision may use (each level includes the ones before; the ablation of issue 14)")
    q.add_argument("--candidates", type=int, default=1,
                   help="drafts per IRG revision, ranked by the rules then log-prob")
    q.add_argument("--repetition-penalty", type=float, default=RunConfig().repetition_penalty,
                   help="every draft's repetition penalty (1 = none; the default is issue 35's measured choice)")
    q.add_argument("--model", default="bundled")
    q.add_argument("--backend", default=DEFAULT_BACKEND, choices=backend_choices())
    q.add_argument("--out",
                   help="folder for results.jsonl, summary.json, report.html (default runs/quality/SUITE-SPLIT)")
    q.add_argument("--workers", type=int, default=1, help="runs at once on the shared model (llama.cpp batches them)")
    q.add_argument("--background", action="store_true", help="run detached, logging to OUT/run.log")
    q.add_argument("--report-only", action="store_true", help="recompute the summary and report from results.jsonl")
    q.set_defaults(func=quality_main)


def parser() -> argparse.ArgumentParser:
    """Every benchmark and its flags; choices come from the registries and the config's own lists."""
    from irg.engine.models import backend_choices

    p = argparse.ArgumentParser(prog="python -m irg.bench")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("speed", help="speed of each backend on the bundled model")
    s.add_argument("--backend", action="append", choices=BACKENDS.names(),
                   help="repeat to measure several (default: both)")
    s.add_argument("--runs", type=int, default=5)
    s.add_argument("--out", help="also write the rows as JSON here")
    s.set_defaults(func=_speed)
    d = sub.add_parser("adapters", help="the shipped GAN and LoRA adapters on llama.cpp vs transformers, "
                       "teacher-forced agreement, contention (issue 25; --out gets speed.json's layout)")
    d.add_argument("--runs", type=int, default=5)
    d.add_argument("--out", help="also write the result as JSON here")
    d.add_argument("--part", action="append", choices=["speeds", "interleaved", "agreement", "rouge", "contention",
                                                       "contention_chosen", "idle_ab", "lora_formats"],
                   help="measure only these (repeat; default: all but lora_formats); the rest of --out stays")
    d.set_defaults(func=_adapters)
    a = sub.add_parser("agree", help="greedy agreement of llama.cpp and transformers on fixed prompts")
    a.add_argument("--prompts", default="assets/prompts/constraints_30.jsonl", help="JSONL with a prompt per line")
    a.add_argument("--new-tokens", type=int, default=64)
    a.set_defaults(func=_agree)
    for name, what in (("app", "the app in Chromium: Run -> first token, hybrid run time, Stop (needs playwright)"),
                       ("busy",
                        "the app in Chromium, forest runs beside a CPU burner or with an adapter on (issue 25)")):
        w = sub.add_parser(name, help=what)
        w.add_argument("--runs", type=int, default=3)
        w.add_argument("--chromium", default="/usr/bin/chromium")
        w.add_argument("--out", help="also write the measurements as JSON here")
        w.set_defaults(func=_app if name == "app" else _busy)
    sub.choices["app"].add_argument("--screenshot", help="save a full-page screenshot of a finished run here")
    sub.choices["busy"].add_argument("--burner", action="store_true", help="a CPU burner beside the app")
    sub.choices["busy"].add_argument("--adapter", help="this adapter toggled on (its label, e.g. 'LoRA adapter')")
    bench_presets.add_parser(sub)  # subcommands whose modules add and run them (set_defaults(func=...))
    bench_debris.add_parser(sub)
    bench_serve.add_parser(sub)
    _quality_parser(sub)
    t = sub.add_parser("timing", help="irg_hybrid wall time on prompts with 3 constraints, one run at a time")
    t.add_argument("--n", type=int, default=20)
    t.add_argument("--max-iters", type=int, default=4)
    t.add_argument("--backend", default="llama.cpp", choices=backend_choices())
    t.add_argument("--structure", default=RunConfig().structure, choices=list(STRUCTURE))
    t.add_argument("--out", help="also write the result as JSON here")
    t.set_defaults(func=_timing)
    m = sub.add_parser("memory", help="app memory after each round of concurrent sessions (issue 20)")
    m.add_argument("--rounds", type=int, default=8)
    m.add_argument("--sessions", type=int, default=8)
    m.add_argument("--strategy", default="irg_hybrid")
    m.add_argument("--checkout", help="run the app of another checkout (e.g. an earlier commit's worktree)")
    m.add_argument("--out", help="also write the result as JSON here")
    m.set_defaults(func=_memory)
    r = sub.add_parser("recovery",
                       help="the model process killed, stopped or shared: lines lost, throughput (issue 34)")
    r.add_argument("--part", action="append", choices=("kills", "batches", "hang"),
                   help="kills, batches, hang (default: all; repeat the flag for several)")
    r.add_argument("--checkout",
                   help="kills, batches: run the batches of another checkout (e.g. an earlier commit's worktree)")
    r.add_argument("--out", help="also write the result as JSON here (with --part, the other parts are kept)")
    r.set_defaults(func=_recovery)
    h = sub.add_parser("history", help="does greedy output depend on earlier requests, per llama.cpp host-cache size")
    h.add_argument("--out", help="also write the result as JSON here")
    h.set_defaults(func=_history)
    b = sub.add_parser("boundary", help="llama.cpp in this process vs in a child (pipe, http): first token, tok/s")
    b.add_argument("--runs", type=int, default=5)
    b.add_argument("--new-tokens", type=int, default=128)
    b.add_argument("--out", help="also write the result as JSON here")
    b.set_defaults(func=_boundary)
    c = sub.add_parser("compare",
                       help="one strategy in two results files (e.g. two planners), paired on the same prompts")
    c.add_argument("a", help="results.jsonl (or its folder): the variant")
    c.add_argument("b", help="results.jsonl (or its folder): what it is compared with")
    c.add_argument("--strategy", default="irg_hybrid")
    c.add_argument("--out", help="also write the comparison as JSON here")
    c.set_defaults(func=_compare)
    return p


if __name__ == "__main__":
    sys.exit(main())
