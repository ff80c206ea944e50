"""Issue 37: how robust is the reader to the frames a known shape is said in? Writes each shape in many frames and
relations (a generator of wordings; no set's text) and counts the wordings read as the shape's own reading:

    python scripts/frame_wordings.py [--show 20]

- limits: "each UNIT has REL N MEASURE" in 26 frames ("Use sentences with under 20 words", "Keep each bullet 3-5
  words", "Each of your lines should have ...") and 27 relations, over 5 units and their measures; the gold is
  written out;
- edges: "each / no UNIT starts, ends, contains X" in 32 frames ("I want each line to end with ...", "Avoid starting
  sentences with ...") over 7 units and 40 edges; the gold is the reading of the canonical wording;
- others: the nth unit, marks in the whole answer, no mark, word lengths, distinct first words, alphabetical order.

A wording read another way than the gold counts as wrong; one not read, as missed. Frames a person would not say
("Contain each sentence a number") are not written.
"""
from __future__ import annotations

import argparse
import collections
import itertools
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from irg.engine.compose.reader import read  # noqa: E402

UNITS = {"sentence": "sentences", "paragraph": "paragraphs", "line": "lines", "bullet item": "bullets",
         "heading": "headings"}
MEASURES = {"sentence": ["words", "characters"], "paragraph": ["words", "sentences", "lines"],
            "line": ["words", "characters", "syllables"], "bullet item": ["words", "characters", "sentences"],
            "heading": ["words", "characters"]}
RELATIONS = [("under {n} {m}", "at most", -1), ("fewer than {n} {m}", "at most", -1),
             ("less than {n} {m}", "at most", -1), ("at most {n} {m}", "at most", 0),
             ("no more than {n} {m}", "at most", 0), ("not more than {n} {m}", "at most", 0),
             ("a maximum of {n} {m}", "at most", 0), ("max {n} {m}", "at most", 0), ("up to {n} {m}", "at most", 0),
             ("{n} {m} or fewer", "at most", 0), ("{n} {m} or less", "at most", 0), ("{n} {m} max", "at most", 0),
             ("{n} {m} at most", "at most", 0), ("{n} {m} tops", "at most", 0), ("{n} {m} maximum", "at most", 0),
             ("at least {n} {m}", "at least", 0), ("more than {n} {m}", "at least", 1),
             ("over {n} {m}", "at least", 1), ("{n} {m} or more", "at least", 0),
             ("a minimum of {n} {m}", "at least", 0), ("no fewer than {n} {m}", "at least", 0),
             ("{n} {m} minimum", "at least", 0), ("exactly {n} {m}", "exactly", 0),
             ("precisely {n} {m}", "exactly", 0), ("between {n} and {k} {m}", "between", 0),
             ("{n}-{k} {m}", "between", 0), ("{n} to {k} {m}", "between", 0)]
LIMIT_FRAMES = ["Each {u} should be {r}.", "Every {u} should have {r}.", "Each {u} must contain {r}.",
                "Keep each {u} {r}.", "Keep every {u} to {r}.", "{U} should be {r}.", "{U} must have {r}.",
                "Keep {us} {r}.", "Keep your {us} to {r}.", "All {us} should be {r}.", "Make each {u} {r} long.",
                "Write {us} of {r}.", "Use {us} with {r}.", "{U}: {r}.", "{U}: {r} each.", "Each {u}: {r}.",
                "Limit each {u} to {r}.", "Every single {u} needs {r}.", "Your {us} should each have {r}.",
                "Each of your {us} should have {r}.", "{U} need to be {r}.", "Try to keep each {u} {r}.",
                "Please keep every {u} {r}.", "Each {u} has to be {r}.", "Write each {u} in {r}.",
                "Every {u} ought to have {r}."]
EDGE_UNITS = [("sentence", "sentences"), ("paragraph", "paragraphs"), ("line", "lines"), ("bullet", "bullets"),
              ("heading", "headings"), ("stanza", "stanzas"), ("bullet point", "bullet points")]
EDGES = [("start", "starts", "starting", "with", ["a capital letter", "a question", "the word 'The'", "the letter S",
                                                  "a number", "an emoji", "'I'", "a verb"]),
         ("end", "ends", "ending", "with", ["a period", "a question mark", "an exclamation mark", "a full stop",
                                            "the word 'now'", "an emoji", "a colon", "a question", "a comma"]),
         ("begin", "begins", "beginning", "with", ["a capital letter", "the word 'And'", "a digit"]),
         ("finish", "finishes", "finishing", "with", ["a period", "a question mark"]),
         ("open", "opens", "opening", "with", ["a question", "the word 'So'"]),
         ("close", "closes", "closing", "with", ["a question", "an exclamation mark"]),
         ("contain", "contains", "containing", "", ["a number", "the word 'blue'", "at least one emoji", "a colon",
                                                    "the letter z", "a question mark"]),
         ("include", "includes", "including", "", ["a number", "the word 'blue'", "an emoji"]),
         ("mention", "mentions", "mentioning", "", ["a price", "a date", "the word 'blue'"])]
