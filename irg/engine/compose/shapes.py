"""Readers of shapes over the run of units: acrostics and the alphabet down the side, refrains (the same line in
every stanza), lengths compared across units ("no two sentences the same length", "the last paragraph the
shortest", "within 10 words of each other"), something put in a named unit ("a percentage in the first sentence"),
units that open or close on a form (a time, an emoji, a digit), and limits said under each heading."""
from __future__ import annotations

import re

from irg.engine.compose.across import Across, Acrostic
from irg.engine.compose.clause import FORM_QUALIFIED, LIMIT, ORD, ORDS, SUBJECT_UNIT, _limit, counted, subject
from irg.engine.compose.filters import Filter
from irg.engine.compose.program import Each, Quant, Rule, Select
from irg.engine.compose.measures import Count
from irg.engine.compose.vocab import GAP_REFUSES, MARK, QUALIFIED, REL, RELS, inclusive, mark, reader, vacuous

MODAL = r"(?:(?:must|should|has to|have to|needs? to|will|shall)\s+)?"
EACH = r"(?:each|every|all(?:\s+the)?|all\s+of\s+the|the)"
STANZA = r"(?P<p>stanzas?|verses?|paragraphs?)"


# ---- the alphabet down the side ---------------------------------------------------------------------------------
@reader("acrostic", r"\b(?P<double>double\s+)?acrostic(?:\s+poem)?\s+(?:on|for|of|about|spelling(?:\s+out)?|using|"
        r"where\s+the\s+first\s+letters\s+spell(?:\s+out)?)\s+(?:the\s+(?:word|name)\s+|my\s+name,?\s+)?"
        r"['\"‘“]?(?P<w>[A-Z]{2,26}|(?<=['\"‘“])[A-Za-z]{2,26}(?=['\"’”]))\b['\"’”]?|"
        r"\b(?:the\s+)?first\s+letters?\s+of\s+(?:the|each|every|all\s+the)\s+(?P<u>lines|paragraphs|stanzas)\s+"
        + MODAL + r"spell(?:\s+out)?\s+(?:the\s+(?:word|name)\s+)?['\"‘“]?(?P<w2>[A-Za-z]{2,26})\b['\"’”]?")
def _acrostic(m):
    if m["double"]:
        return None  # first and last letters both: not this program
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
    return Acrostic("ABCDEFGHIJKLMNOPQRSTUVWXYZ") if m["u"] is None else Across(subject(m["u"]), "abecedarian")


# ---- refrains: the same line in every stanza ---------------------------------------------------------------------
QLINE = r"['\"‘“](?P<q>[^'\"’”\n]{2,80})['\"’”]"


@reader("refrain_same", r"(?:\buse\s+a\s+refrain\s*[:,;]\s*)?\b(?:" + EACH + r"\s+" + STANZA + r"\s+" + MODAL
        + r"(?P<v>open|opens|start|starts|begin|begins|end|ends|close|closes|finish|finishes)\s+(?:with|on)\s+the\s+same\s+line|the\s+(?P<nth>last|final|"
        r"closing|first|opening)\s+line\s+of\s+(?:each|every|all(?:\s+the)?)\s+" + STANZA.replace("?P<p>", "?P<p2>")
        + r"\s+(?:is|are|" + MODAL + r"be)\s+(?:identical|the\s+same))\b")
def _refrain_same(m):
    first = (m["v"] or m["nth"]).lower().startswith(("open", "start", "begin", "first"))
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
LEN = r"(?P<v>words|sentences|lines|characters|letters|syllables)"


