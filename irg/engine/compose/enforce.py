"""How a program is enforced while the model writes, where a mechanism exists (issue 37): a mask, a grammar, or a
rendering step. The loop uses them only after a draft broke the program (the first draft stays free), as it does
for the 27 types.

    no semicolons / no letter e anywhere        mask: no token holding the character is sampled
    each sentence has at most 11 words          grammar: a sentence ends (. ! ?) by its 11th word
    no word has more than 7 letters             grammar: no run of letters longer than 7
    each paragraph has 2 to 3 sentences         grammar: paragraphs of 2-3 sentences, split by blank lines
    the response has exactly 3 lines; a haiku   grammar: that many lines, up to 6 (the syllables stay a rule)
    each line starts with the word 'Home'       grammar: every line opens with it
    the first sentence of each paragraph ends
      with a question mark                      grammar: each paragraph opens with a question
    the bullet items are in alphabetical order  rendering: the program sorts the items (lossless, shown as a step)
      (or in reverse alphabetical order)
    an acrostic on SUN (up to 6 letters)        grammar: each line opens on its letter
    each paragraph has exactly 3 lines          grammar: stanzas of that many lines (up to 6), as many as written
    each line ends with a question mark         grammar: a line breaks only after the mark
    each paragraph has at most 279 characters   grammar: the paragraph (or line) breaks by then
    the response contains no digits             mask: no token holding a digit ("write numbers in words")
    no bullet item ends with a period           rendering: the mark taken off each line's end (a form, no word
                                                changes)

More grammars (words in a paragraph, a list item or the title; the mark or phrase a unit closes on; the words of the
first or last sentence; the letters of every word) are in compose/unit_grammars.py.

Why grammars and not instructions: a 135M model told "at most 11 words per sentence" writes 25-word sentences;
under the grammar the full stop comes when it must. A grammar that leaves the model nothing it wants to write makes
debris; the loop then drops it for the rest of the run (plan.HARD_MASKS), as it does for the types' masks.
"""
from __future__ import annotations

import json
import re

from irg.engine.compose import unit_grammars
from irg.engine.compose.filters import Filter
from irg.engine.compose.measures import Count
from irg.engine.compose.program import Across, Acrostic, Form, Rule, Select
from irg.engine.compose.units import BULLET, MARKS, NUMBERED
from irg.engine.compose.gbnf import (FREE_SENTENCE, GAP, LINE, MAX_FORCED_LINES, MAX_SPLIT, NL, VERSE_WORD,
                                     WORD_RULES, bounds, closing_on, more, paragraphs, words_rule)
from irg.engine.decoding import DecodingConstraints



