"""More grammars a program is met by (issue 37, sixteenth session), beside compose/enforce.py's:

    each paragraph has at most 60 words          grammar: a paragraph ends a sentence by its 60th word
    each bullet item has at most 7 words         grammar: "- " items of 1 to 7 words, one per line
    the title has exactly 1 word                 grammar: a heading ("# ", or << >>) of that many words
    the title has at most 59 characters          grammar: a heading of 1 to 59 characters, then free text
    the title ends with a question mark          grammar: a heading ending on "?", then free text
    each paragraph's last sentence ends with ?   grammar: each paragraph closes on a question
    the last sentence ends with a question mark  grammar: the answer closes on a question
    each sentence / bullet item ends with ?      grammar: each one closes on the mark
    each line ends with the word 'night'         grammar: each line (list item, paragraph) closes on the phrase
    the last sentence has at most 9 words        grammar: that sentence ends by its 9th word, the others are free
      (the first sentence; the first or last sentence of each paragraph)
    each word has at most 5 letters              grammar: runs of 1 to 5 letters between anything that is not a letter
    each word starts with the letter p           grammar: every run of letters opens on p or P (or never does)

Chosen from the development run's misses (scripts/compose_devq.py), where the 135M model, told the rule, broke it
draft after draft. Like the others they are used only after a draft broke the program, and a grammar that leaves the
model nothing it wants to write (debris) is let go for the rest of the run.
"""
from __future__ import annotations

import json

from irg.engine.compose.filters import Filter
from irg.engine.compose.gbnf import (FREE_SENTENCE, MAX_SPLIT, OPEN, WORD_RULES, bounds, paragraphs,
                                     words_rule)
from irg.engine.compose.measures import Count
from irg.engine.compose.program import Rule, Select

BODY = "body ::= [^\\x00]{0,3000}\n"  # what follows a title: anything
# a character of a line: none of those str.splitlines (and so the checker) breaks a line on
IN_LINE = "[^\\n\\r\\x0b\\x0c\\x1c-\\x1e\\x85\\u2028\\u2029]"
ITEMS = f'root ::= item ("\\n" item){{0,{MAX_SPLIT * 2}}}\n'  # a list, one item per line
MARKS = {"bullet item": '"- "', "numbered item": '[1-9] [0-9]? ". "'}
ENDS = ("?", "!", ".")
# between two words of a paragraph: a comma's gap, or a sentence's end (the next word may open a new sentence)
PARA_GAP = 'pgap ::= [,;:]? " " | [.!?] " "\n'


def _titled(title: str) -> str:
    """A title line (as a "# " heading, or in << >> as the title type asks), then free text."""
    return f'root ::= ("# " t | "<<" t ">>") "\\n\\n" body\nt ::= {title}\n' + BODY


def _counted(s: Select, t: Count) -> str:
    """Words or characters in a paragraph, a list item or the title."""
    if bounds(t) is None:
        return ""
    lo, hi = bounds(t)
    if hi is None or hi > 200 or hi < max(lo, 1):
        return ""
    if t.unit == "word":
        if s.unit == "paragraph":
            return paragraphs(words_rule(lo, hi, "pgap") + " [.!?]", WORD_RULES + PARA_GAP)
        if s.unit in MARKS:
            return ITEMS + f"item ::= {MARKS[s.unit]} {words_rule(lo, hi)} [.!?]?\n" + WORD_RULES
        if s.unit == "title":
            return _titled(words_rule(lo, hi)) + WORD_RULES
    if t.unit == "character" and s.unit == "title" and lo <= hi:
        # its last character is no space either: the checker strips the title, so spaces would fill a least length
        if hi < 2:
            return _titled('[A-Z0-9"\']')
        return _titled(f'[A-Z0-9"\'] [^\\n\\r#*.<>]{{{max(0, lo - 2)},{hi - 2}}} [^\\n\\r#*.<> \\t]')
    return ""


def _ending(s: Select, mark: str) -> str:
    """A unit that must close on a mark: each sentence, paragraph, list item, the last sentence, the title."""
    q = json.dumps(mark, ensure_ascii=False)  # GBNF reads no \u escapes: "À bientôt" as it is
    closing = f"{OPEN} [^\\n.!?]{{0,240}} {q}"  # a sentence that ends on the mark
    if s.unit == "sentence" and s.nth is None and s.within is None:
        return paragraphs(f'qs (" " qs){{0,{MAX_SPLIT}}}', f"qs ::= {closing}\n")
    if s.nth is None and s.within is None and s.unit == "paragraph" or \
            s.unit == "sentence" and s.nth == -1 and s.within == Select("paragraph"):
        return paragraphs(f'(sent " "){{0,{MAX_SPLIT}}} {closing}', f"sent ::= {FREE_SENTENCE}\n")
    if s.unit == "sentence" and s.nth == -1 and s.within is None:
        # the closing sentence as a rule of its own: written inline after the repeat, llguidance admitted no text
        return f'root ::= (sent (" " | "\\n\\n")){{0,{MAX_SPLIT * 2}}} last\nlast ::= {closing}\n' \
            f"sent ::= {FREE_SENTENCE}\n"
    if s.unit in MARKS and s.nth is None and s.within is None:
        return ITEMS + f"item ::= {MARKS[s.unit]} [A-Z0-9\"'] {IN_LINE}{{0,160}} {q}\n"
    if s.unit == "title":
        return _titled(f'[A-Z0-9"\'] [^\\n#*?!<>]{{0,80}} {q}')
    return ""


