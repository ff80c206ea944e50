"""Readers of shapes over the run of units: acrostics and the alphabet down the side, refrains (the same line in
every stanza), lengths compared across units ("no two sentences the same length", "the last paragraph the
shortest", "within 10 words of each other"), something put in a named unit ("a percentage in the first sentence"),
units that open or close on a form (a time, an emoji, a digit), and limits said under each heading."""
from __future__ import annotations

import re

from irg.engine.compose.across import Across, Acrostic
from irg.engine.compose.clause import LIMIT, ORD, ORDS, SUBJECT_UNIT, _limit, counted, subject
from irg.engine.compose.contents import FORM_QUALIFIED
from irg.engine.compose.filters import Filter, opening
from irg.engine.compose.program import Each, Quant, Rule, Select
from irg.engine.compose.measures import Count
from irg.engine.compose.pairs import Compare
from irg.engine.compose.vocab import (NTH, SHALL, MARK, QUALIFIED, REL, inclusive, mark, reader, topic_before,
                                      vacuous)

MODAL = SHALL
EACH = r"(?:each|every|all(?:\s+the)?|all\s+of\s+the|the)"
STANZA = r"(?P<p>stanzas?|verses?|paragraphs?)"


# ---- the alphabet down the side ---------------------------------------------------------------------------------
@reader("acrostic", r"\b(?P<double>double\s+)?acrostic(?:\s+poem)?\s+(?:on|for|of|about|spelling(?:\s+out)?|using|"
        r"where\s+the\s+first\s+letters\s+spell(?:\s+out)?)\s+(?:the\s+(?:word|name)\s+|my\s+name,?\s+)?"
        r"['\"‘“]?(?P<w>[A-Z]{2,26}|(?<=['\"‘“])[A-Za-z]{2,26}(?=['\"’”]))\b['\"’”]?|"
        r"\b(?:the\s+)?first\s+letters?\s+of\s+(?:the|each|every|all\s+the)\s+(?P<u>lines|paragraphs|stanzas|senten"
        r"ces)\s+"
        + MODAL + r"spell(?:\s+out)?\s+(?:the\s+(?:word|name)\s+)?['\"‘“]?(?P<w2>[A-Za-z]{2,26})\b['\"’”]?")
def _acrostic(m):
    if m["double"] or topic_before(m.string, m.start()):
        return None  # first and last letters both: not this program; or an acrostic talked about, not asked for
    word = m["w"] or m["w2"]
    quoted = re.search(r"['\"‘“]$", m.string[:m.start("w" if m["w"] else "w2")])
    if m["w"] and not (word.isupper() or quoted):
        return None  # "an acrostic about friendship": a topic, not the word down the side
    if m["w2"] and not (word.isupper() or re.search(r"\b(?:word|name)\s+['\"‘“]?$", m.string[:m.start("w2")])):
        return None  # "the first letters of the lines spell something": which word?
    return Acrostic(word.upper(), subject(m["u"]) if m["u"] else "line")


@reader("abecedarian", r"\ban?\s+abecedarian(?:\s+poem)?\b|\b(?:start|begin|open)\s+(?:each|every)\s+"
        r"(?P<u>line|sentence|stanza|paragraph|bullet point|bullet|word)\s+with\s+the\s+next\s+letter\s+of\s+the\s+"
        r"alphabet(?:,?\s+(?:beginning|starting)\s+(?:at|with|from)\s+(?:the\s+letter\s+)?['\"‘“]?a\b['\"’”]?)?")
def _abecedarian(m):
    if topic_before(m.string, m.start()) or re.match(r"\s*,?\s*(?:starting|beginning|up|until|through|to|from|"
                                                     r"ending|and\s+end)\b", m.string[m.end():], re.I):
        return None  # "..., starting from M": another run of letters; or an abecedarian talked about
    return Acrostic("ABCDEFGHIJKLMNOPQRSTUVWXYZ") if m["u"] is None else Across(subject(m["u"]), "abecedarian")


