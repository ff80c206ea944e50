"""Issue 37: does the loop meet instructions no type was written for? single_pass, best_of_n and irg_hybrid on the
second author's held-out prompts, bundled model, llama.cpp, budget 1,500:

    python scripts/compose_quality.py --out assets/results/compose/quality.json

Scored by the author's gold, not by our reading of the prompt: an instruction is scored when its gold reading, read
as a sentence of the language, gives a program whose plain words are the gold's own (so the program says exactly
what the author wrote; the checker's fidelity to the author's verdicts is measured on the triples,
scripts/compose_reading.py). Every prompt with at least one such instruction is run (104 of 228). The loop itself
sees only the prompt: an instruction the reader does not read from it is one the loop cannot help with, and that
counts. Quality is the share of scored instructions the final answer meets; a degenerate final
(irg/engine/degenerate.py) meets none. Harm: prompts where irg_hybrid meets fewer than single_pass.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from irg.engine.compose.reader import read  # noqa: E402
from irg.engine.config import RunConfig  # noqa: E402
from irg.engine.degenerate import degeneration  # noqa: E402
from irg.engine.events import Final  # noqa: E402
from irg.engine.jsonl import rows  # noqa: E402
from irg.engine.models import get_backend  # noqa: E402
from irg.engine.strategies import run  # noqa: E402
from compose_reading import DATA, _norm  # noqa: E402 — beside this script

STRATEGIES = ("single_pass", "best_of_n", "irg_hybrid")


def gold_program(gold: str):
    """The program the gold reading states, if read as a sentence of the language it says exactly the gold."""
    got = read(gold)
    return got if got and _norm(" and ".join(p.describe() for p in got)) == _norm(gold) else None


def scored_prompts() -> list[dict]:
    out = []
    for r in rows(DATA / "heldout.jsonl"):
        scored = [(i, p) for i in r["instructions"] if i.get("beyond_type") and (p := gold_program(i["gold"]))]
        if scored:
            out.append({"id": r["id"], "prompt": r["prompt"], "programs": [q for _, ps in scored for q in ps],
                        "read_from_prompt": [bool(read(i["text"])) for i, _ in scored]})
    return out


def one(item: dict, strategy: str, backend) -> dict:
    t0 = time.time()
    final = next(e for e in run(item["prompt"], backend, RunConfig(strategy=strategy, budget=1500))
                 if isinstance(e, Final))
    debris = degeneration(final.answer) or ""
    met = [not debris and not p.check(final.answer) for p in item["programs"]]
    return {"id": item["id"], "strategy": strategy, "met": met, "degenerate": bool(debris),
            "tokens": final.tokens_total,
            "seconds": round(time.time() - t0, 1), "answer": final.answer}


def summarise(items: list[dict], results: list[dict]) -> dict:
    n_programs = sum(len(i["programs"]) for i in items)
    out = {"n_prompts": len(items), "n_programs": n_programs,
           "read_from_prompt": sum(sum(i["read_from_prompt"]) for i in items)}
    by = {(r["id"], r["strategy"]): r for r in results}
    for s in STRATEGIES:
        rs = [r for r in results if r["strategy"] == s]
        out[s] = {"programs_met": round(sum(sum(r["met"]) for r in rs) / max(1, n_programs), 3),
                  "prompts_all_met": round(sum(all(r["met"]) for r in rs) / max(1, len(rs)), 3),
                  "degenerate": round(sum(r["degenerate"] for r in rs) / max(1, len(rs)), 3),
                  "mean_tokens": round(sum(r["tokens"] for r in rs) / max(1, len(rs)))}
    harm = sum(sum(by[(i["id"], "irg_hybrid")]["met"]) < sum(by[(i["id"], "single_pass")]["met"]) for i in items)
    out["harm_vs_single_pass"] = round(harm / max(1, len(items)), 3)
    # the prompts whose scored instructions the reader reads from the prompt itself: where the loop can see
    seen = [i for i in items if all(i["read_from_prompt"])]
    out["where_read"] = {"n_prompts": len(seen), **{s: round(sum(all(by[(i["id"], s)]["met"]) for i in seen)
                                                            / max(1, len(seen)), 3) for s in STRATEGIES}}
    return out


def rescore(path: Path, items: list[dict], out: str | None) -> int:
    saved = json.loads(path.read_text())
    by = {i["id"]: i for i in items}
    results = []
    for r in saved["results"]:
        debris = degeneration(r["answer"]) or ""
        met = [not debris and not p.check(r["answer"]) for p in by[r["id"]]["programs"]]
        results.append({**r, "met": met, "degenerate": bool(debris)})
    summary = summarise([i for i in items if i["id"] in {r["id"] for r in results}], results)
    print(json.dumps(summary, indent=1))
    if out:
        Path(out).write_text(json.dumps({"summary": summary, "command": saved["command"], "rescored": "python "
                                         "scripts/compose_quality.py " + " ".join(sys.argv[1:]), "results": results},
                                        indent=1) + "\n")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="only the first N prompts (a smoke run)")
    ap.add_argument("--strategies", default=",".join(STRATEGIES), help="the strategies to run (the others: --carry)")
    ap.add_argument("--carry", help="a saved run whose results give the strategies not run here (the same prompts; "
                                    "for strategies no changed code touches)")
    ap.add_argument("--rescore", help="score the finals saved in this run's JSON again (after a change to the checkers "
                                      "or the debris guard), without generating")
    args = ap.parse_args()
    items = scored_prompts()[: args.limit or None]
    if args.rescore:
        return rescore(Path(args.rescore), items, args.out)
    backend = get_backend("bundled", "llama.cpp")
    run_here = args.strategies.split(",")
    jobs = [(it, s) for it in items for s in run_here]
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(args.workers) as pool:
        results = list(pool.map(lambda j: one(j[0], j[1], backend), jobs))
    if args.carry:  # the other strategies' finals, scored again by today's programs
        by = {i["id"]: i for i in items}
        for r in json.loads(Path(args.carry).read_text())["results"]:
            if r["strategy"] not in run_here and r["id"] in by:
                debris = degeneration(r["answer"]) or ""
                results.append({**r, "met": [not debris and not p.check(r["answer"]) for p in by[r["id"]]["programs"]],
                                "degenerate": bool(debris), "carried": args.carry})
    summary = summarise(items, results)
    print(json.dumps(summary, indent=1))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps({"summary": summary, "command": "python scripts/compose_quality.py "
                                              + " ".join(sys.argv[1:]), "results": results}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
