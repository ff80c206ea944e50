"""Issue 38: do long answers get written? Strategies on the long-answer set (assets/trials/long/, written by an author
who read no code), bundled model, llama.cpp:

    python scripts/long_answers.py --strategies single_pass irg_hybrid [--limit N] --out assets/results/long/F.json

Each prompt's minimums (words, paragraphs split by a blank line, sentences) are checked on the final answer with the
constraint language's counts; a degenerate final (irg/engine/degenerate.py) meets none. Reported per strategy: the
share of minimums met, of prompts with all met, degenerate finals, mean words and tokens.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from irg.engine.compose import Count, Each, Rule, Select  # noqa: E402
from irg.engine.compose.units import split  # noqa: E402
from irg.engine.config import RunConfig  # noqa: E402
from irg.engine.degenerate import degeneration  # noqa: E402
from irg.engine.events import Final  # noqa: E402
from irg.engine.jsonl import rows  # noqa: E402
from irg.engine.models import get_backend  # noqa: E402
from irg.engine.strategies import run  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "assets" / "trials" / "long" / "long_answers.jsonl"


def minimums(item: dict) -> list[Rule]:
    return [Rule(Each(), Select("response"), Count(c["unit"], "at_least", int(c["at_least"]))) for c in item["checks"]]


def one(item: dict, strategy: str, backend, budget: int) -> dict:
    t0 = time.time()
    final = next(e for e in run(item["prompt"], backend, RunConfig(strategy=strategy, budget=budget))
                 if isinstance(e, Final))
    debris = degeneration(final.answer) or ""
    met = [not debris and not r.check(final.answer) for r in minimums(item)]
    return {"id": item["id"], "strategy": strategy, "met": met, "degenerate": bool(debris),
            "words": len(split("word", final.answer)), "tokens": final.tokens_total,
            "seconds": round(time.time() - t0, 1), "answer": final.answer}


def summarise(results: list[dict], strategies: list[str]) -> dict:
    out = {}
    for s in strategies:
        rs = [r for r in results if r["strategy"] == s]
        n = sum(len(r["met"]) for r in rs)
        out[s] = {"prompts": len(rs), "minimums_met": round(sum(sum(r["met"]) for r in rs) / max(1, n), 3),
                  "prompts_all_met": round(sum(all(r["met"]) for r in rs) / max(1, len(rs)), 3),
                  "degenerate": round(sum(r["degenerate"] for r in rs) / max(1, len(rs)), 3),
                  "mean_words": round(sum(r["words"] for r in rs) / max(1, len(rs))),
                  "mean_tokens": round(sum(r["tokens"] for r in rs) / max(1, len(rs)))}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--strategies", nargs="+", default=["single_pass", "irg_hybrid"])
    ap.add_argument("--limit", type=int, default=0, help="only the first N prompts")
    ap.add_argument("--skip", type=int, default=0, help="leave out the first N prompts (a run in two parts)")
    ap.add_argument("--budget", type=int, default=1500)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out")
    args = ap.parse_args()
    items = list(rows(DATA))[args.skip:][: args.limit or None]
    backend = get_backend("bundled", "llama.cpp")
    jobs = [(it, s) for it in items for s in args.strategies]
    with ThreadPoolExecutor(args.workers) as pool:
        results = list(pool.map(lambda j: one(j[0], j[1], backend, args.budget), jobs))
    summary = summarise(results, args.strategies)
    print(json.dumps(summary, indent=1))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps({"summary": summary, "command": "python scripts/long_answers.py "
                                              + " ".join(sys.argv[1:]), "results": results}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
