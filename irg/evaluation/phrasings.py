"""Extraction measured on phrasing sets: does `extract_all` find the constraints a person wrote, and only those?

    python -m irg.evaluation.phrasings assets/phrasings/heldout.jsonl [--misses]

A set is JSONL, one `{"id", "prompt", "gold": [constraint dicts]}` per line. Two sets ship: `dev.jsonl`, which the
patterns are tuned on, and `heldout.jsonl`, written before any tuning and never tuned on (its git history shows
it landed first), so its figures say how extraction does on wording it was not fitted to.

Matching is by meaning, not by string: a constraint matches a gold one of the same kind with the same values,
phrases compared without case, quotes or final punctuation, word lists as sets, `keyword_frequency` "at least 1"
as `include_keywords`, and `repeat_request` by kind alone (the gold cannot spell out the request's exact span).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from irg.engine.constraints import extract_all


def _s(v: str) -> str:
    return v.strip().strip("\"'“”‘’`").strip().rstrip(".!?,;:").strip().lower()


def canonical(c: dict) -> tuple:
    """A constraint dict as a comparable key (see the module docstring)."""
    kind = c["kind"]
    if kind == "keyword_frequency" and c.get("rel") == "at_least" and c.get("n") == 1:
        return ("include_keywords", frozenset([_s(c["word"])]))
    if kind == "repeat_request":
        return (kind,)
    out = [kind]
    for k in sorted(c):
        if k == "kind":
            continue
        v = c[k]
        if isinstance(v, list):
            v = frozenset(_s(x) for x in v)
        elif isinstance(v, str):
            v = _s(v)
        out.append((k, v))
    return tuple(out)


def split_keywords(keys: list[tuple]) -> list[tuple]:
    """include_keywords [a, b] counts as one constraint per keyword, so a partial list earns partial credit."""
    out = []
    for k in keys:
        if k[0] == "include_keywords":
            words = k[1] if isinstance(k[1], frozenset) else dict(k[1:])["keywords"]
            out += [("include_keywords", w) for w in sorted(words)]
        else:
            out.append(k)
    return out


def score_set(rows: list[dict]) -> dict:
    tp = fp = fn = exact = 0
    by = defaultdict(lambda: [0, 0, 0])
    misses = []
    for r in rows:
        got = split_keywords([canonical(c.to_dict()) for c in extract_all(r["prompt"])])
        gold = split_keywords([canonical(c) for c in r["gold"]])
        left = list(got)
        missed = []
        for g in gold:
            if g in left:
                left.remove(g)
                tp += 1
                by[g[0]][0] += 1
            else:
                fn += 1
                by[g[0]][2] += 1
                missed.append(g)
        for x in left:
            fp += 1
            by[x[0]][1] += 1
        exact += not missed and not left
        if missed or left:
            misses.append({"id": r["id"], "prompt": r["prompt"], "missed": [str(m) for m in missed],
                           "extra": [str(x) for x in left]})
    return {"prompts": len(rows), "constraints": tp + fn, "recall": tp / (tp + fn) if tp + fn else None,
            "precision": tp / (tp + fp) if tp + fp else None, "prompts_exact": exact / len(rows) if rows else None,
            "by_kind": {k: {"tp": v[0], "fp": v[1], "fn": v[2]} for k, v in sorted(by.items())}, "misses": misses}


def load(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m irg.evaluation.phrasings", description=__doc__.split("\n")[0])
    p.add_argument("sets", nargs="+", help="phrasing set JSONL files")
    p.add_argument("--misses", action="store_true", help="print every prompt with a missed or extra constraint")
    p.add_argument("--json", help="write the full result here")
    args = p.parse_args(argv)
    results = {}
    for path in args.sets:
        s = score_set(load(path))
        results[path] = s
        print(f"{path}: {s['prompts']} prompts, {s['constraints']} constraints — recall {s['recall']:.3f}, "
              f"precision {s['precision']:.3f}, prompts exact {s['prompts_exact']:.3f}")
        for k, v in s["by_kind"].items():
            if v["fp"] or v["fn"]:
                print(f"   {k:24} tp {v['tp']:3}  fp {v['fp']:3}  fn {v['fn']:3}")
        if args.misses:
            for m in s["misses"]:
                print(f"   {m['id']}: missed {m['missed']} extra {m['extra']}\n      {m['prompt'][:200]!r}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