# ---- refrains: the same line in every stanza ---------------------------------------------------------------------
QLINE = r"['\"‘“](?P<q>[^'\"’”\n]{2,80})['\"’”]"


SAME_LINE = r"the\s+same\s+(?:refrain\s+line|refrain|line)"  # "the same refrain": a refrain is a line


@reader("refrain_same", r"(?:\buse\s+a\s+refrain\s*[:,;]\s*)?\b(?:" + EACH + r"\s+" + STANZA + r"\s+" + MODAL
        + r"(?P<v>open|opens|start|starts|begin|begins|end|ends|close|closes|finish|finishes)\s+(?:with|on)\s+"
        + SAME_LINE + r"|(?P<v2>open|start|begin|end|close|finish)\s+(?:each|every|all(?:\s+the)?)\s+"
        + STANZA.replace("?P<p>", "?P<p3>") + r"\s+(?:with|on)\s+" + SAME_LINE + r"|the\s+(?P<nth>last|final|"
        r"closing|first|opening)\s+line\s+of\s+(?:each|every|all(?:\s+the)?)\s+" + STANZA.replace("?P<p>", "?P<p2>")
        + r"\s+(?:is|are|" + MODAL + r"be)\s+(?:identical|the\s+same))\b")
def _refrain_same(m):
    first = (m["v"] or m["v2"] or m["nth"]).lower().startswith(("open", "start", "begin", "first"))
    return Across("paragraph", "same_first_line" if first else "same_last_line")


@reader("refrain_line", r"\b(?:(?:each|every)\s+" + STANZA + r"\s+" + MODAL + r"(?P<v>open|opens|start|starts|begin|"
        r"begins|end|ends|close|closes|finish|finishes)\s+(?:with|on)\s+the\s+(?:line|refrain)\s+" + QLINE
        + r"|(?:use|repeat)\s+the\s+(?:refrain|line)\s+" + QLINE.replace("?P<q>", "?P<q2>") + r"\s+as\s+the\s+"
        r"(?P<nth>last|final|closing|first|opening)\s+line\s+of\s+(?:each|every)\s+"
        + STANZA.replace("?P<p>", "?P<p2>") + r")")
def _refrain_line(m):
    first = (m["v"] or m["nth"]).lower().startswith(("open", "start", "begin", "first"))
    return Rule(Each(), Select("line", 1 if first else -1, Select("paragraph")), Filter("is", m["q"] or m["q2"]))


@reader("bookended", r"\b(?:each|every)\s+" + STANZA + r"\s+" + MODAL + r"(?:repeat|repeats)\s+its\s+(?:own\s+)?"
        r"first\s+line\s+(?:as|at)\s+its\s+(?:last|final|closing)\s+line\b|\b(?:each|every)\s+" + STANZA.replace(
            "?P<p>", "?P<p2>") + r"\s+" + MODAL + r"(?:end|ends|close|closes)\s+(?:with|on)\s+its\s+(?:own\s+)?"
        r"(?:first|opening)\s+line\b")
def _bookended(m):
    return Rule(Each(), Select("paragraph"), Filter("repeats_first_line"))


# ---- lengths compared across units ------------------------------------------------------------------------------
LEN = r"(?P<v>words|sentences|lines|characters|letters|syllables|bullets|bullet points|bullet items|paragraphs)"