EDGE_FRAMES = ["Each {u} should {v} {p} {x}.", "Every {u} must {v} {p} {x}.", "{Us} should {v} {p} {x}.",
               "Make sure each {u} {vs} {p} {x}.", "Make every {u} {v} {p} {x}.", "Have each {u} {v} {p} {x}.",
               "All {us} need to {v} {p} {x}.", "Each {u} {vs} {p} {x}.", "{Us} {v} {p} {x}.",
               "Let each {u} {v} {p} {x}.", "Be sure every {u} {vs} {p} {x}.", "Each of your {us} should {v} {p} {x}.",
               "Every single {u} has to {v} {p} {x}.", "Ensure that every {u} {vs} {p} {x}.",
               "I want each {u} to {v} {p} {x}.", "{Us} should all {v} {p} {x}.", "Each {u} needs to {v} {p} {x}.",
               "Each {u} ought to {v} {p} {x}."]
EDGE_ONLY = ["{V} each {u} {p} {x}.", "Always {v} a {u} {p} {x}."]  # said of starts and ends only
NONE_FRAMES = ["No {u} may {v} {p} {x}.", "{Us} must not {v} {p} {x}.", "None of the {us} should {v} {p} {x}.",
               "{Us} shouldn't {v} {p} {x}.", "Not a single {u} should {v} {p} {x}.", "Make sure no {u} {vs} {p} {x}.",
               "Each {u} must not {v} {p} {x}."]
NONE_EDGE_ONLY = ["Don't {v} any {u} {p} {x}.", "Never {v} a {u} {p} {x}.", "Avoid {ving} {us} {p} {x}.",
                  "Do not {v} {us} {p} {x}."]


def _said(text: str) -> str:
    return " and ".join(p.describe() for p in read(text))


def limits(rng: random.Random):
    for unit, us in UNITS.items():
        u = us[:-1] if unit == "bullet item" else unit
        for m in MEASURES[unit]:
            for (rp, rel, off), frame in itertools.product(RELATIONS, LIMIT_FRAMES):
                n = rng.choice([2, 3, 4] if m in ("sentences", "lines") else [40, 60, 80, 100] if m == "characters"
                               else [3, 5, 8, 12, 15, 20])
                k = n + rng.choice([2, 5])
                text = frame.format(u=u, us=us, U=us.capitalize(), r=rp.format(n=n, k=k, m=m))
                one = m[:-1] if n + off == 1 else m
                gold = (f"each {unit} has between {n} and {k} {m}" if rel == "between"
                        else f"each {unit} has {rel} {n + off} {one}")
                yield "limits", frame, text, gold


def edges():
    for (u, us), (v, vs, ving, p, xs) in itertools.product(EDGE_UNITS, EDGES):
        edge = v not in ("contain", "include", "mention")
        for x in xs:
            for canon, frames in (("Each {u} must {v} {p} {x}.", EDGE_FRAMES + (EDGE_ONLY if edge else [])),
                                  ("No {u} should {v} {p} {x}.", NONE_FRAMES + (NONE_EDGE_ONLY if edge else []))):
                gold = _said(" ".join(canon.format(u=u, v=v, p=p, x=x).split()))
                if not gold:
                    continue  # the shape itself is not read: not a frame's fault
                for frame in frames:
                    text = frame.format(u=u, us=us, Us=us.capitalize(), v=v, V=v.capitalize(), vs=vs, ving=ving,
                                        p=p, x=x)
                    yield "edges", frame, " ".join(text.split()), gold


