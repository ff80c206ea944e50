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

from irg.engine.compose.across import Across
from irg.engine.compose.filters import Filter
from irg.engine.compose.gbnf import (FREE_SENTENCE, GAP, MAX_SPLIT, OPEN, VERSE_WORD, WORD_RULES, bounds, closing_on,
                                     more, paragraphs, words_rule)
from irg.engine.compose.measures import Count
from irg.engine.compose.program import Rule, Select

BODY = "body ::= [^\\x00]{0,3000}\n"  # what follows a title: anything
# a character of a line: none of those str.splitlines (and so the checker) breaks a line on
IN_LINE = "[^\\n\\r\\x0b\\x0c\\x1c-\\x1e\\x85\\u2028\\u2029]"
NL_, SPACE = '"\\n"', '" "'
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
    closing = closing_on(mark, 0, 240)  # a sentence that ends on the mark
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


SEP = "[^A-Za-z0-9À-ÿ'’-]{1,4}"  # between two words: no letter, digit, apostrophe or hyphen (they would join them)


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
    return f"root ::= sep? wd (sep wd)* sep?\nwd ::= {wd}\nsep ::= {SEP}\n"


def _holding(t) -> str:
    """A sentence that holds a comma, or a number (in digits), somewhere inside it."""
    if isinstance(t, Count) and t.unit == "comma" and t.where is None and t.rel in ("at_least", "exactly") \
            and t.n == 1:
        return f'{OPEN} [^\\n.!?,]{{0,120}} "," [^\\n.!?,]{{1,200}} [.!?]'
    if isinstance(t, Filter) and t.name == "has_number":
        return f"{OPEN} [^\\n.!?0-9]{{0,160}} [1-9] [0-9]{{0,3}} [^\\n.!?0-9]{{0,160}} [.!?]"
    return ""


def _odd_even(t: Count) -> str:
    """Lines of an odd (1, 3 .. 15) or even (2 .. 16) number of words."""
    pair = "(gap word gap word){0,7}"
    words_ = f"word {pair}" if t.rel == "odd" else f"word gap word {pair}"
    return f'root ::= line ("\\n" line){{0,{MAX_SPLIT}}}\nline ::= {words_} [.!?,]?\nword ::= {VERSE_WORD}\n' \
        f"gap ::= {GAP}\n"


def _some(q, t: Count) -> str:
    """At least k sentences of a length ("at least 3 sentences of more than 20 words"): the first k are written so."""
    if not (1 <= (q.n or 0) <= 6 and t.unit == "word" and t.where is None and bounds(t)):
        return ""
    lo, hi = bounds(t)
    hi = lo + 15 if hi is None else hi
    if hi > 60 or hi < max(lo, 1):
        return ""
    first = more("one", SPACE, int(q.n), int(q.n))
    return (f'root ::= {first} ((" " | "\\n\\n") sent){{0,{MAX_SPLIT * 2}}}\n'
            f"one ::= {words_rule(lo, hi)} [.!?]\nsent ::= {FREE_SENTENCE}\n" + WORD_RULES)


def _in_order(unit: str) -> str:
    """Lines or sentences whose first letters never go back in the alphabet: after a unit on a letter, the next
    opens on that letter or a later one (the model chooses; equal letters are in order, as the checker reads it)."""
    if unit == "line":
        rest, sep = f"{IN_LINE}{{0,160}}", NL_
    elif unit == "sentence":
        rest, sep = "[^\\n.!?]{0,240} [.!?]", '(" " | "\\n\\n")'
    else:
        return ""
    out = ["root ::= na\n"]
    for i, c in enumerate(LETTERS.lower()):
        out.append(f"n{c} ::= " + " | ".join(f"s{d}" for d in LETTERS.lower()[i:]) + "\n")
        out.append(f"s{c} ::= [{c.upper()}{c}] {rest} ({sep} n{c})?\n")
    return "".join(out)


def grammar(program) -> str:
    """The GBNF that makes a text meet `program` by construction ("" if no grammar here does)."""
    if isinstance(program, Across) and program.kind == "alphabetical_initials":
        return _in_order(program.unit)
    if not isinstance(program, Rule):
        return ""
    q, s, t = program.quant, program.select, program.test
    if q.kind == "at_least" and s == Select("sentence") and isinstance(t, Count):
        return _some(q, t)
    if s.unit == "word" and s.nth is None and s.within is None:
        return _letters(q.kind, t)
    if q.kind != "each" or getattr(t, "where", None) is not None:
        return ""
    if isinstance(t, Count) and s.nth is None and s.within is None and s.unit in ("paragraph", "title", *MARKS):
        return _counted(s, t)
    if s == Select("sentence") and (hs := _holding(t)):
        return paragraphs(f'hs (" " hs){{0,{MAX_SPLIT}}}', f"hs ::= {hs}\n")
    if s == Select("line") and isinstance(t, Count) and t.unit == "word" and t.rel in ("odd", "even"):
        return _odd_even(t)
    if isinstance(t, Filter) and t.name == "ends_with" and t.arg in ENDS:
        return _ending(s, t.arg)
    if isinstance(t, Filter) and t.name in ("ends_with", "last_word") and isinstance(t.arg, str) \
            and 2 <= len(t.arg) <= 40 and "\n" not in t.arg and any(c.isalpha() for c in t.arg):
        return _ending_text(s, t.arg)
    if isinstance(t, Count) and s.unit == "sentence" and s.nth in (1, -1) \
            and s.within in (None, Select("paragraph")):
        return _placed_sentence(s, t)
    return ""


def opening_item(program) -> str:
    """GBNF rules whose `item` is a sentence that opens each paragraph as `program` asks, or "": an answer written
    part by part opens each paragraph on a line of its outline (parts.py), which the model writes without the rule
    ("The cat was lost to the world." where each paragraph was to open with a question); written under this, the
    outline's lines meet it and the parts go on from them."""
    if not isinstance(program, Rule) or program.quant.kind != "each" or program.select.inner:
        return ""
    s, t = program.select, program.test
    if s == Select("paragraph") and isinstance(t, Filter) and t.name == "first_word" \
            and isinstance(t.arg, str) and t.arg.replace("'", "").replace("-", "").isalpha():
        return f'item ::= {json.dumps(t.arg.capitalize())} " " [^\\n]{{10,150}}\n'
    if s != Select("sentence", 1, Select("paragraph")):
        return ""
    if isinstance(t, Filter) and t.name == "ends_with" and t.arg in ENDS:
        return f"item ::= {closing_on(t.arg, 10, 150)}\n"
    if isinstance(t, Count) and t.unit == "word" and t.where is None and bounds(t) is not None:
        lo, hi = bounds(t)
        if hi is not None and max(lo, 1) <= hi <= 30:
            return f"item ::= {words_rule(lo, hi)} [.!?]\n" + WORD_RULES
    return ""
