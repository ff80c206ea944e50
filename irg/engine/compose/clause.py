"""The general reader: a clause said as a subject and what it must be or have, read part by part.

    subject        each / every / all / any / no + (the first / 3rd / last) + unit (+ of each unit)
    modal          must, should, needs to, has to, will ... ; or refused: can't, must not, may not, never ...
    predicate      be / have / run / stay ... + a limit ("under 12 words", "between 2 and 4 sentences",
                   "15 words or fewer", "a single sentence"); start / end with, contain, be a question ... is read
                   by contents.py, on the same subject

A refused limit is turned round ("can't be more than 8 words" -> "has at most 8 words"); a refused start, end or
content is read as "no unit ..." only where the subject is every unit. Anything else refused, permitted ("can be
over"), or left over is not read (reader.py's guards apply to what this reads too). The imperative shapes ("keep
every sentence to 10 words", "limit paragraphs to 3 sentences", "sentences of 15 words or fewer", "one-sentence
paragraphs", "use exactly 2 colons") and the forms named by one word ("a haiku", "a sonnet", "in quatrains") are
here too.
"""
from __future__ import annotations

import re

from irg.engine.compose.measures import Count
from irg.engine.compose.program import Each, Quant, Rule, Select
# ORD, ORDS, counted and subject live in vocab.py; other readers import them from here too
from irg.engine.compose.vocab import (FORM_UNITS, ORD, ORDS, QUALIFIED, REL, RELS, SHARE, SHARES, counted,  # noqa: F401
                                      inclusive, mark, reader, subject, topic_before, unit, vacuous)
from irg.engine.compose.units import UNITS

SUBJECT_UNIT = (r"(?:" + FORM_UNITS + r"|bullet[- ]?points?|points?|bullet items?|bullets?|list items?|"
                r"sentences?|paragraphs?|paras?|stanzas?|"
                r"verses?|lines?|quotes?|quotations?|quoted passages?|words?|titles?|headlines?|"
                r"subject lines?|headings?|subheadings?|sections?|answers?)")
COUNTED = (r"(?P<v>words?|sentences?|lines?|characters?|chars?|letters?|syllables?|commas?|semicolons?|colons?|"
           r"exclamation (?:marks?|points?)|question marks?|em[- ]?dash(?:es)?|bullet[- ]?points?|bullet items?|"
           r"bullets?|paragraphs?)")
LENGTHS = r"words?|sentences?|lines?|characters?|letters?|syllables?|bullet points?|bullets?|paragraphs?"
# "at least 3 words and no more than 8", "no less than 2 sentences and no more than 5": two limits, one span
BETWEEN = (r"(?:at least|no fewer than|no less than|not less than|a minimum of|min(?:imum)?)\s+(?P<lo>\d+)"
           r"(?:\s+(?P<v0>" + LENGTHS + r"))?\s*,?\s+(?:and|but)\s+(?:at most|no more than|not more than|"
           r"a maximum of|max(?:imum)?|up to)\s+(?P<hi>\d+)(?:\s+(?P<v1>" + LENGTHS + r"))?")
# the words a subject's clause starts after: a subject in the middle of a phrase ("the tooltip line", "body
# paragraphs", "the average sentence") is another unit, or a measure the language does not have
START = r"(?:^\s*|[,;:(.!?—–]\s*|\b(?:and|but|so|also|please|pls|then|that|where|in which|such that)\s+)"
POSITIVE = r"(?:must|should|shall|will|needs? to|has to|have to|ought to|is to|are to|are|is)"
REFUSED = (r"(?:must not|mustn't|should not|shouldn't|shall not|cannot|can not|can't|may not|will not|won't|"
           r"(?:must|should|shall|will|can|may)\s+never|never|do not|don't|does not|doesn't|are not allowed to|"
           r"is not allowed to|aren't allowed to|isn't allowed to)")
PERMITTED = r"(?:can|may)"
VERB = (r"(?:(?:be|is|are)\s+made\s+(?:up\s+)?of|(?:be|is|are)\s+(?:short|brief|concise)\s*,|"
        r"be|have|has|contain|contains|"
        r"run|runs|go|goes|stay|stays|get|gets|use|uses|fit in|fits in|fit within|fits within|keep to|stick to|need|"
        r"needs|hold|holds|consist of|consists of|comprise|comprises|(?P<prep>of|with))")
OVER = (r"(?:exceed|exceeds|go past|goes past|run past|runs past|run over|runs over|go over|goes over|run longer than|"
        r"run beyond|runs beyond|go beyond|goes beyond)")
