"""Readers of orders and of counts across the run of units: alphabetical (and reverse), by length, years in order,
prices lowest first, numbered lists, units that grow or shrink, averages, runs of the same opener (anaphora) and how
often one opener recurs."""
from __future__ import annotations

import re

from irg.engine.compose.across import Across
from irg.engine.compose.clause import counted, subject
from irg.engine.compose.vocab import SHALL, GAP_REFUSES, REL, RELS, reader, vacuous

MODAL = SHALL



# ---- orders: "in reverse alphabetical order", "order the bullets from shortest to longest", "years in order" ------
LISTED = r"(?P<u>sentences|lines|paragraphs|stanzas|bullets|bullet points|list items|items|terms|entries|names|list)"


@reader("alphabet_order", r"\b" + LISTED + r"\b(?P<gap>[^.;:]{0,40}?)\b(?:in|into)\s+(?P<rev>reverse\s+)?"
        r"(?:alphabetical|a\s*[–-]\s*z|a to z)\s+order\b|(?:^|[.;:!?]\s*)(?:in\s+)?(?P<rev2>reverse\s+)?alphabetica"
        r"l\s+order(?=\s*(?:,\s*"
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
        else "line" if PER_LINE.search(m.string) else "bullet item"  # "the list ..., one word per line": its lines
    return Across(u, "reverse_alphabetical" if (m["rev"] or m["rev2"]) else "alphabetical")


PER_LINE = re.compile(r"\b(?:(?:one|1)\s+(?:[a-z]+\s+)?per\s+line|on\s+(?:its|their)\s+own\s+lines?|"
                      r"on\s+separate\s+lines|each\s+on\s+a\s+(?:new|separate)\s+line)\b", re.I)


@reader("length_order", r"\b(?:order|sort|arrange|list|put|rank)\s+(?:the|your|all\s+the)\s+(?P<u>bullets|"
        r"bullet points|items|list items|lines|sentences|paragraphs|stanzas)\s+(?:from\s+)?(?:the\s+)?"
        r"(?P<d>shortest\s+to\s+(?:the\s+)?longest|longest\s+to\s+(?:the\s+)?shortest)\b"
        r"(?:\s*,?\s+(?:by|in)\s+(?:word\s+count|number\s+of\s+words))?")
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
@reader("grow_as", r"\b(?P<u>lines|sentences|paragraphs|stanzas|bullets|bullet points|sections)\s+" + MODAL
        + r"(?:get|grow|become)\s+(?P<d>longer|shorter)\s+as\s+(?:the\s+(?:poem|piece|text|list|story|response|song)\s+"
        r"(?:goes|moves|runs)\s+on|you\s+go(?:\s+on|\s+along)?|it\s+goes(?:\s+on)?)\b")
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


# "Aim for an average sentence length of 15-20 words", "keep the average sentence between 10 and 15 words": a mean
# held inside a range is two limits on it
@reader("average_between", r"\b(?:(?:aim\s+for|keep|make|target|go\s+for)\s+)?(?:an|the)\s+average\s+(?P<u>sentence|"
        r"paragraph|line|bullet)\s+(?:length\s+)?(?:of\s+|" + MODAL + r"(?:be\s+|stay\s+)|)(?:between\s+)?(?P<n>\d+)"
        r"\s*(?:-|–|to|and)\s*(?P<m>\d+)\s+(?P<v>words|sentences|syllables|characters)\b")
def _average_between(m):
    u, v, lo, hi = subject(m["u"]), counted(m["v"]), int(m["n"]), int(m["m"])
    if vacuous(u, v) or not 0 < lo < hi:
        return None
    return Across(u, "mean_at_least", of=v, n=lo), Across(u, "mean_at_most", of=v, n=hi)


@reader("anaphora", r"\b(?:start|begin|open)\s+(?:at least\s+)?(?P<n>\d+)\s+(?:consecutive|successive)\s+"
        r"(?P<u>sentences|lines|paragraphs)\s+with\s+the\s+same\s+word\b")
def _anaphora(m):
    return Across(subject(m["u"]), "same_first_word_run", n=int(m["n"])) if int(m["n"]) >= 2 else None


@reader("opener_limit", r"\b(?:(?:don't|do not|never)\s+(?:start|begin|open)\s+more\s+than\s+(?P<n>\d+)\s+(?P<u>"
        r"sentences|lines|paragraphs|bullets|bullet points)\s+with|no\s+more\s+than\s+(?P<n2>\d+)\s+(?P<u2>sentences|"
        r"lines|paragraphs|bullets|bullet points)\s+(?:(?:may|should|can|must)\s+)?(?:start|begin)\s+with)\s+the\s+"
        r"same\s+"
        r"word\b")
def _opener_limit(m):
    return Across(subject(m["u"] or m["u2"]), "opener_limit", n=int(m["n"] or m["n2"]))


@reader("numbered", r"\bnumber\s+(?:the|your|all\s+the|each\s+of\s+the)\s+(?:\w+\s+)?(?:steps|items|points|bullets|"
        r"list|"
        r"entries|instructions)\s*(?:,?\s*1\s*,\s*2\s*,\s*3(?:\s*,?\s*(?:and\s+so\s+on|etc\.?|\.\.\.))?|(?:starting|"
        r"beginning)\s+(?:from|at|with)\s+1|consecutively)(?:\s*,?\s*(?:with\s+no|without)\s+gaps)?|"
        r"\bnumbered\s+(?:steps|items|points|lists?)\s+" + MODAL
        + r"(?:count\s+up|run|go)\s+(?:from\s+1|1\s*,\s*2\s*,\s*3)(?:\s+with\s+no\s+gaps|\s+without\s+gaps)?")
def _numbered(m):
    return Across("list number", "counting")


@reader("price_order", r"\b(?:rank|list|sort|order|arrange|put)\s+(?:them|these|the\s+(?:items|bullets|bullet points|"
        r"list|options|products|dishes))\s+(?:from\s+)?(?:the\s+)?(?:cheapest|least\s+expensive|lowest\s+price)\s+to\s+"
        r"(?:the\s+)?(?:most\s+expensive|priciest|dearest|highest\s+price)\b")
def _price_order(m):
    return Across("bullet item", "cheapest_first")


@reader("initials_in_order", r"\b(?:the\s+)?(?P<u>sentences|lines|paragraphs|bullets|bullet points)\s+" + MODAL
        + r"(?:start|begin)\s+with\s+letters\s+in\s+alphabetical\s+order\b|\bthe\s+first\s+letters\s+of\s+the\s+"
        r"(?P<u2>sentences|lines|paragraphs|bullets|bullet points)\s+" + MODAL + r"(?:be|are)\s+in\s+alphabetical\s+"
        r"order\b")
def _initials_in_order(m):
    return Across(subject(m["u"] or m["u2"]), "alphabetical_initials")


@reader("no_rhyming_neighbours", r"\b(?:(?:don't|do not|never)\s+end\s+(?:any\s+)?(?:two|2)\s+(?P<u>lines)\s+in\s+a"
        r"\s+row\s+"
        r"with\s+the\s+same\s+(?:sound|rhyme)|no\s+(?:two|2)\s+(?:consecutive|adjacent|neighbou?ring)\s+(?P<u2>line"
        r"s)\s+"
        r"(?:(?:may|should|can|must)\s+)?rhyme)\b")
def _no_rhyming_neighbours(m):
    return Across("line", "no_rhyming_neighbours")