def grammar(program) -> str:
    """The GBNF that makes a text meet `program` by construction ("" if no grammar here does)."""
    if isinstance(program, Form):
        n = len(program.counts)
        return f'root ::= {more("line", NL, n, n)}\nline ::= {LINE}\n' \
            if program.unit == "line" and len(program.counts) <= MAX_FORCED_LINES else ""
    if isinstance(program, Acrostic):
        # each line opens on its letter as the first letter of a word ("Sun ...", "I ..."); up to 6 lines, as for
        # the forms: made to write more, the 135M model fills them with its instructions
        if program.unit != "line" or len(program.letters) > MAX_FORCED_LINES:
            return ""
        lines = " \"\\n\" ".join(f"l{i}" for i in range(len(program.letters)))
        rules = "".join(f'l{i} ::= "{c.upper()}" [a-z]* [ ,] [^\\n]{{1,160}}\n' for i, c in enumerate(program.letters))
        return f"root ::= {lines}\n{rules}"
    if not isinstance(program, Rule):
        return ""
    q, s, t = program.quant, program.select, program.test
    if isinstance(t, Count) and q.kind == "each" and s.nth is None and s.within is None and t.where is None:
        if bounds(t) is None:
            return ""
        lo, hi = bounds(t)
        if s.unit in ("line", "paragraph") and t.unit == "character" and hi is not None and max(lo, 1) <= hi <= 600:
            # "keep each tweet under 280 characters", "no line longer than 40 characters": the unit breaks by then
            # (a paragraph is one line, as the model writes them)
            chars = f"[^\\n \\t] [^\\n]{{{max(0, lo - 1)},{hi - 1}}}"
            if s.unit == "line":
                return f'root ::= line ("\\n" line){{0,{MAX_SPLIT * 2}}}\nline ::= {chars}\n'
            return paragraphs(chars, "")
        if hi is not None and hi > 200 or lo > 200 or (hi is not None and hi < max(lo, 1)):
            return ""
        if s.unit == "sentence" and t.unit == "word":
            # a sentence opens on a capital: forced to end, the model starts a new sentence rather than carrying
            # the old one on after the full stop ("a beautiful. day, and the air ...")
            return paragraphs(f'sent (" " sent){{0,{MAX_SPLIT}}}',
                              f"sent ::= {words_rule(lo, hi)} [.!?]\n" + WORD_RULES)
        if s.unit == "paragraph" and t.unit == "sentence":
            sents = more("sent", '" "', lo, hi)
            return paragraphs(sents, f"sent ::= {FREE_SENTENCE}\n")
        if s.unit == "line" and t.unit == "word":
            words = more("word", "gap", lo, hi) + " [.!?,]?"
            return f'root ::= line ("\\n" line){{0,{MAX_SPLIT * 2}}}\nline ::= {words}\nword ::= {VERSE_WORD}\n' \
                f'gap ::= {GAP}\n'
        if s.unit == "response" and t.unit == "line" and hi is not None and lo <= MAX_FORCED_LINES:
            return f'root ::= {more("line", NL, lo, hi)}\nline ::= {LINE}\n'
        if s.unit == "paragraph" and t.unit == "line" and hi is not None and hi <= MAX_FORCED_LINES:
            # stanzas ("in tercets", "each stanza a quatrain"): each that many lines, as many stanzas as the model
            # writes; the lines it must write are one stanza's
            return paragraphs(more("line", NL, max(lo, 1), hi), f"line ::= {LINE}\n")
        return ""
    if isinstance(t, Filter) and q.kind == "each" and s.unit == "line" and s.nth is None and s.within is None \
            and t.name == "ends_with" and t.arg in ("?", "!", "."):
        # "every line ends with a question mark": the line goes on until the model writes the mark, then breaks
        return f'root ::= line ("\\n" line){{0,{MAX_SPLIT * 2}}}\nline ::= [^\\n] [^\\n]{{0,160}} {json.dumps(t.arg)}\n'
    if isinstance(t, Count) and q.kind == "none" and s.unit == "word" and t.unit == "letter" and t.rel == "at_least" \
            and 1 <= t.n - 1 <= 40:
        # no run of letters longer than n-1: words of at most n-1 letters between anything that is not a letter
        # (digits, accented letters, ' and - would join a word the checker counts as one: they are not written)
        return f"root ::= sep? (wd sep)* wd?\nwd ::= [A-Za-z]{{1,{t.n - 1}}}\nsep ::= [^A-Za-z0-9À-ÿ'’-]+\n"
    if isinstance(t, Filter) and q.kind == "each" and s.within is None and s.nth is None and t.name == "first_word" \
            and re.fullmatch(r"[A-Za-z][A-Za-z'-]*", str(t.arg)):
        # then a space: "Home, sweet home" is refused. Allowed a comma, the 135M model wrote "Rain, a fleeting moment
        # in time, ..." on every line, a loop; made to go on with a word, it wrote a poem (measured on the classroom
        # example "Start every line with the word Rain")
        word = json.dumps(str(t.arg).capitalize())
        if s.unit == "line":
            return f'root ::= line ("\\n" line){{0,{MAX_SPLIT * 2}}}\nline ::= {word} " " [^\\n]{{1,160}}\n'
        if s.unit == "sentence":
            return paragraphs(f'sent (" " sent){{0,{MAX_SPLIT}}}',
                               f"sent ::= {word} \" \" [^\\n.!?]{{1,240}} [.!?]\n")
        if s.unit == "paragraph":
            return paragraphs(f"{word} \" \" [^\\n]{{1,600}}", "")
    if isinstance(t, Filter) and t.name == "ends_with" and t.arg == "?" and q.kind == "each" and s.unit == "sentence" \
            and s.nth == 1 and s.within == Select("paragraph"):
        return paragraphs(f'{closing_on("?", 0, 240)} (" " sent){{0,{MAX_SPLIT}}}', f"sent ::= {FREE_SENTENCE}\n")
    return ""