@reader("count_across", r"\b(?:(?P<each>each|every)\s+(?P<u>" + SUBJECT_UNIT + r")\s+" + MODAL
        + r"(?:have|has|contain|contains|use|uses|be)\s+a\s+different\s+(?:number\s+of\s+" + LEN + r"|length)|"
        r"no\s+(?:two|2)\s+(?P<c>consecutive\s+|adjacent\s+|successive\s+)?(?P<u2>" + SUBJECT_UNIT + r")\s+"
        r"(?P<r>in\s+a\s+row\s+|next\s+to\s+each\s+other\s+)?(?:(?:may|can|should|must|will)\s+)?"
        r"(?:have|has|be)\s+(?:of\s+)?(?:the\s+same\s+(?:number\s+of\s+" + LEN.replace("?P<v>", "?P<v2>")
        + r"|length|word count)|(?:an?\s+)?(?:equal|identical)\s+(?:length|word count))|"
        r"(?:each|every|all(?:\s+the)?)\s+(?P<u3>" + SUBJECT_UNIT + r")\s+" + MODAL + r"(?:have|has)\s+the\s+"
        r"same\s+number\s+of\s+" + LEN.replace("?P<v>", "?P<v3>") + r")\b")
def _count_across(m):
    u = subject(m["u"] or m["u2"] or m["u3"])
    v = counted(m["v"] or m["v2"] or m["v3"] or "words")
    if vacuous(u, v) and not (u in ("paragraph",) and v == "line"):
        return None
    if m["u"] and not m["u"].lower().endswith("s") and m["each"] or m["u2"] or m["u3"]:
        if m["u3"]:
            return Across(u, "same_count", of=v)
        return Across(u, "consecutive_distinct_count" if (m["c"] or m["r"]) else "distinct_count", of=v)
    return None


# "make the final sentence the shortest one", "let the last paragraph be the shortest", "the first line should be
# the longest", "the second bullet should be the longest one", "make sure the middle paragraph is the longest":
# lengths in words
EXTREME_AT = r"(?P<nth>last|final|closing|first|opening|second|third|fourth|fifth|sixth|middle|\d+(?:st|nd|rd|th))"
@reader("extreme", r"\b(?:(?:make|let)\s+the\s+" + EXTREME_AT + r"\s+(?P<u>sentence|paragraph|"
        r"line|stanza|bullet point|bullet)\s+(?:be\s+)?|the\s+" + EXTREME_AT.replace("nth", "nth2") + r"\s+"
        r"(?P<u2>sentence|paragraph|line|stanza|bullet point|bullet)(?:\s+of\s+the\s+(?:poem|piece|text|response|"
        r"list|song|story|essay|email))?\s+(?:" + MODAL + r"be|is)\s+)"
        r"the\s+(?P<x>shortest|longest)(?:\s+(?:one|1))?(?:\s+(?:in|of)\s+the\s+(?:piece|poem|response|text|list|an"
        r"swer))?\b")
def _extreme(m):
    u = subject(m["u"] or m["u2"])
    nth, x = (m["nth"] or m["nth2"]).lower(), "fewest" if m["x"].lower() == "shortest" else "most"
    if nth == "middle":
        return Across(u, f"middle_{x}", of="word")
    at = ORDS.get(nth) or int(re.match(r"\d+", nth).group(0))
    if at in (1, -1):
        return Across(u, f"{'first' if at == 1 else 'last'}_{x}", of="word")
    return Across(u, f"nth_{x}", of="word", n=at)


# "all bullets about the same length, give or take two words", "keep the paragraphs roughly even: within 10 words of
# each other", "every bullet within three words of the same length as the others"
@reader("spread", r"\b(?:keep\s+)?(?:(?:all|each|every)(?:\s+the)?\s+|the\s+)(?P<u>bullets?|bullet points?|"
        r"paragraphs?|sentences?|lines?|stanzas?)\s+" + MODAL + r"(?:be\s+)?(?:(?:about|roughly|all|kept|nearly)\s+)*"
        r"(?:(?:the\s+same\s+length|even|balanced)\s*[:,]?\s*)?(?:within|give\s+or\s+take|plus\s+or\s+minus)\s+"
        r"(?:(?P<n>\d+)|(?P<one>an?))\s+(?P<v>words?|sentences?|lines?|characters?)(?:\s+(?:of\s+each\s+other|of\s+"
        r"one\s+another|"
        r"of\s+the\s+same\s+length\s+as\s+the\s+others))?")