LIMIT = (r"(?:" + BETWEEN + r"|(?:(?:a\s+)?" + REL + r"(?:\s+of)?\s+(?P<n>\d+)|between\s+(?P<a>\d+)\s+and\s+"
         r"(?P<b>\d+)|(?P<c>\d+)\s*(?:to|–|-|or)\s*(?P<d>\d+)|an?\s+(?P<oe>odd|even)\s+number\s+of|"
         r"(?P<single>a single|only one|just one|one|a)\b|(?P<bare>\d+))\s+"
         + COUNTED + r")(?:\s+(?:long|in length))?(?P<tail>\s+or\s+(?P<t>fewer|less|under|shorter|more|longer|over)"
         r"|\s*,?\s+(?P<t2>max|maximum|tops|at most|at the most|minimum|at least)\b|"
         r"\s*,?\s+(?P<t3>no more,? no less|no more and no less|no less,? no more|no fewer,? no more|"
         r"no more,? no fewer)\b|\s*,?\s+(?P<t4>(?:and\s+|but\s+)?(?:never|no|not)\s+more)\b(?!\s+than))?")
FLIP = {"more_than": ("at_most", 0), "less_than": ("at_least", 0), "at_least": ("at_most", -1),
        "at_most": ("at_least", 1)}  # a refused relation, as the one that holds (n + the offset)
ALWAYS_ONE = ("sentence", "line", "paragraph", "word")  # a unit has at least one of these: "at most 1" = "exactly 1"


def _limit(m: re.Match, refused: bool, over: bool = False) -> Count | None:
    """The Count a matched LIMIT states, turned round if refused; None if it cannot be read one way."""
    if m["lo"]:  # "at least 3 words and no more than 8"
        if refused or over or m["tail"] or (m["v0"] and m["v1"] and counted(m["v0"]) != counted(m["v1"])):
            return None
        lo, hi = int(m["lo"]), int(m["hi"])
        return Count(counted(m["v1"] or m["v0"]), "between", lo, hi) if lo < hi and (m["v0"] or m["v1"]) else None
    v = counted(m["v"])
    if m["t3"]:  # "seven syllables, no more no less"
        return None if refused or over or not m["bare"] else Count(v, "exactly", int(m["bare"]))
    if m["oe"]:
        return None if refused or over or m["t"] or m["t2"] else Count(v, m["oe"].lower(), 0)
    if m["a"] or m["c"]:
        lo, hi = int(m["a"] or m["c"]), int(m["b"] or m["d"])
        return None if refused or over or lo >= hi else Count(v, "between", lo, hi)
    # "1-3 sentences, never more", "at most 20 words, no more": the tail repeats an upper bound; after any other
    # limit ("2 sentences, no more": exactly 2 or up to 2?) it is read neither way
    if m["t4"] and (refused or over or not m["rel"] or inclusive(m["rel"], int(m["n"]))[0] != "at_most"):
        return None
    if m["single"]:
        if m["single"].lower() == "a" and m["v"].lower().endswith("s"):
            return None  # "a words"
        if v not in ("word", "sentence", "line", "character", "letter", "syllable") and m["single"].lower() == "a":
            return None  # "have a comma": at least one
        rel, n = "exactly", 1
    elif m["rel"]:
        rel, n = inclusive(m["rel"], int(m["n"]))
    else:  # "fit in 30 characters" is a limit, "be 2 sentences" a number
        rel, n = "at_most" if re.match(r"fits? (?:in|within)", m.groupdict().get("verb") or "", re.I) else "exactly", \
            int(m["bare"])
    if m["t"]:
        if m["rel"]:
            return None  # "under 12 words or fewer": two limits
        rel = "at_least" if m["t"].lower() in ("more", "longer", "over") else "at_most"
    if m["t2"]:
        if m["rel"]:
            return None
        rel = "at_least" if m["t2"].lower() in ("minimum", "at least") else "at_most"
    if over:  # "must not exceed 35 words": more than 35 is refused
        if not refused or m["rel"] or m["t"] or m["t2"] or m["single"]:
            return None
        rel = "at_most"
    elif refused and m["single"] and v in ALWAYS_ONE and m["single"].lower() != "a" and not (m["t"] or m["t2"]):
        return Count(v, "at_least", 2)  # "no paragraph should be a single sentence": two or more
    elif refused:
        if m["rel"] is None or (m["rel"] and RELS[m["rel"].lower()] not in ("more_than", "less_than")):
            return None  # "can't be exactly 5 words", "shouldn't be 10 words": not one limit
        rel, k = FLIP[RELS[m["rel"].lower()]]
        n = int(m["n"])
        return Count(v, rel, n + k) if n + k >= 0 else None
    return Count(v, rel, n)