def others():
    for nth, u, pred in itertools.product(["first", "last", "second", "third"], ["sentence", "paragraph", "line",
                                                                                 "bullet"],
                                          ["have at most 10 words", "end with a question mark",
                                           "start with the word 'Today'", "contain a number"]):
        gold = _said(f"The {nth} {u} must {pred}.")
        third = pred.replace("have", "has").replace("end ", "ends ").replace("start ", "starts ") \
            .replace("contain ", "contains ")
        for frame in (f"Your {nth} {u} should {pred}.", f"Make the {nth} {u} {pred}.",
                      f"Make sure the {nth} {u} {third}.", f"The {nth} {u} needs to {pred}.",
                      f"I want the {nth} {u} to {pred}.", f"Have the {nth} {u} {pred}.",
                      f"The {nth} {u} of your answer should {pred}.", f"The very {nth} {u} should {pred}."):
            yield "nth unit", frame.replace(nth, "{nth}").replace(u, "{u}"), frame, gold
    for rel, n, mk in itertools.product(["at most", "at least", "exactly"], [1, 2, 3],
                                        ["exclamation marks", "question marks", "commas", "semicolons", "emojis"]):
        mk = mk if n != 1 else mk[:-1]
        gold = _said(f"Use {rel} {n} {mk}.")
        for frame in (f"Include {rel} {n} {mk}.", f"The response should contain {rel} {n} {mk}.",
                      f"Your answer must have {rel} {n} {mk}.", f"Put {rel} {n} {mk} in the text.",
                      f"There should be {rel} {n} {mk}.", f"Use {rel} {n} {mk} in total."):
            yield "marks", frame.replace(f"{rel} {n} {mk}", "{r}"), frame, gold
    for mk in ["exclamation marks", "question marks", "commas", "semicolons", "emojis", "digits", "colons"]:
        gold = _said(f"No {mk}.")
        for frame in (f"Don't use any {mk}.", f"Avoid {mk}.", f"Never use {mk}.", f"Use no {mk}.",
                      f"The response should not contain {mk}.", f"There should be no {mk}.",
                      f"Don't include any {mk}.", f"Skip {mk} entirely."):
            yield "no mark", frame.replace(mk, "{m}"), frame, gold
    for n, m in itertools.product([6, 7, 8], ["letters", "syllables"]):
        gold = _said(f"No word has more than {n} {m}.")
        for frame in (f"Don't use words longer than {n} {m}.", f"Avoid words over {n} {m}.",
                      f"Every word must have {n} {m} or fewer.", f"Each word should be at most {n} {m}.",
                      f"Use only words of up to {n} {m}.", f"Words can't be longer than {n} {m}.",
                      f"Stick to words with no more than {n} {m}.", f"Make sure no word is longer than {n} {m}."):
            yield "word length", frame.replace(str(n), "{n}").replace(m, "{m}"), frame, gold
    for u, us in [("sentence", "sentences"), ("line", "lines"), ("paragraph", "paragraphs"), ("bullet", "bullets")]:
        for w in ["word", "letter"]:
            gold = _said(f"No two {us} start with the same {w}.")
            for frame in (f"Every {u} should start with a different {w}.", f"Start each {u} with a different {w}.",
                          f"Don't start two {us} with the same {w}.", f"All {us} should start with different {w}s.",
                          f"Use a different first {w} for every {u}.",
                          f"Make sure no two {us} begin with the same {w}."):
                yield "distinct", frame.replace(us, "{us}").replace(u, "{u}").replace(w, "{w}"), frame, gold
        gold = _said(f"The {us} are in alphabetical order.")
        for frame in (f"Put the {us} in alphabetical order.", f"Arrange the {us} alphabetically.",
                      f"Sort the {us} alphabetically.", f"Order the {us} from A to Z.", f"Alphabetize the {us}."):
            yield "alphabetical", frame.replace(us, "{us}"), frame, gold


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", type=int, default=0, help="show the N frames missed most, with an example")
    args = ap.parse_args()
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    missed: dict[tuple[str, str], list[tuple[str, str, str]]] = collections.defaultdict(list)
    for group, frame, text, gold in itertools.chain(limits(random.Random(0)), edges(), others()):
        got = _said(text)
        key = "right" if got == gold else "missed" if not got else "wrong"
        counts[group][key] += 1
        if key != "right":
            missed[(key, frame)].append((text, got, gold))
    total = collections.Counter()
    for group, c in counts.items():
        total.update(c)
        n = sum(c.values())
        print(f"{group}: {n} wordings; read right {c['right']} ({c['right'] / n:.1%}), wrong {c['wrong']}, "
              f"missed {c['missed']}")
    n = sum(total.values())
    print(f"all: {n} wordings; read right {total['right']} ({total['right'] / n:.1%}), wrong {total['wrong']}")
    for (key, frame), cases in sorted(missed.items(), key=lambda kv: -len(kv[1]))[:args.show]:
        text, got, gold = cases[0]
        print(f"{len(cases):4d} {key:6s} {frame!r}  e.g. {text} -> {got or '-'} (gold: {gold})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