def _spread(m):
    u, v = subject(m["u"]), counted(m["v"])
    if vacuous(u, v) or (not m["u"].lower().endswith("s") and not re.match(r"(?:each|every)", m.group(0), re.I)):
        return None
    return Across(u, "spread", of=v, n=1 if m["one"] else int(m["n"]))


# ---- something put in a named unit: "put a percentage in the very first sentence", "mention the date in the opening
# line", "put a number in the headline" -----------------------------------------------------------------------------
PUT = {"number": "has_number", "figure": "has_number", "numeral": "has_digit", "digit": "has_digit",
       "price": "has_price", "percentage": "has_percentage", "date": "has_date", "time": "has_time",
       "emoji": "has_emoji", "year": "has_year"}


@reader("put_in", r"\b(?:put|include|mention|add|place|state|give)\s+(?P<det>a|an|at least 1|1|the)\s+"
        r"(?:short\s+|direct\s+)?(?P<x>quote|quotation|number|figure|numeral|digit|price|percentage|date|time|"
        r"emoji|year"
        r")\s+(?:in|into|inside)\s+(?:the\s+"
        r"(?:very\s+)?" + ORD + r"\s+(?P<u>sentence|line|paragraph|bullet point|bullet|stanza)|(?P<each>each|every)\s+"
        r"(?P<u2>sentence|line|paragraph|bullet point|bullet|stanza)|the\s+(?P<t>title|headline|subject line))\b")
def _put_in(m):
    x = m["x"].lower()
    if m["det"].lower() == "the" and x in ("number", "figure", "numeral", "digit", "emoji"):
        return None  # "put the number in the first line": which number?
    if m["t"]:
        sel = Select(subject(m["t"]))
    elif m["u2"]:
        sel = Select(subject(m["u2"]))
    else:
        sel = Select(subject(m["u"]), ORDS.get(m["nth"].lower()) or int(re.match(r"\d+", m["nth"]).group(0)))
    if FORM_QUALIFIED.match(m.string, m.end()) or re.match(r"\s*,?\s*(?:and|but)\s+not\b|\s*,?\s*not\b",
                                                            m.string[m.end():]):
        return None  # "... in the last sentence, not earlier": more than this reads
    if x in ("quote", "quotation"):
        return Rule(Each(), sel, Count("quoted span", "at_least", 1)) if m["det"].lower() != "the" else None
    return Rule(Each(), sel, Filter(PUT[x]))


# ---- a unit opens or closes on a form: "start each line with a time", "never start a sentence with a numeral" ------
FORM = r"(?P<f>digit|numeral|number|emoji|time|timestamp|date|price|percentage)"


@reader("open_on_form", r"\b(?:(?P<neg>never|don't|do not|avoid)\s+)?(?P<v>start|begin|open|kick off|end|finish|close)"
        r"(?:ing)?\s+(?P<det>each|every|all|all the|your|a|any)\s+(?P<u>" + SUBJECT_UNIT + r")\s+with\s+(?:an?\s+)?"
        + FORM + r"\b")
def _open_on_form(m):
    if FORM_QUALIFIED.match(m.string, m.end()):
        return None  # "start each line with a time in HH:MM format": narrower than "a time"
    u, det = subject(m["u"]), m["det"].lower()
    if u in ("word", "title", "subject line") or (det in ("a", "any")) != bool(m["neg"]):
        return None  # "start a line with a time": which line? "don't start each line with": not one reading
    f = {"numeral": "digit", "timestamp": "time"}.get(m["f"].lower(), m["f"].lower())
    test = Filter(("starts_" if m["v"].lower() in ("start", "begin", "open", "kick off") else "ends_") + f)
    return Rule(Quant("none") if m["neg"] else Each(), Select(u), test)