@reader("count_across", r"\b(?:(?P<each>each|every)\s+(?P<u>" + SUBJECT_UNIT + r")\s+" + MODAL
        + r"(?:have|has|contain|contains|use|uses|be)\s+a\s+different\s+(?:number\s+of\s+" + LEN + r"|length)|"
        r"no\s+(?:two|2)\s+(?P<c>consecutive\s+|adjacent\s+|successive\s+)?(?P<u2>" + SUBJECT_UNIT + r")\s+"
        r"(?P<r>in\s+a\s+row\s+|next\s+to\s+each\s+other\s+)?(?:(?:may|can|should|must|will)\s+)?"
        r"(?:have|has|be)\s+(?:of\s+)?(?:the\s+same\s+(?:number\s+of\s+" + LEN.replace("?P<v>", "?P<v2>") + r"|length|word "
        r"count)|(?:an?\s+)?(?:equal|identical)\s+(?:length|word count))|"
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
# the longest": lengths in words
@reader("extreme", r"\b(?:(?:make|let)\s+the\s+(?P<nth>last|final|closing|first|opening)\s+(?P<u>sentence|paragraph|"
        r"line|stanza|bullet point|bullet)\s+(?:be\s+)?|the\s+(?P<nth2>last|final|closing|first|opening)\s+"
        r"(?P<u2>sentence|paragraph|line|stanza|bullet point|bullet)\s+" + MODAL + r"be\s+)"
        r"the\s+(?P<x>shortest|longest)(?:\s+(?:one|1))?(?:\s+(?:in|of)\s+the\s+(?:piece|poem|response|text|list|answer))?\b")
def _extreme(m):
    u = subject(m["u"] or m["u2"])
    at = "first" if ORDS[(m["nth"] or m["nth2"]).lower()] == 1 else "last"
    return Across(u, f"{at}_{'fewest' if m['x'].lower() == 'shortest' else 'most'}", of="word")


# "all bullets about the same length, give or take two words", "keep the paragraphs roughly even: within 10 words of
# each other", "every bullet within three words of the same length as the others"
@reader("spread", r"\b(?:keep\s+)?(?:(?:all|each|every)(?:\s+the)?\s+|the\s+)(?P<u>bullets?|bullet points?|"
        r"paragraphs?|sentences?|lines?|stanzas?)\s+" + MODAL + r"(?:be\s+)?(?:(?:about|roughly|all|kept|nearly)\s+)*"
        r"(?:(?:the\s+same\s+length|even|balanced)\s*[:,]?\s*)?(?:within|give\s+or\s+take|plus\s+or\s+minus)\s+"
        r"(?P<n>\d+)\s+(?P<v>words|sentences|lines|characters)(?:\s+(?:of\s+each\s+other|of\s+one\s+another|"
        r"of\s+the\s+same\s+length\s+as\s+the\s+others))?")
def _spread(m):
    u, v = subject(m["u"]), counted(m["v"])
    if vacuous(u, v) or (not m["u"].lower().endswith("s") and not re.match(r"(?:each|every)", m.group(0), re.I)):
        return None
    return Across(u, "spread", of=v, n=int(m["n"]))


# ---- something put in a named unit: "put a percentage in the very first sentence", "mention the date in the opening
# line", "put a number in the headline" -----------------------------------------------------------------------------
PUT = {"number": "has_number", "figure": "has_number", "numeral": "has_digit", "digit": "has_digit",
       "price": "has_price", "percentage": "has_percentage", "date": "has_date", "time": "has_time",
       "emoji": "has_emoji"}


@reader("put_in", r"\b(?:put|include|mention|add|place|state|give)\s+(?P<det>a|an|at least 1|1|the)\s+"
        r"(?:short\s+|direct\s+)?(?P<x>quote|quotation|number|figure|numeral|digit|price|percentage|date|time|emoji)\s+(?:in|into|inside)\s+(?:the\s+"
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


# ---- orders: "in reverse alphabetical order", "order the bullets from shortest to longest", "years in order" ------
LISTED = r"(?P<u>sentences|lines|paragraphs|stanzas|bullets|bullet points|list items|items|terms|entries|names|list)"


@reader("alphabet_order", r"\b" + LISTED + r"\b(?P<gap>[^.;:]{0,40}?)\b(?:in|into)\s+(?P<rev>reverse\s+)?"
        r"(?:alphabetical|a\s*[–-]\s*z|a to z)\s+order\b|\b(?P<rev2>reverse\s+)?alphabetical\s+order(?=\s*(?:,\s*"
        r"please)?\s*[.!]?\s*$)|\balphabeti[sz]e\s+(?:the|your|all(?:\s+the)?)\s+(?:\w+\s+)?(?P<u2>terms|entries|"
        r"names|items|list items|bullets|bullet points)\b")
def _alphabet_order(m):
    gap = m["gap"] or ""
    if GAP_REFUSES.search(gap) or re.search(r"\b(?:by|except|first|last|second|each|every|and|or)\b|\d", gap, re.I):
        return None  # "items sorted by surname in ...", "lines 2 and 3 in ...": another key, or only some units
    if gap and not re.fullmatch(r"\s*(?:(?:should|must|will|need to|needs to|have to|has to)\s+)?(?:be|go|appear|"
                                r"are|come)?\s*(?:listed|sorted|arranged|put|ordered|placed|written|given)?\s*", gap):
        return None
    said = (m["u"] or m["u2"] or "items").lower()
    u = subject(said) if said in ("sentences", "lines", "paragraphs", "stanzas", "bullets", "bullet points") \
        else "bullet item"
    return Across(u, "reverse_alphabetical" if (m["rev"] or m["rev2"]) else "alphabetical")


@reader("length_order", r"\b(?:order|sort|arrange|list|put|rank)\s+(?:the|your|all\s+the)\s+(?P<u>bullets|"
        r"bullet points|items|list items|lines|sentences|paragraphs|stanzas)\s+(?:from\s+)?(?:the\s+)?"
        r"(?P<d>shortest\s+to\s+(?:the\s+)?longest|longest\s+to\s+(?:the\s+)?shortest)\b")
def _length_order(m):
    u = "bullet item" if m["u"].lower() == "items" else subject(m["u"])
    return Across(u, "ascending_count" if m["d"].lower().startswith("shortest") else "descending_count", of="word")


@reader("years_in_order", r"\b(?:the\s+)?years\b\s+(?:(?:should|must|need to|have to)\s+)?(?:(?:go|be|"
        r"appear|come|run)\s+)?(?:in\s+chronological\s+order|chronologically|(?:in\s+order\s+)?from\s+(?:the\s+)?"
        r"(?:earliest|oldest)\s+to\s+(?:the\s+)?(?:latest|newest|most\s+recent))\b")
def _years_in_order(m):
    return Across("year", "increasing")


# ---- growing across units: "lines should get longer as the poem goes on", "each paragraph should have more
# sentences than the one before it" ------------------------------------------------------------------------------
@reader("grow_as", r"\b(?P<u>lines|sentences|paragraphs|stanzas|bullets|bullet points)\s+" + MODAL
        + r"(?:get|grow|become)\s+(?P<d>longer|shorter)\s+as\s+the\s+(?:poem|piece|text|list|story|response|song)\s+"
        r"(?:goes|moves|runs)\s+on\b")
def _grow_as(m):
    return Across(subject(m["u"]), "more_words" if m["d"].lower() == "longer" else "fewer_words")


@reader("more_than_before", r"\b(?:each|every)\s+(?P<u>sentence|line|paragraph|stanza|bullet point|bullet)\s+" + MODAL
        + r"(?:have|has|contain|contains|use|uses)\s+(?P<d>more|fewer)\s+(?P<v>sentences|lines|words|syllables|"
        r"characters)\s+than\s+the\s+(?:one|1|sentence|line|paragraph|stanza|bullet)\s+(?:before|above)(?:\s+it)?\b")
def _more_than_before(m):
    u, v = subject(m["u"]), counted(m["v"])
    if vacuous(u, v) and not (u == "paragraph" and v == "line"):
        return None
    if v == "word":
        return Across(u, "more_words" if m["d"].lower() == "more" else "fewer_words")
    return Across(u, "more_count" if m["d"].lower() == "more" else "fewer_count", of=v)


# ---- a unit's own first or last part: "open each paragraph with a one-word sentence", "end each sentence on a word
# of one syllable", "capitalize every word in each bullet", "lowercase the first word of every line" -------------
@reader("opens_with_part", r"\b(?P<v>start|begin|open|end|close|finish)\s+(?:each|every)\s+(?P<u>paragraph|stanza|"
        r"section|bullet point|bullet|sentence|line)\s+(?:with|on)\s+an?\s+(?:(?P<n>\d+)[- ](?P<c>word|sentence|line)"
        r"\s+(?P<x>sentence|line)|word\s+of\s+(?P<k>\d+)\s+(?P<s>syllables?|letters?)(?:\s+or\s+(?P<t>more|fewer|less))?)"
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
        Filter("first_word", words[0]) if re.fullmatch(r"[A-Za-z]+", words[0]) else Filter("starts_with", words[0])
    return Rule(Quant("none"), Select(subject(m["u"])), test)


@reader("make_it", r"\bmake\s+the\s+(?:(?P<one>title|headline)|(?P<nth>first|last|final|opening|closing)\s+"
        r"(?P<u>sentence|line|paragraph))\s+an?\s+(?P<x>palindrome|question)\b|\b(?:end|close|finish)\s+with\s+an?\s+(?P<u2>sentence|"
        r"line)\s+that\s+is\s+an?\s+(?P<x2>palindrome|question)\b")
def _make_it(m):
    if m["one"]:
        sel = Select(subject(m["one"]))
    elif m["u"]:
        sel = Select(subject(m["u"]), 1 if m["nth"].lower() in ("first", "opening") else -1)
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


# ---- averages, runs, how often an opener recurs, numbering, prices in order, headings -----------------------------
@reader("average", r"\b(?:(?:keep|make)\s+the\s+average\s+(?P<u>sentence|paragraph|line|bullet)\s+(?:length\s+)?|the\s+"
        r"average\s+(?P<u3>sentence|paragraph|line|bullet)\s+(?:length\s+)?" + MODAL + r"be\s+|(?P<u2>sentences|"
        r"paragraphs|lines|bullets)\s+" + MODAL + r"average\s+)" + REL + r"\s+(?P<n>\d+)\s+(?P<v>words|sentences|"
        r"syllables|characters)\b")
def _average(m):
    u, v = subject(m["u"] or m["u2"] or m["u3"]), counted(m["v"])
    rel = RELS[m["rel"].lower()]
    if vacuous(u, v) or rel not in ("less_than", "more_than", "at_most", "at_least"):
        return None
    return Across(u, f"mean_{rel}", of=v, n=int(m["n"]))


@reader("anaphora", r"\b(?:start|begin|open)\s+(?:at least\s+)?(?P<n>\d+)\s+(?:consecutive|successive)\s+"
        r"(?P<u>sentences|lines|paragraphs)\s+with\s+the\s+same\s+word\b")
def _anaphora(m):
    return Across(subject(m["u"]), "same_first_word_run", n=int(m["n"])) if int(m["n"]) >= 2 else None


@reader("opener_limit", r"\b(?:(?:don't|do not|never)\s+(?:start|begin|open)\s+more\s+than\s+(?P<n>\d+)\s+(?P<u>"
        r"sentences|lines|paragraphs|bullets|bullet points)\s+with|no\s+more\s+than\s+(?P<n2>\d+)\s+(?P<u2>sentences|"
        r"lines|paragraphs|bullets|bullet points)\s+(?:(?:may|should|can|must)\s+)?(?:start|begin)\s+with)\s+the\s+same\s+"
        r"word\b")
def _opener_limit(m):
    return Across(subject(m["u"] or m["u2"]), "opener_limit", n=int(m["n"] or m["n2"]))


@reader("numbered", r"\bnumber\s+(?:the|your|all\s+the|each\s+of\s+the)\s+(?:\w+\s+)?(?:steps|items|points|bullets|list|"
        r"entries|instructions)\s*(?:,?\s*1\s*,\s*2\s*,\s*3(?:\s*,?\s*(?:and\s+so\s+on|etc\.?|\.\.\.))?|(?:starting|"
        r"beginning)\s+(?:from|at|with)\s+1|consecutively)")
def _numbered(m):
    return Across("list number", "counting")


@reader("price_order", r"\b(?:rank|list|sort|order|arrange|put)\s+(?:them|these|the\s+(?:items|bullets|bullet points|"
        r"list|options|products|dishes))\s+(?:from\s+)?(?:the\s+)?(?:cheapest|least\s+expensive|lowest\s+price)\s+to\s+"
        r"(?:the\s+)?(?:most\s+expensive|priciest|dearest|highest\s+price)\b")
def _price_order(m):
    return Across("bullet item", "cheapest_first")


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
