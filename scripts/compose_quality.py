"""Issue 37: does the loop meet instructions read into programs? Single pass and irg_hybrid on the second author's
held-out prompts whose every beyond-type instruction the reader reads exactly as the author's gold reading says
(so scoring by the program is scoring by the gold), bundled model, llama.cpp, budget 1,500:

    python scripts/compose_quality.py --out assets/results/compose/quality.json

Quality is the share of those gold programs the final answer meets; a degenerate final (irg/engine/degenerate.py)
meets none. The known-type instructions of the same prompts are run but not scored here.
"""
from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor
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

STRATEGIES = ("single_pass", "irg_hybrid")


def scored_prompts() -> list[dict]:
    out = []
    for r in rows(DATA / "heldout.jsonl"):
        beyond = [i for i in r["instructions"] if i.get("beyond_type")]
        programs = []
        for i in beyond:
            got = read(i["text"])
            if not got or _norm(" and ".join(p.describe() for p in got)) != _norm(i["gold"]):
                break
            programs += got
        else:
            out.append({"id": r["id"], "prompt": r["prompt"], "programs": programs})
    return out


def one(item: dict, strategy: str, backend) -> dict:
    final = next(e for e in run(item["prompt"], backend, RunConfig(strategy=strategy, budget=1500)) if isinstance(e, Final))
    debris = degeneration(final.answer) or ""
    met = [not debris and not p.check(final.answer) for p in item["programs"]]
    return {"id": item["id"], "strategy": strategy, "met": met, "degenerate": bool(debris), "answer": final.answer}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    items = scored_prompts()
    backend = get_backend("bundled", "llama.cpp")
    jobs = [(it, s) for it in items for s in STRATEGIES]
    with ThreadPoolExecutor(args.workers) as pool:
        results = list(pool.map(lambda j: one(j[0], j[1], backend), jobs))
    summary = {"n_prompts": len(items), "n_programs": sum(len(i["programs"]) for i in items)}
    for s in STRATEGIES:
        rs = [r for r in results if r["strategy"] == s]
        summary[s] = {"programs_met": round(sum(sum(r["met"]) for r in rs) / max(1, summary["n_programs"]), 3),
                      "prompts_all_met": round(sum(all(r["met"]) for r in rs) / max(1, len(rs)), 3),
                      "degenerate": round(sum(r["degenerate"] for r in rs) / max(1, len(rs)), 3)}
    print(json.dumps(summary, indent=1))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps({"summary": summary, "command": "python scripts/compose_quality.py "
                                              + " ".join(sys.argv[1:]), "results": results}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