# ---- under each heading: "under each heading, write no more than two sentences" ----------------------------------
@reader("under_heading", r"\bunder\s+(?:each|every)\s+(?:heading|header|subheading)\s*,?\s+(?:write|use|put|"
        r"include|have|keep\s+it\s+to|give)\s+" + LIMIT)
def _under_heading(m):
    test = _limit(m, False)
    if test is None or m["oe"] or QUALIFIED.match(m.string, m.end()) or test.unit in ("character", "letter"):
        return None
    return Rule(Each(), Select("section"), test)


# ---- a unit's own first or last part: "open each paragraph with a one-word sentence", "end each sentence on a word
# of one syllable", "capitalize every word in each bullet", "lowercase the first word of every line" -------------
@reader("opens_with_part", r"\b(?P<v>start|begin|open|end|close|finish)\s+(?:each|every)\s+(?P<u>paragraph|stanza|"
        r"section|bullet point|bullet|sentence|line)\s+(?:with|on)\s+an?\s+(?:(?P<n>\d+)[- ](?P<c>word|sentence|line)"
        r"\s+(?P<x>sentence|line)|word\s+of\s+(?P<k>\d+)\s+(?P<s>syllables?|letters?)(?:\s+or\s+(?P<t>more|fewer|le"
        r"ss))?)"
        r"\b")
def _opens_with_part(m):
    u, nth = subject(m["u"]), 1 if m["v"].lower() in ("start", "begin", "open") else -1
    if m["x"]:
        x, c = subject(m["x"]), counted(m["c"])
        if vacuous(u, x) or vacuous(x, c):
            return None
        return Rule(Each(), Select(x, nth, Select(u)), Count(c, "exactly", int(m["n"])))
    rel = {"more": "at_least"}.get((m["t"] or "").lower(), "at_most" if m["t"] else "exactly")
    return Rule(Each(), Select("word", nth, Select(u)), Count(counted(m["s"]), rel, int(m["k"])))


@reader("zero_marks", r"(?:^|[,;:.!?]\s*)(?:use\s+)?(?:zero|0)\s+" + MARK)
def _zero_marks(m):
    what = mark(m["mk"])
    return None if what in ("digit", "hashtag") else Rule(Each(), Select("response"), Count(what, "exactly", 0))


# ---- more of the same shapes said otherwise ----------------------------------------------------------------------
@reader("refused_openers", r"\b(?:avoid|never|don't|do not)\s+(?:start|begin|open)(?:ing)?\s+(?:any\s+|your\s+|a\s+)?"
        r"(?P<u>sentences?|lines?|paragraphs?|bullets?|bullet points?)\s+with\s+(?:the\s+words?\s+)?"
        r"['\"‘“](?P<a>[^'\"’”]{1,30})['\"’”](?:\s*,?\s+or\s+(?:with\s+)?['\"‘“](?P<b>[^'\"’”]{1,30})['\"’”])?")
def _refused_openers(m):
    words = (m["a"].strip(),) + ((m["b"].strip(),) if m["b"] else ())
    test = Filter("starts_with_any", words) if len(words) > 1 else \
        opening(words[0], as_word=bool(re.search(r"\bwords?\s", m.group(0), re.I)))
    return Rule(Quant("none"), Select(subject(m["u"])), test) if test else None


@reader("make_it", r"\bmake\s+(?:the\s+(?:(?P<one>title|headline)|(?:very\s+)?" + ORD + r"\s+(?P<u>sentence|line|"
        r"paragraph|bullet point|bullet))|(?:each|every)\s+(?P<u3>sentence|line|paragraph|bullet point|bullet|word))\s+"
        r"an?\s+(?P<x>palindrome|question)\b|\b(?:end|close|finish)\s+with\s+an?\s+(?P<u2>sentence|line)\s+that\s+is\s+"
        r"an?\s+(?P<x2>palindrome|question)\b")
