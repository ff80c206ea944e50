"""Reading an instruction no constraint type was written for into a program (issue 37), or not at all.

Each reader is a pattern for one shape of instruction ("keep every sentence under 12 words", "no word longer than
seven letters", "start each paragraph with a question", "list the items in alphabetical order") and builds the
program it states. Strict limits become inclusive ones ("under 12" -> "at most 11"), numbers written as words are
read as numbers. A clause two readers read differently over the same words is read by neither: never guess.

    read("Keep every sentence under twelve words.")  -> [Rule: each sentence has at most 11 words]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from irg.engine.compose.filters import Filter
from irg.engine.compose.measures import Count
from irg.engine.compose.program import Across, Each, Quant, Rule, Select
from irg.engine.constraints.text import _REL, _REL_MAP, normalize_numbers
from irg.engine.registry import Registry

Program = Rule | Across
REL = _REL[:-1] + r"|max(?:imum)?\.?|min(?:imum)?\.?)"  # the types' relations, and "max 42 characters per line"
RELS = {**_REL_MAP, **{w: "at_most" for w in ("max", "max.", "maximum")}, **{w: "at_least" for w in ("min", "min.",
                                                                                                      "minimum")}}
# what follows a counted unit and narrows it ("1 word starting with a capital", "a word of 3 syllables"): not read
QUALIFIED = re.compile(r"\s+(?:that|which|who|starting|beginning|ending|with|of|containing|in\s+(?:capital|bold|italic))\b",
                       re.I)
READERS: Registry = Registry("program reader")
UNIT = (r"(?:bullet[- ]?points?|bullets?|list items?|items?|points?|sentences?|paragraphs?|paras?|stanzas?|lines?|"
        r"words?|letters?|characters?)")
MARK = (r"(?P<mk>commas?|semicolons?|colons?|exclamation (?:marks?|points?)|question marks?|em[- ]?dash(?:es)?|"
        r"parenthes[ie]s|brackets|quotation marks|quote marks|ellips[ie]s|hashtags?|digits|numerals)")
UNIT_NAMES = {"bullet": "bullet item", "bullet point": "bullet item", "bullet-point": "bullet item",
              "bulletpoint": "bullet item", "list item": "bullet item", "item": "bullet item", "point": "bullet item",
              "stanza": "paragraph", "para": "paragraph"}
MARK_NAMES = {"exclamation point": "exclamation mark", "em-dash": "em dash", "emdash": "em dash", "parenthese":
              "parenthesis", "parenthesi": "parenthesis", "bracket": "parenthesis", "quote mark": "quotation mark",
              "ellipse": "ellipsis", "ellipsi": "ellipsis", "numeral": "digit"}
NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "last": -1}
MARKS = {"question mark": "?", "exclamation mark": "!", "exclamation point": "!", "period": ".", "full stop": "."}
MODAL = r"(?:(?:must|should|may|can|has to|have to|needs? to|will|shall)\s+(?:not\s+|only\s+)?)?"


def unit(word: str) -> str:
    w = word.lower().rstrip("s") if not word.lower().endswith("ss") else word.lower()
    return UNIT_NAMES.get(w, w)


def mark(word: str) -> str:
    w = re.sub(r"(?:es|s)$", "", word.lower()) if not word.lower().endswith(("ses", "sis")) else word.lower()
    w = {"parentheses": "parenthesis", "ellipses": "ellipsis", "ellipsis": "ellipsis"}.get(word.lower(), w)
    return MARK_NAMES.get(w, w)


def inclusive(rel: str, n: int) -> tuple[str, int]:
    """'under 12' -> ('at_most', 11), 'more than 20' -> ('at_least', 21): the language holds inclusive limits."""
    rel = RELS[rel.lower()]
    return {"less_than": ("at_most", n - 1), "more_than": ("at_least", n + 1)}.get(rel, (rel, n))


@dataclass(frozen=True)
class Reader:
    pattern: re.Pattern
    build: Callable[[re.Match], Program | None]


def reader(name: str, pattern: str):
    def add(build):
        READERS.register(name, Reader(re.compile(pattern, re.I), build))
        return build
    return add


# ---- counts per unit: "every sentence under 12 words", "at most 3 sentences per paragraph" ----------------------
def _vacuous(u: str, v: str) -> bool:
    """A count no text can break, or a unit counted in itself or in a smaller one: not read."""
    order = ["response", "paragraph", "bullet item", "line", "sentence", "word", "letter", "character"]
    return u == v or (u in order and v in order and order.index(v) <= order.index(u)) or \
        (u in ("line", "bullet item") and v in ("line", "bullet item", "paragraph"))


@reader("count_in_each", r"\b(?:each|every|all|any)\s+(?P<u>" + UNIT + r")\b(?P<gap>[^.;:]{0,40}?)\b" + REL + r"\s+(?P<n>\d+)\s+"
        r"(?P<v>" + UNIT + r")\b")
def _count_in_each(m):
    u, v = unit(m["u"]), unit(m["v"])
    if _vacuous(u, v) or QUALIFIED.match(m.string, m.end()) or re.search(r"\d", m["gap"]):
        return None  # "at least 8 and at most 12 words": the gap holds another limit (between_in_each reads it)
    rel, n = inclusive(m["rel"], int(m["n"]))
    return Rule(Each(), Select(u), Count(v, rel, n))


@reader("between_in_each", r"\b(?:each|every|all|any)\s+(?P<u>" + UNIT + r")\b[^.;:\d]{0,40}?\b(?:between\s+(?P<a>\d+)\s+"
        r"and\s+(?P<b>\d+)|(?:at least|no fewer than|no less than|a minimum of)\s+(?P<c>\d+)\s+and\s+(?:at most|no more than|"
        r"a maximum of)\s+(?P<d>\d+))\s+(?P<v>" + UNIT + r")\b")
def _between_in_each(m):
    u, v = unit(m["u"]), unit(m["v"])
    lo, hi = int(m["a"] or m["c"]), int(m["b"] or m["d"])
    if _vacuous(u, v) or QUALIFIED.match(m.string, m.end()) or lo > hi:
        return None
    return Rule(Each(), Select(u), Count(v, "between", lo, hi))


@reader("count_per", r"(?:\b" + REL + r"\s+)?\b(?P<n>\d+)\s+(?P<v>" + UNIT + r")\s+(?:per|in each|in every|for each|"
        r"for every)\s+(?P<u>" + UNIT + r")\b")
def _count_per(m):
    u, v = unit(m["u"]), unit(m["v"])
    if _vacuous(u, v):
        return None
    rel, n = inclusive(m["rel"], int(m["n"])) if m["rel"] else ("exactly", int(m["n"]))
    return Rule(Each(), Select(u), Count(v, rel, n))


# "no sentence longer than 20 words", "paragraphs must not exceed 60 words", "sentences of 15 words or fewer"
# the word before a limited unit must leave it every unit of its kind: "the subject line", "the first line", "body
# paragraphs", "the average sentence" are other units, or a measure the language does not have
_OPEN = re.compile(r"(?:^|[,(]\s*|\b(?:no|not a single|not one|any|all|the|your|my|our|keep|make|write|and|but|so|"
                   r"please|pls|that|with|limit|each|every)\s+)$", re.I)


@reader("unit_limit", r"\b(?P<neg>no|not a single|not one)?\s*(?:single\s+)?(?P<u>sentences?|paragraphs?|paras?|lines?|"
        r"bullet points?|bullets?)\b(?P<gap>[^.;:\d]{0,40}?)(?:(?P<over>longer than|more than|over|exceed(?:s|ing)?|go past|"
        r"run past|past)|" + REL + r"|of)\s+(?P<n>\d+)\s+(?P<v>words|sentences|characters|letters)\b(?P<tail>\s+(?:or "
        r"(?:fewer|less|under)|(?:max|maximum|tops|at most)\b))?")
def _unit_limit(m):
    if not _OPEN.search(m.string[: m.start("u")]):
        return None
    u, v, n = unit(m["u"]), unit(m["v"]), int(m["n"])
    negated = bool(m["neg"]) or bool(re.search(r"\b(?:not|n't|never)\b", m["gap"]))
    if _vacuous(u, v) or QUALIFIED.match(m.string, m.end()) or re.search(r"\b(?:each|every|per)\b", m["gap"]):
        return None  # "each ...": count_in_each reads it
    if m["over"]:  # a limit said as what is too long: only when it is refused ("no ...", "must not exceed")
        if not negated:
            return None
        return Rule(Each(), Select(u), Count(v, "at_most", n))
    if m["rel"]:
        if negated:
            return None
        rel, k = inclusive(m["rel"], n)
        return Rule(Each(), Select(u), Count(v, rel, k))
    if m["tail"] and not negated:  # "sentences of 15 words or fewer", "12 words max"
        return Rule(Each(), Select(u), Count(v, "at_most", n))
    return None


@reader("count_max_per", r"\b(?P<n>\d+)\s+(?P<v>words|sentences|characters)\s+(?:max|maximum|tops|or (?:fewer|less))\s+"
        r"(?:per|in each|for each|a)\s+(?P<u>" + UNIT + r")\b")
def _count_max_per(m):
    u, v = unit(m["u"]), unit(m["v"])
    return None if _vacuous(u, v) else Rule(Each(), Select(u), Count(v, "at_most", int(m["n"])))


# ---- marks: "don't use semicolons", "at most one comma per sentence" ----------------------------------------------
@reader("no_marks", r"\b(?:(?:do not|don't|never|please don't)\s+use\s+(?:any\s+)?|use\s+no\s+|(?:no|zero|avoid|without)\s+(?:any\s+)?)"
        + MARK + r"(?!\s+(?:in|per|for)\s+(?:each|every|a))|\b" + MARK.replace("?P<mk>", "?P<mk2>")
        + r"\s+(?:are|is)\s+(?:banned|not allowed|forbidden|off[- ]limits)")
def _no_marks(m):
    return Rule(Each(), Select("response"), Count(mark(m["mk"] or m["mk2"]), "exactly", 0))


@reader("marks_in_each", r"\b(?:each|every)\s+(?P<u>sentence|line|paragraph|bullet(?: point)?)\s+" + MODAL
        + r"(?:contains?|includes?|uses?|has|have)\s+(?:" + REL + r"\s+)?(?P<n>\d+|an?)\s+" + MARK)
def _marks_in_each(m):
    rel, n = (inclusive(m["rel"], int(m["n"])) if m["rel"] and m["n"].isdigit() else
              ("at_least", 1) if not m["n"].isdigit() else ("exactly", int(m["n"])))
    return Rule(Each(), Select(unit(m["u"])), Count(mark(m["mk"]), rel, n))


# ---- words: length, first and last letters ---------------------------------------------------------------------
@reader("no_long_words", r"\bno\s+words?\s+" + MODAL + r"(?:is\s+|be\s+|has\s+|have\s+|with\s+|of\s+)?(?:longer than|"
        r"more than|over)\s+(?P<n>\d+)\s+(?:letters|characters)\b")
def _no_long_words(m):
    return Rule(Quant("none"), Select("word"), Count("letter", "at_least", int(m["n"]) + 1))


@reader("avoid_long_words", r"\b(?:do not|don't|never)\s+use\s+(?:any\s+)?words\s+(?:that are\s+)?(?:longer than|"
        r"of more than|with more than|over)\s+(?P<n>\d+)\s+(?:letters|characters)\b")
def _avoid_long_words(m):
    return _no_long_words(m)


@reader("words_starting", r"\b" + REL + r"\s+(?P<n>\d+)\s+words\s+(?:that\s+)?(?:start|starting|begin|beginning)\s+"
        r"with\s+(?:the\s+letter\s+|an?\s+)?['\"‘“]?(?P<x>[a-z])\b['\"’”]?")
def _words_starting(m):
    rel, n = inclusive(m["rel"], int(m["n"]))
    return Rule(Quant(rel, n), Select("word"), Filter("starts_with", m["x"].lower()))


@reader("no_word_ending", r"\b(?:no\s+words?\s+" + MODAL + r"(?:end|ends|ending)|(?:avoid|do not use|don't use|no)\s+"
        r"(?:any\s+)?words\s+ending)\s+(?:with|in)\s+(?:the\s+letters?\s+)?['\"‘“-]*(?P<x>[a-z]+)\b")
def _no_word_ending(m):
    return Rule(Quant("none"), Select("word"), Filter("ends_with", m["x"].lower()))


# ---- how units start and end ------------------------------------------------------------------------------------
@reader("start_with_question", r"\b(?:start|begin|open)\s+(?:each|every)\s+(?P<u>paragraphs?|stanzas?|sections?)\s+"
        r"with\s+a\s+question\b")
def _start_with_question(m):
    u = unit(m["u"])
    return None if u == "section" else Rule(Each(), Select("sentence", 1, Select(u)), Filter("ends_with", "?"))


@reader("start_with_word", r"\b(?:(?:start|begin)\s+(?:each|every)\s+(?P<u>" + UNIT + r")|(?:each|every)\s+(?P<u2>"
        + UNIT + r")\s+" + MODAL + r"(?:start|begin)s?)\s+with\s+the\s+word\s+['\"‘“]?(?P<w>[a-z][a-z'’-]*)")
def _start_with_word(m):
    u = unit(m["u"] or m["u2"])
    word = m["w"].lower().rstrip("'’-")  # "the word 'I'": the closing quote is not the word's
    return None if u in ("word", "letter", "character") else Rule(Each(), Select(u), Filter("first_word", word))


@reader("end_with_mark", r"\b(?:(?:end|finish|close)\s+(?:each|every)\s+(?P<u>" + UNIT + r")|(?:each|every)\s+(?P<u2>"
        + UNIT + r")\s+" + MODAL + r"ends?)\s+(?:with|in)\s+(?:a|an)\s+(?P<mk>question mark|exclamation mark|"
        r"exclamation point|period|full stop)\b")
def _end_with_mark(m):
    u = unit(m["u"] or m["u2"])
    return None if u in ("word", "letter", "character") else Rule(Each(), Select(u), Filter("ends_with", MARKS[m["mk"].lower()]))


@reader("nth_is_question", r"\b(?:the\s+)?(?P<nth>first|second|third|fourth|fifth|sixth|last)\s+(?P<u>sentence|line|"
        r"paragraph|bullet(?: point)?|item)\s+" + MODAL + r"(?:be\s+a\s+question|end\s+with\s+a\s+question\s+mark)\b")
def _nth_is_question(m):
    return Rule(Each(), Select(unit(m["u"]), NTH[m["nth"].lower()]), Filter("ends_with", "?"))


# ---- letters in units ---------------------------------------------------------------------------------------------
@reader("each_contains_letter", r"\b(?:each|every)\s+(?P<u>sentence|line|paragraph|bullet(?: point)?|item)\s+" + MODAL
        + r"(?:contains?|includes?|uses?|has|have)\s+(?:at least one\s+|the\s+|an?\s+)?letter\s+['\"‘“]?(?P<x>[a-z])\b")
def _each_contains_letter(m):
    return Rule(Each(), Select(unit(m["u"])), Filter("contains", m["x"].lower()))


@reader("none_contains_letter", r"\bno\s+(?P<u>sentence|line|paragraph|bullet(?: point)?|item|word)\s+" + MODAL
        + r"(?:contains?|includes?|uses?|has|have)\s+(?:the\s+|an?\s+)?letter\s+['\"‘“]?(?P<x>[a-z])\b")
def _none_contains_letter(m):
    return Rule(Quant("none"), Select(unit(m["u"])), Filter("contains", m["x"].lower()))


# ---- across units ---------------------------------------------------------------------------------------------------
@reader("alphabetical", r"\b(?:bullet(?:ed)?\s+(?:points?|list|items?)|list\s+items|items|(?:the\s+)?list)\b[^.;]{0,40}?"
        r"\balphabetical(?:ly)?\b|\balphabetical(?:ly)?\b[^.;]{0,30}?\b(?:bullet(?:ed)?\s+(?:points?|list)|list\s+items)\b")
def _alphabetical(m):
    return Across("bullet item", "alphabetical")


@reader("no_two_start_same", r"\bno\s+(?:two|2)\s+(?P<c>consecutive\s+|adjacent\s+|successive\s+)?(?P<u>sentences|lines|"
        r"paragraphs|bullet points|items|stanzas)\s+(?P<r>in a row\s+)?" + MODAL + r"(?:start|begin)\s+with\s+the\s+"
        r"same\s+word\b")
def _no_two_start_same(m):
    return Across(unit(m["u"]), "consecutive_distinct_first_word" if (m["c"] or m["r"]) else "distinct_first_word")


# ---- the whole response ---------------------------------------------------------------------------------------------
@reader("units_of", r"\b(?P<u>stanzas|paragraphs|verses)\s+of\s+(?:" + REL + r"\s+)?(?P<n>\d+)\s+(?P<v>lines|sentences)\b")
def _units_of(m):
    rel, n = inclusive(m["rel"], int(m["n"])) if m["rel"] else ("exactly", int(m["n"]))
    u = {"verses": "paragraph"}.get(m["u"].lower(), unit(m["u"]))
    return Rule(Each(), Select(u), Count(unit(m["v"]), rel, n))


@reader("line_count", r"\b(?:in|of|with|use|write|has|have)\s+(?:" + REL + r"\s+)?(?P<n>\d+)\s+lines\b(?!\s+(?:per|in each|"
        r"for each|each))")
def _line_count(m):
    if re.search(r"(?:stanzas?|paragraphs?|verses?|sections?)\s+$", m.string[max(0, m.start() - 12):m.start()], re.I):
        return None  # "stanzas of 3 lines": each stanza's count (units_of)
    rel, n = inclusive(m["rel"], int(m["n"])) if m["rel"] else ("exactly", int(m["n"]))
    return Rule(Each(), Select("response"), Count("line", rel, n))


def read(clause: str) -> list[Program]:
    """The programs a clause states ([] if none is read; a span two readers read differently is dropped)."""
    text = normalize_numbers(clause).replace("’", "'")
    got: list[tuple[int, int, Program]] = []
    for _, r in READERS.items():
        for m in r.pattern.finditer(text):
            program = r.build(m)
            if program is not None:
                got.append((m.start(), m.end(), program))
    out, spans = [], []
    for a, b, p in got:
        clash = any(p != q and a < d and c < b for c, d, q in got)
        if not clash and p not in out:
            out.append(p)
            spans.append((a, b))
    # every number the clause states must be in what was read: "at least 8 and at most 12 words" read as "at most 12"
    # alone, or "one word of 3 syllables" read as "one word", would be a wrong reading: then nothing is read
    if any(not any(a <= n.start() < b for a, b in spans) for n in re.finditer(r"\d+", text)):
        return []
    # a refusal before what was read turns it round ("avoid any word over 10 letters" is no rule that each word has
    # 11): a reader that did not read the negation itself reads nothing
    for a, b in spans:
        before = text[:a]
        if re.search(r"\b(?:not|never|no|without|avoid|avoiding|don't|do not|nor|refrain from)\b[^.;:]*$", before, re.I):
            return []
    # ... and so must every "each line": "each line needs 4 words starting with p" is no count over the whole response
    if any(not any(a <= e.start() < b for a, b in spans) for e in re.finditer(r"\b(?:each|every|per)\s+" + UNIT, text, re.I)):
        return []
    return out
