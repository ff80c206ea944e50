"""Counts the other readers do not say (issue 37): things of a written form in the whole answer, a mark refused in
one unit by its position, and how often any word may recur.

    Include at least two percentages.          the response contains at least 2 percentages
    No commas in the first paragraph.          the first paragraph contains exactly 0 commas
    No word may appear more than twice.        Across("word", "max_repeats", n=2)
"""
from __future__ import annotations

import re
from collections import Counter

from irg.engine.compose.across import ACROSS, Across, AcrossKind
from irg.engine.compose.clause import ORD, ORDS, subject
from irg.engine.compose.measures import Count
from irg.engine.compose.filters import Filter
from irg.engine.compose.program import Each, Quant, Rule, Select
from irg.engine.compose.vocab import MARK, QUALIFIED, REL, inclusive, mark, reader, topic_before

# ---- things of a form in the whole answer: "use at least 3 numbers", "mention exactly one date" -----------------
FORMS = {"number": "number", "numbers": "number", "percentage": "percentage",
         "percentages": "percentage", "price": "price", "prices": "price", "date": "date", "dates": "date",
         "year": "year", "years": "year"}


@reader("forms_in_response", r"\b(?:use|include|mention|give|cite|put\s+in|work\s+in)\s+(?:" + REL
        + r"\s+)?(?P<n>\d+)\s+(?:specific\s+|different\s+|concrete\s+)?(?P<x>numbers?|percentages?|prices?|"
        r"dates?|years?)\b")
def _forms_in_response(m):
    after = m.string[m.end():]
    if QUALIFIED.match(m.string, m.end()) or re.match(r"\s*(?:,\s*)?(?:in|per|for)\s+(?:each|every|a|the)\b", after) \
            or re.search(r"\b(?:each|every|per)\b", m.string[: m.start()], re.I) or topic_before(m.string, m.start()) \
            or re.search(r"\b(?:will|would|had|has|have|was|were)\s*$", m.string[:m.start()], re.I) \
            or re.match(r"\s*,?\s*(?:spelled|spelt|written|in\s+full|as\s+words|in\s+words)", m.string[m.end():], re.I):
        return None  # "3 numbers in each paragraph", "numbers written as digits": more than this reads
    n = int(m["n"])
    if (n == 1) == m["x"].lower().endswith("s"):
        return None  # "1 numbers", "3 number"
    rel, n = inclusive(m["rel"], n) if m["rel"] else ("exactly", n)
    return Rule(Each(), Select("response"), Count(FORMS[m["x"].lower()], rel, n))


# ---- a mark refused in one unit by its position: "no commas in the first paragraph" --------------------------------
AT_UNIT = r"(?P<u>sentence|line|paragraph|stanza|bullet point|bullet|verse)"


@reader("marks_refused_at", r"\b(?:(?:no|avoid(?:\s+using)?|(?:don't|do not|never)\s+(?:use|put|include))\s+(?:any\s+)?"
        + MARK + r"\s+in\s+the\s+(?:very\s+)?" + ORD + r"\s+" + AT_UNIT + r"|\bthe\s+(?:very\s+)?"
        + ORD.replace("?P<nth>", "?P<nth2>") + r"\s+" + AT_UNIT.replace("?P<u>", "?P<u2>")
        + r"\s+(?:must|should|can|may|will)\s*(?:not|n't)\s+(?:contain|use|have|include)\s+(?:any\s+)?"
        + MARK.replace("?P<mk>", "?P<mk2>") + r"|\bthe\s+(?:very\s+)?" + ORD.replace("?P<nth>", "?P<nth3>") + r"\s+"
        + AT_UNIT.replace("?P<u>", "?P<u3>") + r"\s+(?:must|should)\s+(?:contain|use|have|include)\s+no\s+"
        + MARK.replace("?P<mk>", "?P<mk3>") + r")\b")
def _marks_refused_at(m):
    if re.match(r"\s+(?:of|in)\s+(?:each|every|the|a|an|your|any)\b", m.string[m.end():], re.I):
        return None  # "no commas in the first paragraph of each section": a unit of another unit
    nth, u, mk = m["nth"] or m["nth2"] or m["nth3"], m["u"] or m["u2"] or m["u3"], m["mk"] or m["mk2"] or m["mk3"]
    k = ORDS.get(nth.lower()) or int(re.match(r"\d+", nth).group(0))
    return Rule(Each(), Select(subject(u), k), Count(mark(mk), "exactly", 0))