def _make_it(m):
    if m["one"]:
        sel = Select(subject(m["one"]))
    elif m["u"]:
        sel = Select(subject(m["u"]), ORDS.get(m["nth"].lower()) or int(re.match(r"\d+", m["nth"]).group(0)))
    elif m["u3"]:
        if subject(m["u3"]) == "word" and m["x"].lower() == "question":
            return None
        sel = Select(subject(m["u3"]))
    else:
        sel = Select(subject(m["u2"]), -1)
    x = (m["x"] or m["x2"]).lower()
    return Rule(Each(), sel, Filter("palindrome") if x == "palindrome" else Filter("ends_with", "?"))


@reader("reads_backwards", r"\b(?:each|every)\s+(?P<u>line|sentence|word)\s+" + MODAL + r"reads?\s+the\s+same\s+"
        r"(?:backwards?\s+(?:as|and)\s+forwards?|forwards?\s+(?:as|and)\s+backwards?)\b")
def _reads_backwards(m):
    return Rule(Each(), Select(subject(m["u"])), Filter("palindrome"))


PUT_COUNT = {"contractions": Filter("contraction"), "questions": Filter("ends_with", "?")}


@reader("n_in_each", r"\b(?:use|include|have|put|add)\s+(?:" + REL + r"\s+)?(?P<n>\d+)\s+(?P<x>contractions|questions|"
        r"quotes|quotations)\s+(?:in|per)\s+(?:each|every)\s+(?P<u>paragraph|stanza|bullet point|bullet)\b")
def _n_in_each(m):
    rel, n = inclusive(m["rel"], int(m["n"])) if m["rel"] else ("exactly", int(m["n"]))
    x = m["x"].lower()
    if x in ("quotes", "quotations"):
        test = Count("quoted span", rel, n)
    else:
        test = Count("word" if x == "contractions" else "sentence", rel, n, where=PUT_COUNT[x])
    return Rule(Each(), Select(subject(m["u"])), test)


@reader("heading_limit", r"\beach\s+section\s+(?:needs|should\s+have|must\s+have|has)\s+(?:its\s+own\s+|a\s+)heading\s+"
        r"(?:of\s+)?" + LIMIT)
def _heading_limit(m):
    test = _limit(m, False)
    if test is None or test.unit not in ("word", "character"):
        return None
    return Rule(Each(), Select("response"), Count("heading", "at_least", 1)), Rule(Each(), Select("heading"), test)


@reader("heading_every", r"\badd\s+a\s+(?:sub)?heading\s+(?:at\s+least\s+)?every\s+(?P<n>\d+)\s+words\b")
def _heading_every(m):
    return Rule(Each(), Select("section"), Count("word", "at_most", int(m["n"])))


# ---- still more wordings: stanzas the same length, a capital refused, marks per unit, the last line echoing the first
@reader("same_length", r"\b(?:(?:keep|make)\s+)?(?:all\s+(?:the\s+|your\s+)?|the\s+|each\s+of\s+the\s+)(?P<u>stanza"
        r"s|verses|"
        r"paragraphs|sentences|lines|bullets|bullet points)\s+(?:(?:should|must)\s+(?:all\s+)?be\s+|are\s+)?(?:all\s+)?"
        r"(?:the\s+same|equal\s+in)\s+length\b")
def _same_length(m):
    u = subject(m["u"])  # the length of a stanza is its lines; of a paragraph, sentence, line or item, its words
    return Across(u, "same_count", of="line" if m["u"].lower().startswith(("stanza", "verse")) else "word")


@reader("no_capital_start", r"\b(?:don't|do not|never)\s+capitali[sz]e\s+the\s+(?:start|beginning|first\s+(?:word|"
        r"letter))\s+of\s+(?:each|every|any)\s+(?P<u>line|sentence|bullet point|bullet|paragraph)\b")
def _no_capital_start(m):
    return Rule(Each(), Select(subject(m["u"])), Filter("starts_lowercase"))