def banned(program) -> list[str]:
    """Characters no token may hold: a mark the response must not contain, a letter no word may contain."""
    if not isinstance(program, Rule) or program.select.nth is not None or program.select.within is not None:
        return []
    q, s, t = program.quant, program.select, program.test
    if isinstance(t, Count) and s.unit == "response" and t.rel in ("exactly", "at_most") and t.n == 0:
        chars = "0123456789" if t.unit == "digit" else MARKS.get(t.unit)  # "write numbers in words": no digit
        return list(chars) if chars else []
    if isinstance(t, Filter) and t.name == "contains" and q.kind == "none" and isinstance(t.arg, str) \
            and len(t.arg) == 1 and t.arg.isalpha():  # no word / line / sentence holds the letter: none anywhere
        return [t.arg.lower(), t.arg.upper()]
    return []


def counts_words(program) -> bool:
    """Does the program's grammar count words or letters (so a glued or cut word would meet it falsely)?"""
    t = getattr(program, "test", None)
    if isinstance(program, Rule) and program.select.unit == "title":
        return False  # the title's few words are laid down in the grammar; the text under it is free
    # on every word's letters (a word of four letters, one starting with p): glued or cut, a word meets it falsely
    return isinstance(t, Count) and t.unit in ("word", "letter") or (isinstance(program, Rule)
                                                                      and program.select.unit == "word")


def decoding(program) -> DecodingConstraints | None:
    chars, gbnf = banned(program), grammar(program) or unit_grammars.grammar(program)
    if not (chars or gbnf):
        return None
    whole = bool(gbnf) and counts_words(program)
    # made to reach a count, the 135M model filled with what it had just written ("I am a wand, a wand, on"):
    # no_repeat_ngram (DRY on llama.cpp; not applied on transformers, where it is a hard ban) under such a grammar
    return DecodingConstraints(banned_chars=chars, grammar=gbnf, whole_words=whole, no_repeat_ngram=4 if whole else 0)


SORTS = {"alphabetical": "alphabetically", "reverse_alphabetical": "in reverse alphabetical order"}
# units that are lines of their own, each found by the line's own pattern: what a line-end rule can be rendered on
LINE_UNITS = {"line": re.compile(r"\S"), "bullet item": BULLET, "numbered item": NUMBERED}


def _bare_ends(program) -> bool:
    """No line (bullet item, numbered item) ends with a mark: "Bullets don't get periods at the end"."""
    return (isinstance(program, Rule) and program.quant.kind == "none" and program.select.unit in LINE_UNITS
            and program.select.nth is None and program.select.within is None and isinstance(program.test, Filter)
            and (program.test.name == "ends_punctuation"
                 or (program.test.name == "ends_with" and isinstance(program.test.arg, str)
                     and program.test.arg.strip() and not any(c.isalnum() for c in program.test.arg))))


def _strip_ends(program, text: str) -> str:
    """Each such line without the marks it must not end with (a form, like a letter case: no word changes)."""
    find, out = LINE_UNITS[program.select.unit], []
    for ln in text.split("\n"):
        while find.search(ln) and program.test.holds(ln) and ln.rstrip()[:-1].strip():
            ln = ln.rstrip()[:-1].rstrip()
        out.append(ln)
    return "\n".join(out)


def render(program, text: str) -> str:
    """The text with the program applied by the program, where that loses nothing: bullet items sorted, a mark a
    line must not end with taken off its end."""
    if _bare_ends(program):
        return _strip_ends(program, text)
    if isinstance(program, Across) and program.kind in SORTS and program.unit == "bullet item":
        lines = text.split("\n")
        at = [i for i, ln in enumerate(lines) if BULLET.match(ln)]
        if len(at) < 2 or at != list(range(at[0], at[0] + len(at))) or any(re.match(r"\s*\d", lines[i]) for i in at):
            return text  # items not in one block, or numbered: sorting would move text or break the numbering
        items = sorted((lines[i] for i in at), key=lambda ln: BULLET.match(ln).group(1).strip("*_ ").lower(),
                       reverse=program.kind == "reverse_alphabetical")
        lines[at[0]:at[0] + len(at)] = items
        return "\n".join(lines)
    return text


def render_label(program) -> str:
    if isinstance(program, Across) and program.kind in SORTS and program.unit == "bullet item":
        return "rendered: the bullet items sorted " + SORTS[program.kind]
    if _bare_ends(program):
        return f"rendered: end marks taken off, so that {program.describe()}"
    return ""