def _ending_text(s: Select, text: str) -> str:
    """A line, list item or paragraph that must close on a phrase ("each riddle ends with 'What am I?'")."""
    q = json.dumps(text, ensure_ascii=False)
    if s.nth is not None or s.within is not None:
        return ""
    if s.unit in MARKS:
        return ITEMS + f"item ::= {MARKS[s.unit]} [A-Z0-9\"'] {IN_LINE}{{0,160}} \" \" {q}\n"
    if s.unit == "line":
        return f'root ::= line ("\\n" line){{0,{MAX_SPLIT * 2}}}\nline ::= {IN_LINE} {IN_LINE}{{0,160}} " " {q}\n'
    if s.unit == "paragraph":
        return paragraphs(f'{OPEN} {IN_LINE}{{0,600}} " " {q}', "")
    return ""


def _placed_sentence(s: Select, t: Count) -> str:
    """The words of the first or last sentence (of the answer, or of each paragraph); the others are free."""
    if bounds(t) is None or t.unit != "word":
        return ""
    lo, hi = bounds(t)
    if hi is None or hi > 60 or hi < max(lo, 1):
        return ""
    one = f"one ::= {words_rule(lo, hi)} [.!?]\nsent ::= {FREE_SENTENCE}\n" + WORD_RULES
    if s.within is None and s.nth == 1:
        return f'root ::= one ((" " | "\\n\\n") sent){{0,{MAX_SPLIT * 2}}}\n' + one
    if s.within is None:
        return f'root ::= (sent (" " | "\\n\\n")){{0,{MAX_SPLIT * 2}}} one\n' + one
    if s.nth == 1:
        return paragraphs(f'one (" " sent){{0,{MAX_SPLIT}}}', one)
    return paragraphs(f'(sent " "){{0,{MAX_SPLIT}}} one', one)


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _but(letter: str) -> str:
    """A character class of every letter but one, in both cases: [A-DF-Za-df-z] for e."""
    rest = "".join(c for c in LETTERS if c != letter.upper())
    return "[" + rest + rest.lower() + "]"


def _letters(q: str, t) -> str:
    """Every word (every run of letters, as the checker splits words) held to a rule on its letters: at most n
    letters, or a first letter asked or refused.

    No grammar for a least length ("at least 4 letters", "exactly 4") or a refused last letter ("no word ends in e"):
    each has a place where only a piece of a word can go on ("T" must become a longer word), so whole words are let
    go (feasible.py), and the 135M model glued its words to meet it ("Thenight skyisa canvas", "Theschoolgarden ...
    createa"). Measured on the development run: met by debris the degeneration check does not see, so not a win."""
    wd = ""
    if isinstance(t, Count) and t.unit == "letter" and q == "each" and t.rel == "at_most" and 1 <= t.n <= 40:
        wd = f"[A-Za-z] [a-z]{{0,{t.n - 1}}}"
    elif isinstance(t, Filter) and t.name == "starts_with" and isinstance(t.arg, str) and len(t.arg) == 1 \
            and t.arg.upper() in LETTERS:
        c = t.arg
        wd = f"[{c.upper()}{c.lower()}] [a-z]{{0,15}}" if q == "each" else f"{_but(c)} [a-z]{{0,15}}" \
            if q == "none" else ""
    if not wd:
        return ""
    # digits, accented letters, ' and - would join a word the checker counts as one: they are not written
    # at least one word: an empty text, or one of marks alone, met the rule
    return f"root ::= sep? wd (sep wd)* sep?\nwd ::= {wd}\nsep ::= [^A-Za-z0-9À-ÿ'’-]{{1,4}}\n"


def grammar(program) -> str:
    """The GBNF that makes a text meet `program` by construction ("" if no grammar here does)."""
    if not isinstance(program, Rule):
        return ""
    q, s, t = program.quant, program.select, program.test
    if s.unit == "word" and s.nth is None and s.within is None:
        return _letters(q.kind, t)
    if q.kind != "each" or getattr(t, "where", None) is not None:
        return ""
    if isinstance(t, Count) and s.nth is None and s.within is None and s.unit in ("paragraph", "title", *MARKS):
        return _counted(s, t)
    if isinstance(t, Filter) and t.name == "ends_with" and t.arg in ENDS:
        return _ending(s, t.arg)
    if isinstance(t, Filter) and t.name in ("ends_with", "last_word") and isinstance(t.arg, str) \
            and 2 <= len(t.arg) <= 40 and "\n" not in t.arg and any(c.isalpha() for c in t.arg):
        return _ending_text(s, t.arg)
    if isinstance(t, Count) and s.unit == "sentence" and s.nth in (1, -1) \
            and s.within in (None, Select("paragraph")):
        return _placed_sentence(s, t)
    return ""
