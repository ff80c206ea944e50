"""The pieces the grammars of compose/enforce.py and compose/unit_grammars.py are written from, as GBNF (llama.cpp's
grammar text, which llguidance reads on transformers)."""
from __future__ import annotations

import json

from irg.engine.compose.measures import Count

# Lines a grammar may make the model write after it wanted to stop. Measured while building this: made to fill
# stanzas of 4 lines, or 14 lines, the 135M model writes its instructions back as verse ("Rewrite your answer...").
MAX_FORCED_LINES = 6
MAX_SPLIT = 12  # paragraphs or sentences a grammar allows after the first (a draft is 256 tokens)
LINE = "[ \\t]{0,8} [^\\n \\t] [^\\n]{0,160}"  # a line holds something other than spaces (else the checker has no line)
NL = '"\\n"'  # a line break, as a GBNF literal
# a word as the checker counts one: letters after the first in lowercase (no "beautifulBut"), an apostrophe ending
# ("don't", "town's"), a bracket around it (no quotation marks: the grammar cannot pair them, and a lone one
# before the full stop was what the model wrote: "where it'd"!"). After the apostrophe a capital is allowed too:
# under whole words no token may start with a lowercase letter, so a model whose token ended on "'" would have had
# nothing to write, and llama.cpp aborts (feasible.word_piece_only finds such places)
# Letters and digits are not mixed, and both are capped: allowed "[a-z0-9]*", the 135M model under whole words wrote
# "h20" and then one "word" of 250 digits until the draft ran out (measured on "every line has exactly seven words")
WORD = '"("? ([A-Za-z] [a-z]{0,19} ("\'" [A-Za-z] [a-z]{0,5})? | [0-9]{1,4}) ")"?'
# a word of a line of verse: no number (made to fill a line to its count, the model wrote "turns away, 1000")
VERSE_WORD = '"("? [A-Za-z] [a-z]{0,19} ("\'" [A-Za-z] [a-z]{0,5})? ")"?'
FIRST = '"("? [A-Z] [a-z]{0,19} ("\'" [A-Za-z] [a-z]{0,5})? ")"?'
GAP = "[,;:]? \" \""  # between two words: a space, maybe after a comma (never before the full stop)
OPEN = "[\"'(]? [A-Za-z]"  # a sentence opens on a word (not on "1.", which the checker reads as a list marker)
FREE_SENTENCE = OPEN + " [^\\n.!?]{0,240} [.!?]"
# a question opens on a question word: made to end a sentence on "?", the 135M model ended statements on it ("... the
# dark walls as?"); opened on one of these it writes a question (measured on "open every paragraph with a question")
QUESTION_WORDS = ("What", "Why", "How", "Who", "Where", "When", "Which", "Is", "Are", "Was", "Were", "Do", "Does",
                  "Did", "Can", "Could", "Would", "Will", "Shall", "Should", "May", "Have", "Has", "Had", "Isn't",
                  "Don't", "Can't")
# in either case at its first letter: under a lowercase-only mask "why is it?" is a question too
ASK = "(" + " | ".join(f'[{w[0]}{w[0].lower()}] {json.dumps(w[1:])}' for w in QUESTION_WORDS) + ")"


def closing_on(mark: str, lo: int, hi: int) -> str:
    """A sentence that closes on `mark`: any other mark after a word and lo..hi characters; "?" after a question word,
    a space and lo-1..hi characters ("Who?" alone too, where lo is 0; never "Aremie ...?")."""
    if mark == "?":
        return f'{ASK} (" " [^\\n.!?]{{{max(0, lo - 1)},{hi}}}){"" if lo else "?"} "?"'
    return f"{OPEN} [^\\n.!?]{{{lo},{hi}}} {json.dumps(mark, ensure_ascii=False)}"


def bounds(test: Count) -> tuple[int, int | None] | None:
    """(least, most) a Count allows; most None = no bound; None for a parity (odd, even), which no grammar here
    counts."""
    return {"at_most": (1, test.n), "at_least": (test.n, None), "exactly": (test.n, test.n),
            "between": (test.n, test.m)}.get(test.rel)


def more(rule: str, sep: str, lo: int, hi: int | None) -> str:
    """`rule`, then lo-1 .. hi-1 more of (`sep` `rule`), as GBNF: "word (gap word){2,5}"; a repeat of {0,0} is not
    written (llguidance refuses it)."""
    a, b = max(0, lo - 1), None if hi is None else max(0, hi - 1)
    if b == 0:
        return rule
    return f"{rule} ({sep} {rule}){{{a},{'' if b is None else b}}}"


def paragraphs(para: str, rules: str) -> str:
    return f'root ::= para ("\\n\\n" para){{0,{MAX_SPLIT}}}\npara ::= {para}\n{rules}'


WORD_RULES = f"word ::= {WORD}\nfirst ::= {FIRST}\ngap ::= {GAP}\n"  # what words_rule's names stand for


def words_rule(lo: int, hi: int | None, gap: str = "gap") -> str:
    """lo..hi words, the first with a capital: "first (gap word){lo-1,hi-1}" (rules in WORD_RULES)."""
    return more("first", gap, lo, hi).replace(f"({gap} first)", f"({gap} word)")
