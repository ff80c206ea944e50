"""Issue 37's reading and checking figures, from the second author's data in assets/trials/compose/:

    python scripts/compose_reading.py [--out assets/results/compose/reading.json]

- bank (445 instructions, the development set), bank2 (320, a second author's development set), bank3 (320, a third
  author's development set, written in the eleventh session: instructions as they are said inside requests), bank4
  (300, a fourth author's, written in the fourteenth session, in requests' wording) and held-out (228 prompts; their
  beyond-type instructions): how many are read into a program, read right (the program's plain words equal the gold
  reading, after small spelling normalisation: "list item" = "bullet item", "stanza" = "paragraph", a parenthesised
  note dropped; two rules in either order) or read wrong
  (any other reading, including a reading of an instruction whose gold is "not expressible");
- triples (340 instruction-response-verdict, the author's labels): on the instructions read, does the checker's
  pass/fail agree with the author's verdict?

A reading whose words differ from the gold's is right only where a judge who has not read the code said it means the
same (assets/trials/compose/judged.jsonl, one verdict per instruction and reading); an unjudged one counts as wrong
and is listed under "unjudged".
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from irg.engine.compose.reader import read  # noqa: E402
from irg.engine.constraints.text import normalize_numbers  # noqa: E402
from irg.engine.jsonl import rows  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "assets" / "trials" / "compose"


def _norm(s: str) -> list[str]:
    s = s.lower().replace("list item", "bullet item").replace("stanza", "paragraph")
    s = re.sub(r"\s*\(.*?\)", "", s).replace("at least one letter ", "the letter ").replace("the letter ", "")
    s = re.sub(r"\bevery\b", "each", normalize_numbers(s))  # "every" = "each", "one" = "1": words, not meaning
    return re.sub(r"[^a-z0-9%' ]+", " ", s.replace('"', "'")).split()


def judged() -> dict[tuple[str, str], bool]:
    path = DATA / "judged.jsonl"
    # letter case in a reading's quoted word ('i' or 'I') is display, not meaning: the checks ignore it
    return {(j["instruction"], j["reading"].lower()): bool(j["same"]) for j in rows(path)} if path.exists() else {}


# where a reading of several rules joins them: "each line has 1 word and the lines are in alphabetical order"
RULE_JOIN = re.compile(r"\s+and\s+(?=(?:each|every|no|none|the|all|at least|at most|exactly|in each)\b)", re.I)


def same_rules(got: list, gold: str) -> bool:
    """The same rules as the gold, in any order: two rules said in the other order are one reading."""
    return len(got) > 1 and sorted(_norm(p.describe()) for p in got) == sorted(_norm(g) for g in RULE_JOIN.split(gold))


def reading(items: list[tuple[str, str]]) -> dict:
    verdicts = judged()
    out = {"n": len(items), "expressible": 0, "read": 0, "right": 0, "right_by_words": 0, "right_by_judge": 0,
           "wrong": 0, "unjudged": 0, "wrong_examples": []}
    for text, gold in items:
        out["expressible"] += gold != "not expressible"
        got = read(text)
        if not got:
            continue
        out["read"] += 1
        said = " and ".join(p.describe() for p in got)
        if gold != "not expressible" and (_norm(said) == _norm(gold) or same_rules(got, gold)):
            out["right"] += 1
            out["right_by_words"] += 1
        elif gold != "not expressible" and verdicts.get((text, said.lower())):
            out["right"] += 1
            out["right_by_judge"] += 1
        else:
            out["wrong"] += 1
            out["unjudged"] += (text, said.lower()) not in verdicts and gold != "not expressible"
            out["wrong_examples"].append({"instruction": text, "gold": gold, "read": said,
                                          "judged": verdicts.get((text, said.lower()), "unjudged")})
    out["coverage"] = round(out["right"] / max(1, out["expressible"]), 3)
    out["wrong_reading"] = round(out["wrong"] / max(1, out["n"]), 3)
    return out


def agreement(triples: list[dict]) -> dict:
    judged = agree = 0
    instructions = {t["instruction"] for t in triples}
    for t in triples:
        programs = read(t["instruction"])
        if programs:
            judged += 1
            passed = all(not p.check(t["response"]) for p in programs)
            agree += passed == (t["verdict"] == "pass")
    return {"instructions": len(instructions), "instructions_read": sum(bool(read(i)) for i in instructions),
            "n_triples": len(triples), "judged": judged, "agree": agree, "agreement": round(agree / max(1, judged), 3)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="write the figures as JSON here")
    args = ap.parse_args()
    bank = [(r["instruction"], r["gold"]) for r in rows(DATA / "bank.jsonl")]
    held = [(i["text"], i["gold"]) for r in rows(DATA / "heldout.jsonl") for i in r["instructions"]
            if i.get("beyond_type")]
    bank2 = [(r["instruction"], r["gold"]) for r in rows(DATA / "bank2.jsonl")]
    bank3 = [(r["instruction"], r["gold"]) for r in rows(DATA / "bank3.jsonl")]
    bank4 = [(r["instruction"], r["gold"]) for r in rows(DATA / "bank4.jsonl")]
    res = {"bank": reading(bank), "bank2": reading(bank2), "bank3": reading(bank3), "bank4": reading(bank4),
           "heldout": reading(held), "triples": agreement(rows(DATA / "triples.jsonl"))}
    for name in ("bank", "bank2", "bank3", "bank4", "heldout"):
        r = res[name]
        print(f"{name}: {r['n']} instructions, {r['expressible']} expressible; read right {r['right']} "
              f"({r['right_by_words']} by words, {r['right_by_judge']} by the judge; coverage {r['coverage']:.1%}), "
              f"read wrong {r['wrong']} ({r['wrong_reading']:.1%}; {r['unjudged']} of them unjudged)")
    t = res["triples"]
    print(f"triples: {t['instructions_read']}/{t['instructions']} instructions read; checker agrees with the author on "
          f"{t['agree']}/{t['judged']} ({t['agreement']:.1%})")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(res, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
