"""Issue 37, development: where does the loop fail to enforce a program it has read? The development banks'
instructions (never the held-out set) put into short writing tasks, each scored by its own gold program:

    python scripts/compose_devq.py --n 80 --out runs/compose/devq.json

Only instructions the reader reads exactly as their gold says are taken, so that a miss is the loop's (enforcement,
planning, the model), not the reader's. An instruction that names no task of its own gets one from the unit its
program is about (lines: a short poem; bullet items: a list; paragraphs: three paragraphs; else a paragraph), on a
topic drawn in turn. Scored as scripts/compose_quality.py scores the held-out run.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from irg.engine.compose.reader import read  # noqa: E402
from irg.engine.jsonl import rows  # noqa: E402
from irg.engine.models import get_backend  # noqa: E402
from compose_quality import gold_program, one, summarise  # noqa: E402 — beside this script
from compose_reading import DATA, _norm  # noqa: E402

TOPICS = ["city parks", "learning to cook", "winter mornings", "a small bakery", "the ocean", "bicycles",
          "a school garden", "rainy days", "an old library", "mountain hiking", "a lost cat", "the night sky"]
TASK = re.compile(r"\b(?:write|compose|draft|give|list|make|create|describe|tell|explain|summari[sz]e|rewrite)\b", re.I)


def task_for(gold: str, topic: str) -> str:
    if re.search(r"\blines?\b|\bsyllables?\b|rhym", gold):
        return f"Write a short poem about {topic}."
    if re.search(r"\bbullet", gold):
        return f"List some tips about {topic} as bullet points."
    if re.search(r"\bparagraph", gold):
        return f"Write three short paragraphs about {topic}."
    if re.search(r"\btitle\b", gold):
        return f"Write a short blog post about {topic}, with a title."
    return f"Write a short paragraph about {topic}."


def dev_items(n: int, seed: int) -> list[dict]:
    out = []
    for bank in ("bank", "bank2", "bank3"):
        for r in rows(DATA / f"{bank}.jsonl"):
            progs = gold_program(r["gold"]) if r.get("gold") and r["gold"] != "not expressible" else None
            got = read(r["instruction"]) if progs else None
            if progs and got and _norm(" and ".join(p.describe() for p in got)) == _norm(r["gold"]):
                out.append((r, progs))
    random.Random(seed).shuffle(out)
    items = []
    for k, (r, progs) in enumerate(out[:n]):
        text = r["instruction"]
        prompt = text if TASK.search(text) else task_for(r["gold"], TOPICS[k % len(TOPICS)]) + " " + text
        items.append({"id": r["id"], "prompt": prompt, "programs": progs, "read_from_prompt": [True],
                      "gold": r["gold"]})
    return items


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=80)
    ap.add_argument("--seed", type=int, default=37)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--strategies", default="single_pass,irg_hybrid")
    args = ap.parse_args()
    items = dev_items(args.n, args.seed)
    backend = get_backend("bundled", "llama.cpp")
    jobs = [(it, s) for it in items for s in args.strategies.split(",")]
    with ThreadPoolExecutor(args.workers) as pool:
        results = list(pool.map(lambda j: one(j[0], j[1], backend), jobs))
    summary = summarise(items, results) if set(args.strategies.split(",")) == {"single_pass", "best_of_n",
                                                                                "irg_hybrid"} else {}
    for s in args.strategies.split(","):
        rs = [r for r in results if r["strategy"] == s]
        summary[s] = {"programs_met": round(sum(sum(r["met"]) for r in rs) / max(1, sum(len(r["met"]) for r in rs)), 3),
                      "degenerate": round(sum(r["degenerate"] for r in rs) / max(1, len(rs)), 3),
                      "mean_tokens": round(sum(r["tokens"] for r in rs) / max(1, len(rs)))}
    print(json.dumps(summary, indent=1))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"summary": summary, "items": [{k: v for k, v in i.items() if k != "programs"}
                                                                        for i in items],
                                          "command": "python scripts/compose_devq.py " + " ".join(sys.argv[1:]),
                                          "results": results}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