@reader("marks_per_unit", r"\b(?:use|include|have|put)\s+(?:" + REL + r"\s+)?(?P<n>\d+)\s+" + MARK + r"\s+(?:per|in\s+"
        r"each|in\s+every|for\s+each)\s+(?P<u>sentence|line|paragraph|bullet point|bullet|stanza)\b")
def _marks_per_unit(m):
    what = mark(m["mk"])
    if what in ("digit", "hashtag"):
        return None
    rel, n = inclusive(m["rel"], int(m["n"])) if m["rel"] else ("exactly", int(m["n"]))
    return Rule(Each(), Select(subject(m["u"])), Count(what, rel, n))


@reader("echo_first", r"\bthe\s+(?:last|final|closing)\s+line\s+" + MODAL + r"(?:echo|echoes|repeat|repeats|be\s+the\s+"
        r"same\s+as|match|matches)\s+the\s+(?:first|opening)(?:\s+line)?(?:\s*,?\s+word\s+for\s+word)?\b")
def _echo_first(m):
    return Rule(Each(), Select("response"), Filter("repeats_first_line"))


# "a mix of sentence types: at least one question, one exclamation and one statement": three counts
@reader("sentence_mix", r"\b(?:at\s+least\s+)?(?:1|a)\s+question\s*,\s*(?:1|an?)\s+exclamation\s*,?\s+and\s+(?:1|a)\s+"
        r"statement\b")
def _sentence_mix(m):
    return tuple(Rule(Quant("at_least", 1), Select("sentence"), Filter("ends_with", mark)) for mark in "?!.")


# ---- two units compared: "the first paragraph shorter than the second", "the conclusion shorter than the intro" ----
PLACES = {**NTH, "opening": 1, "closing": -1}
PART = r"(?P<{n}>first|second|third|fourth|fifth|sixth|last|final|opening|closing|\d+(?:st|nd|rd|th))"
COMPARED = r"(?P<u>paragraph|sentence|line|stanza|verse|bullet point|bullet)"


def _at(word: str) -> int:
    w = word.lower()
    return PLACES.get(w) or int(re.match(r"\d+", w).group(0))


@reader("compare_two", r"\b(?:make\s+)?(?:the|your)\s+" + PART.format(n="a") + r"\s+" + COMPARED + r"\s+" + MODAL
        + r"(?:be\s+|is\s+)?(?:a\s+bit\s+|slightly\s+|much\s+)?(?P<x>shorter|longer|bigger|smaller)\s+than\s+"
          r"(?:(?:the|your)\s+)?"
        + PART.format(n="b") + r"(?:\s+(?:one|1|" + COMPARED.replace("?P<u>", "?P<u2>") + r"))?(?![\w-])")
def _compare_two(m):
    if m["u2"] and m["u2"].lower() != m["u"].lower():
        return None  # "the first line shorter than the second paragraph": two kinds of unit
    u = {"stanza": "paragraph", "verse": "paragraph", "bullet": "bullet item", "bullet point": "bullet item"}.get(
        m["u"].lower(), m["u"].lower())
    a, b = _at(m["a"]), _at(m["b"])
    if a == b:
        return None
    return Compare(u, a, b, "fewer" if m["x"].lower() in ("shorter", "smaller") else "more")


@reader("intro_and_conclusion", r"\b(?:the|your)\s+(?P<a>introduction|intro|conclusion)(?:\s+paragraph)?\s+" + MODAL
        + r"(?:be\s+|is\s+)?(?:a\s+bit\s+|slightly\s+|much\s+)?(?P<x>shorter|longer)\s+than\s+(?:the|your)\s+"
        r"(?P<b>introduction|intro|conclusion)(?:\s+paragraph)?\b")
def _intro_and_conclusion(m):
    at = {"introduction": 1, "intro": 1, "conclusion": -1}
    a, b = at[m["a"].lower()], at[m["b"].lower()]
    return None if a == b else Compare("paragraph", a, b, "fewer" if m["x"].lower() == "shorter" else "more")
