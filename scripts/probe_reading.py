"""A blind author's prompts with the whole-answer rules each asks, in a small vocabulary (assets/trials/misreadings/
probe3.jsonl, README there), against what `read_prompt` reads: prompts read exactly, rules found (recall), readings
right (precision), and the trap prompts given a rule they do not ask.

    python scripts/probe_reading.py [--data assets/trials/misreadings/probe3.jsonl] [--half odd|even] [--show]

The odd ids are worked on; the even ids stay unread (--show refuses them), so the set keeps a held-out half.

A prompt whose "other" list says it contradicts itself is scored apart: named or not (`base.conflicts`, what the plan
card says). Only the vocabulary's kinds are scored (word, sentence, paragraph, bullet and all-caps-word counts, a
letter's and a
word's count, words to include or ban, the answer's start and end, its case, no commas). Other readings (a title, JSON,
programs of the constraint language) are neither credited nor charged: the author's "other" list says what they cover.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from irg.engine.constraints.base import conflicts  # noqa: E402
from irg.engine.constraints.detect import read_prompt  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "assets" / "trials" / "misreadings" / "probe3.jsonl"
SHOUTED_NONE = {"rule": {"quant": {"kind": "none"}, "select": {"unit": "word"}, "test": {"filter": "shouted"}}}
CONTRADICTION = re.compile(r"\bcontradict|\bconflict|cannot both|can't both|\bimpossible\b", re.I)
COUNTS = {"word_count": "words", "sentence_count": "sentences", "paragraph_count": "paragraphs",
          "bullet_count": "bullets", "capital_word_frequency": "capital_words"}


def _rel(rel: str, n: int) -> tuple[str, int]:
    """One way to say each bound: "less than 80" is "at most 79", "at most 0" is "exactly 0"."""
    rel, n = {"less_than": ("at_most", n - 1), "more_than": ("at_least", n + 1)}.get(rel, (rel, n))
    return ("exactly", 0) if (rel, n) == ("at_most", 0) else (rel, n)


def _text(t: str) -> str:
    return " ".join(t.strip().strip("'\"‘’“”").lower().split())


def gold(item: str) -> set[tuple]:
    """The author's rule in the scorer's form (a set: "words about N" is two bounds)."""
    item = item.strip()
    if m := re.fullmatch(r"words about (\d+)", item):
        n = int(m.group(1))
        lo, hi = (n, n) if n < 20 else (math.ceil(n * 0.9), math.floor(n * 1.1))
        return {("words", "at_least", lo), ("words", "at_most", hi)}
    if m := re.fullmatch(r"(words|sentences|paragraphs|bullets|capital_words) (\w+) (\d+)", item):
        return {(m.group(1), *_rel(m.group(2), int(m.group(3))))}
    if m := re.fullmatch(r"letter (\S) (\w+) (\d+)", item):
        return {("letter", m.group(1).lower(), *_rel(m.group(2), int(m.group(3))))}
    if m := re.fullmatch(r"word_times (.+) (\w+) (\d+)", item):
        return {("word", _text(m.group(1)), *_rel(m.group(2), int(m.group(3))))}
    if m := re.fullmatch(r"(include|ban) (.+)", item):
        return {("word", _text(m.group(2)), *(("at_least", 1) if m.group(1) == "include" else ("exactly", 0)))}
    if m := re.fullmatch(r"(starts|ends) (.+)", item):
        return {(m.group(1), _text(m.group(2)))}
    if item in ("lowercase", "uppercase", "no_commas"):
        return {(item,)}
    raise ValueError(f"not in the vocabulary: {item!r}")


def read(prompt: str) -> set[tuple]:
    return _vocabulary(read_prompt(prompt).constraints)


def _vocabulary(cs: list) -> set[tuple]:
    out: set[tuple] = set()
    for c in cs:
        if c.kind in COUNTS:
            out.add((COUNTS[c.kind], *_rel(getattr(c, "rel", "exactly"), c.n)))
        elif c.kind == "letter_frequency":
            out.add(("letter", c.letter.lower(), *_rel(c.rel, c.n)))
        elif c.kind == "keyword_frequency":
            out.add(("word", _text(c.word), *_rel(c.rel, c.n)))
        elif c.kind in ("include_keywords", "forbidden_words"):
            for w in (c.keywords if c.kind == "include_keywords" else c.words):
                out.add(("word", _text(w), *(("at_least", 1) if c.kind == "include_keywords" else ("exactly", 0))))
        elif c.kind in ("start_phrase", "end_phrase"):
            out.add(("starts" if c.kind == "start_phrase" else "ends", _text(c.phrase)))
        elif c.kind in ("lowercase", "uppercase", "no_commas"):
            out.add((c.kind,))
        elif c.kind == "composed" and c.to_dict()["program"] == SHOUTED_NONE:
            out.add(("capital_words", "exactly", 0))  # the one program that says a vocabulary rule in other words
    # a word asked at least N times is also asked at least once: "include" beside a count says nothing more
    return {r for r in out if not (r[0] == "word" and r[2:] == ("at_least", 1)
                                   and any(o[0] == "word" and o[1] == r[1] and o != r for o in out))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--show", action="store_true", help="print each prompt not read exactly")
    ap.add_argument("--half", choices=("odd", "even"), help="only the odd ids (worked on) or the even ids (held out: "
                    "never shown)")
    args = ap.parse_args()
    if args.show and args.half != "odd":
        ap.error("--show prints prompts; only the odd half is worked on (use --half odd)")
    rows = [json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.half:
        rows = [r for r in rows if int(re.sub(r"\D", "", r["id"])) % 2 == (args.half == "odd")]
    exact = tp = fp = fn = traps = trap_wrong = named = said = 0
    by_kind: dict[str, list[int]] = {}
    for r in rows:
        want = set().union(*[gold(x) for x in r["expect"]]) if r["expect"] else set()
        want = {w for w in want if not (w[0] == "word" and w[2:] == ("at_least", 1)
                                        and any(o[0] == "word" and o[1] == w[1] and o != w for o in want))}
        cs = read_prompt(r["prompt"]).constraints
        got = _vocabulary(cs)
        if CONTRADICTION.search(" ".join(r.get("other", []))):
            # the author's contradiction: read right when the reading names it (the plan card says "cannot both
            # hold"), and the rules it names are not scored
            named += bool(conflicts(cs))
            said += 1
            if not conflicts(cs) and args.show:
                print(f"{r['id']} {r['prompt']}\n    contradiction not named; read: {sorted(got)}")
            continue
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        for x in want - got:
            by_kind.setdefault(x[0], [0, 0])[0] += 1
        for x in got - want:
            by_kind.setdefault(x[0], [0, 0])[1] += 1
        exact += got == want
        if r.get("trap"):
            traps += 1
            trap_wrong += bool(got - want)
        if got != want and args.show:
            print(f"{r['id']} {r['prompt']}\n    missed: {sorted(want - got)}\n    wrong:  {sorted(got - want)}")
    print(f"{len(rows)} prompts: {said} contradictions, {named} named; of the other {len(rows) - said}: "
          f"{exact} read exactly ({exact / max(1, len(rows) - said):.1%}); rules found {tp} of {tp + fn} "
          f"(recall {tp / max(1, tp + fn):.3f}); readings right {tp} of {tp + fp} "
          f"(precision {tp / max(1, tp + fp):.3f}); "
          f"prompts with a trap given a rule they do not ask: {trap_wrong} of {traps}")
    print("by kind (missed, read wrongly): " + ", ".join(f"{k} {m}/{w}" for k, (m, w) in sorted(by_kind.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