def _select(m: re.Match) -> Select | None:
    if re.match(r"\W*(?:where|in which|such that)\b", m.group(0), re.I) and topic_before(m.string, m.start()):
        return None  # "Describe a poetry game where each line has 5 syllables": what the game is, not a rule
    u = subject(m["u"])
    nth = m["nth"]
    k = None
    if nth:
        k = ORDS.get(nth.lower()) or int(re.match(r"\d+", nth).group(0))
        if m["det"] and m["det"].lower() not in ("the", "your"):
            return None  # "each first sentence"
        if m["u"].lower().endswith("s") and not m["u"].lower().endswith("ss"):
            return None  # "the first sentences"
    elif m["det"] and m["det"].lower() in ("the", "your") and not m["u"].lower().endswith("s") \
            and not UNITS.get(u).single:
        return None  # "the sentence", "your paragraph": which one? ("the title" is one)
    if UNITS.get(u).single and (k is not None or m["det"] and m["det"].lower() not in ("the", "your")
                                or m["u"].lower().endswith("s")):
        return None  # "each title", "the first headline", "headlines": one of several, not the title
    within = None
    if m.groupdict().get("wone"):  # "no word in the title"
        within = Select(subject(m["wone"]))
        if u not in ("word", "letter", "character"):
            return None
    elif m["w"]:
        wnth = m.groupdict().get("wnth")
        within = Select(subject(m["w"]), ORDS.get(wnth.lower()) if wnth else None)
        if within.unit == u or vacuous(within.unit, u):
            return None
    if m.groupdict().get("inner"):  # "every body paragraph", "the middle stanzas": between the first and the last
        if u not in ("paragraph", "line", "sentence", "bullet item") or k is not None or within is not None \
                or (m["det"] or "").lower() in ("the", "your") and not m["u"].lower().endswith("s"):
            return None  # "the middle line": one unit, not the ones between
        return Select(u, inner=True)
    return Select(u, k, within)


SCOPE = (r"(?:\s+in\s+(?:the|your)\s+(?:response|answer|text|piece|summary|essay|post|story|email|letter|article|copy|"
         r"thread|poem|speech|script|message|reply)|"
         r"\s+of\s+(?:the|your)\s+(?:poem|piece|response|song|text|story|essay|answer))?")
SUBJECT = (START + r"(?:(?P<lead>don't let|do not let|never let|keep|make sure|ensure|use|include|write|have)\s+)?"
           r"(?:(?P<det>each|every|all|any|no|not a single|not one|all the|all of the|the|your|"
           r"(?P<qrel>at least|at most|"
           r"no more than|no fewer than|exactly|only)\s+(?P<qn>\d+)|"
           r"(?P<share>at least|at most|no more than|more than|fewer than|less than|no fewer than|no less than|under|"
           r"below|over)\s+"
           r"(?P<f>" + SHARE + r"|\d+\s*%|\d+ percent|"
           r"(?P<k>\d+)\s+(?:(?:out\s+)?of|in)\s+(?:every\s+)?(?P<km>\d+))(?P<ofd>\s+(?:of\s+)?(?:the|your|all the|"
           r"all))?|"
           r"(?P<most>most(?:\s+of\s+(?:the|your))?))\s+)?"
           r"(?:single\s+)?"
           r"(?:(?:very\s+)?" + ORD + r"\s+|(?P<inner>body|middle|inner)\s+)?(?P<u>" + SUBJECT_UNIT
           + r")\b(?:\s+(?:of|in)\s+(?:(?:each|every|the\s+(?P<wnth>first|second|third|last|final|opening|closing))\s+"
           r"(?P<w>" + SUBJECT_UNIT + r")|the\s+(?P<wone>title|headline|subject line)))?" + SCOPE)