# ---- how often a word may recur: "no word more than twice" ------------------------------------------------------
def _max_repeats(units: list[str], name: str, p: Across) -> list[str]:
    seen = Counter(w.lower().strip("'’") for w in units)
    return [f"'{w}' appears {k} times" for w, k in seen.most_common() if k > p.n][:5]


ACROSS.register("max_repeats", AcrossKind(_max_repeats, "no {name} appears more than {n} times", ("n",)))
TIMES = {"once": 1, "twice": 2, "thrice": 3}
N_TIMES = r"(?P<n>once|twice|thrice|\d+\s+times)"


@reader("word_repeats", r"\b(?:no\s+(?:single\s+)?word\s+(?:may|can|should|must|will|is\s+to)?\s*(?:appear|"
        r"appears|be\s+used|"
        r"be\s+repeated|occur|occurs|show\s+up)\s+more\s+than\s+" + N_TIMES + r"|(?:don't|do not|"
        r"never)\s+(?:repeat|use)"
        r"\s+(?:any|a|the\s+same)\s+(?:single\s+)?word\s+more\s+than\s+" + N_TIMES.replace("?P<n>", "?P<n2>")
        + r"|(?:each|every|any)\s+word\s+(?:may|can|should|must)\s+(?:only\s+)?(?:appear|be\s+used|"
        r"occur)\s+(?:at\s+most|"
        r"no\s+more\s+than|up\s+to)\s+" + N_TIMES.replace("?P<n>", "?P<n3>") + r"|use\s+(?:each|every|any)\s+word\s+"
        r"(?:at\s+most|no\s+more\s+than)\s+" + N_TIMES.replace("?P<n>", "?P<n4>") + r"|"
        r"no\s+(?:single\s+)?word\s+(?:is|may\s+be|"
        r"should\s+be|can\s+be|gets?|will\s+be)\s+(?P<rep>repeated)(?!\s+more))(?!\s+(?:in|per)\b)")
def _word_repeats(m):
    if re.match(r"\s*,?\s*(?:back\s+to\s+back|immediately|in\s+a\s+row|consecutively|side\s+by\s+side|next\s+to)",
                m.string[m.end():], re.I):
        return None  # "no word repeated back to back": neighbours, not the whole answer
    said = (m["n"] or m["n2"] or m["n3"] or m["n4"] or "once").lower()  # "no word is repeated": once
    n = TIMES.get(said) or int(said.split()[0])
    if re.search(r"\brepeated\s+more\s+than\b", m.group(0), re.I):
        return None  # "repeated more than once": used at most once, or twice? not read
    if n < 1:
        return None
    return Across("word", "distinct_words") if n == 1 else Across("word", "max_repeats", n=n)


# ---- a span of marks in the whole answer: "use between two and four exclamation marks in total" ----------------
@reader("marks_between", r"\b(?:use|include|have|put\s+in)\s+between\s+(?P<a>\d+)\s+and\s+(?P<b>\d+)\s+" + MARK
        + r"(?:\s+in\s+(?:total|all)|\s+altogether)?")
def _marks_between(m):
    a, b = int(m["a"]), int(m["b"])
    if a >= b or QUALIFIED.match(m.string, m.end()) or re.match(r"\s+(?:in|per|for)\s+(?:each|every|a)\b",
                                                                m.string[m.end():]):
        return None
    return Rule(Each(), Select("response"), Count(mark(m["mk"]), "between", a, b))


# ---- "No word may contain a double letter": no word has one ---------------------------------------------------
@reader("no_double_letters", r"\bno\s+words?\s+(?:may|can|should|must|will)?\s*(?:contains?|has|have|includes?|"
        r"uses?)\s+"
        r"(?:a|any)\s+double(?:d)?\s+letters?\b")
def _no_double_letters(m):
    return Rule(Quant("none"), Select("word"), Filter("double_letter"))
