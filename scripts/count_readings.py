"""How the prompt reader reads counts of the whole answer (words, sentences, paragraphs, bullets) on a set written
by someone else: a count read that the gold does not hold is a misreading (a part's limit read as the answer's, a
wrong relation); a gold count not read is lost. Issue 37, fifteenth session.

    python scripts/count_readings.py assets/trials/counts/blind17.jsonl --out assets/results/counts/blind17-HEAD.json
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from irg.engine.constraints.detect import read_prompt  # noqa: E402
from irg.engine.jsonl import rows  # noqa: E402

UNIT = {"word_count": "word", "sentence_count": "sentence", "paragraph_count": "paragraph", "bullet_count": "bullet"}


def inclusive(unit: str, rel: str, n: int) -> tuple[str, str, int]:
    """A count as an inclusive bound: "under 120" and "at most 119" are one count."""
    return (unit, {"less_than": "at_most", "more_than": "at_least"}.get(rel, rel),
            n - 1 if rel == "less_than" else n + 1 if rel == "more_than" else n)


def score(items: list[dict]) -> dict:
    tot = {"prompts": len(items), "gold": 0, "read": 0, "right": 0, "misread": 0, "lost": 0, "prompts_exact": 0}
    out = []
    for r in items:
        gold = {inclusive(g["unit"], g["rel"], g["n"]) for g in r["whole"]}
        got = {inclusive(UNIT[c.kind], c.rel, c.n) for c in read_prompt(r["prompt"]).constraints if c.kind in UNIT}
        tot["gold"] += len(gold)
        tot["read"] += len(got)
        tot["right"] += len(gold & got)
        tot["misread"] += len(got - gold)
        tot["lost"] += len(gold - got)
        tot["prompts_exact"] += gold == got
        out.append({"id": r["id"], "gold": sorted(gold), "got": sorted(got)})
    tot["precision"] = round(tot["right"] / max(1, tot["read"]), 3)
    tot["recall"] = round(tot["right"] / max(1, tot["gold"]), 3)
    return {"summary": tot, "prompts": out}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data")
    ap.add_argument("--out")
    args = ap.parse_args()
    got = score(list(rows(args.data)))
    print(json.dumps(got["summary"]))
    if args.out:
        Path(args.out).write_text(json.dumps(got, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