def _quant(m: re.Match, sel: Select, refused_verb: bool) -> tuple[Quant, bool] | None:
    """(the quantifier, whether the predicate is refused) from the subject's determiner and the modal."""
    det = (m["det"] or "").lower()
    if (m["lead"] or "").lower() in ("use", "include", "write", "have") and not m["qn"]:
        return None  # "use sentences that ...": only "use at least 3 sentences that ..." says how many
    if (m["share"] or m["qn"] or m["most"]) and sel.within is not None:
        return None  # "at least 3 words in each sentence ...": a count in each unit, not over the whole text
    if m["share"] or m["most"]:
        if refused_verb or m["lead"] or sel.nth is not None or not m["u"].lower().endswith("s"):
            return None
        if m["most"]:  # "most sentences": more than half
            return Quant("share_more_than", 0.5), False
        f = m["f"].lower()
        if m["k"] and not 0 < int(m["k"]) <= int(m["km"]):
            return None
        if m["k"] is None and not m["ofd"]:
            return None  # "at least half sentences": not English
        share = int(m["k"]) / int(m["km"]) if m["k"] else SHARES.get(f) or int(re.match(r"\d+", f).group(0)) / 100
        kind = {"at least": "share_at_least", "no fewer than": "share_at_least", "no less than": "share_at_least",
                "more than": "share_more_than", "fewer than": "share_less_than", "less than": "share_less_than",
                "under": "share_less_than", "below": "share_less_than", "over": "share_more_than"}
        return Quant(kind.get(m["share"].lower(), "share_at_most"), round(share, 4)), False
    if m["qn"]:  # "at most 2 sentences end with ...": how many of them
        if refused_verb or (m["lead"] or "").lower().endswith("let") or sel.nth is not None or sel.unit == "response":
            return None
        rel = {"only": "exactly"}.get(m["qrel"].lower()) or RELS[m["qrel"].lower()]
        return Quant(rel, int(m["qn"])), False
    no = det in ("no", "not a single", "not one")
    lead = (m["lead"] or "").lower()
    refused = refused_verb or no or lead.endswith("let")
    if sum((refused_verb, no, lead.endswith("let"))) > 1:
        return None  # "no sentence can't ...": a double refusal is not read
    if sel.nth is None and not det and not m["u"].lower().endswith("s") and not UNITS.get(sel.unit).single:
        return None  # "sentence must ...": a heading, not a rule
    return Quant("each"), refused


@reader("clause_limit", SUBJECT + r"\s+(?:(?:that|which)\s+)?(?:(?P<pos>" + POSITIVE + r")\s+|(?P<neg>"
        + REFUSED + r")\s+|(?P<perm>"
        + PERMITTED + r")\s+)?(?:only\s+|also\s+)?(?:(?P<verb>" + VERB + r")\s+(?:only\s+|also\s+)?|(?P<over>" + OVER
        + r")\s+)?"
        + LIMIT + r"(?P<its>\s+(?:under|after|below)\s+(?:its|the)\s+(?:heading|header))?")
def _clause_limit(m):
    sel = _select(m)
    if sel is None or QUALIFIED.match(m.string, m.end()) or (m["its"] and sel.unit != "section"):
        return None
    no = (m["det"] or "").lower() in ("no", "not a single", "not one")
    capped = m["qn"] and m["qrel"].lower() in ("at most", "no more than", "only")  # "only 2 can be over": at most 2
    if m["perm"] and not no and not capped and not (m["rel"] and RELS[m["rel"].lower()] == "at_most") \
            and (m["share"] or "").lower() not in ("at most", "no more than"):
        return None  # "can be over 20 words": a permission; "can be up to 30 characters" is a limit
    if not (m["verb"] or m["over"] or m["pos"] or m["neg"] or m["perm"]) and not m["rel"]:
        return None  # "sentences 12 words": no verb and no relation
    if m["prep"] and not (m["qn"] and not (m["pos"] or m["neg"] or m["perm"])):
        return None  # "at least 3 words of 12 letters or more" says how many; "each line of 5 words" is not a rule
    got = _quant(m, sel, bool(m["neg"]))
    if got is None:
        return None
    quant, refused = got
    if m["perm"] and capped:
        quant = Quant("at_most", quant.n)  # "at most / only 2 sentences may be over 20 words"
    test = _limit(m, refused, bool(m["over"]))
    if quant.kind != "each":  # "at least 3 sentences have more than 20 words", "at least 25% of the sentences ..."
        return Rule(quant, sel, test) if test is not None and not m["over"] else None
    if test is None or vacuous(sel.unit, test.unit) and sel.unit != "response":
        return None
    if test.rel == "exactly" and test.n == 1 and m["single"] and test.unit in ALWAYS_ONE:
        pass
    if sel.unit == "word":  # "no word has more than 6 letters": said of the words that break it
        if test.rel != "at_most":
            return Rule(Each(), sel, test)
        return Rule(Quant("none"), sel, Count(test.unit, "at_least", test.n + 1))
    return Rule(Each(), sel, test)
