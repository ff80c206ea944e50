"""A length said with no bound (issue 38): "Write a 200-word essay", "Write 300 words on bees", "an essay of about
300 words", "Describe it in about 150 words", "Write a poem, roughly 80 words". Read as about that many: within a
tenth either way (exactly that many under 20 words: "a six-word story"), two word-count bounds the plan card shows
with a notice that says why. The type had said "the relation could not be read" and checked nothing.

Read only where the length is asked of the answer; a second review (assets/trials/misreadings/review2-cases.txt)
found the first version reading facts and topics ("a parrot who knows about 50 words", "10 words that have no English
translation"), other texts ("I'll paste an essay of about 600 words"), parts ("two poems of about 50 words", "…, then
10 discussion questions") and lengths with a bound said another way ("Minimum 950") as the answer's length.
"""
from __future__ import annotations

import math
import re

from irg.engine.constraints.perpart import bound_start, per_part
from irg.engine.constraints.text import normalize_numbers, refused_at


# A length said with no bound: "Write a 200-word essay", "Write 300 words on bees", "an essay of about 300 words",
# "around 150 words", "~100 words", "300 words or so". Read as about that many: within a tenth either way, two bounds
# the plan card shows with a notice that says why (the type had said "the relation could not be read" and checked
# nothing). Not the length of another text ("summarize this article of about 500 words"), of each part ("3
# paragraphs of about 100 words each"), refused ("don't write a 500-word essay"), or one of several lengths ("a
# 100-word story, then a 50-word summary": parts).
_ABOUT = r"(?:about|around|approximately|approx\.?|roughly|circa|close to)"
_WRITE = r"(?:write|compose|draft|create|produce|generate|craft|prepare|pen|give me|send me|make me|i need|i want)"
_GENRE = (r"(?:essay|story|poem|article|post|blog post|text|piece|letter|email|summary|speech|report|paragraph|"
          r"description|bio|biography|review|response|answer|reply|note|message|toast|statement|introduction|overview|"
          r"memoir|slogan|tagline|motto|caption|headline|tweet|blurb|ad|analysis|profile|pitch|story)")
# what may not follow the count: a bound said after it ("200 words, tops"), each part's ("50 words for each slide"),
# or words that are the topic ("about 10 words that have no English translation", "5 words that rhyme")
_NO_BOUND = (r"(?!\s*,?\s*(?:or\s+(?:less|fewer|more|under|over|below|above|shorter|longer)|max\b|maximum|minimum|"
             r"min\b|tops|at most|at least|plus|\+|and (?:up|under|above|below)|limit|each|apiece|per\b|"
             r"for (?:each|every)|in each|a (?:piece|slide|page|line|paragraph)|that|which|who|to\b|you\b|i\b|we\b|"
             r"from\b|of\b|for\b|with\b|in (?:english|spanish|french|german|your|the)\b|like\b|such as))")
# Only where the length is asked of the answer: by a writing verb said as a request (at the start of a sentence, after
# "please", "can you", "and" or "then"), "in about N words", "keep it (to) about N words", "aim for …" — not "a parrot
# who knows about 50 words", "a boy must write a 100-word letter", "I need 500 words by tomorrow".
_ASK = (r"(?:^|(?<=[.!?;:\n])|\bplease|\b(?:can|could|would|will) you(?:\s+please)?|\bi (?:need|want) you to|\band|"
        r"\bthen)\s*")
_SMALL = r"(?:(?:short|brief|quick|simple|new|good|nice|fun|funny|formal|informal|detailed|full|[\w-]+,)\s+)?"
_N = r"(?P<{}>\d[\d,]*)"
ABOUT_LENGTH = re.compile(
    # Write a 200-word essay, Write my 500-word college essay, Give me a short 150-word bio, I need a 400-word letter
    r"(?:" + _ASK + _WRITE + r"|(?:^|(?<=[.!?;\n]))\s*i (?:need|want|would like|'d like))\s+(?:me\s+|us\s+)?"
    r"(?:a|an|one|my|our)\s+" + _SMALL + _N.format("d") + r"(?:\s*-\s*|\s+)words?\s+(?:[\w-]+\s+){0,2}?" + _GENRE
    + r"\b"
    # Write 300 words on bees, Write about 300 words about bees, Write 300 words or so about bees
    r"|" + _ASK + _WRITE + r"\s+(?:me\s+|us\s+)?(?:" + _ABOUT + r"\s+|~\s*)?" + _N.format("a") +
    r"\s+words?(?:\s+or\s+so)?(?=\s+(?:about|on|regarding|describing|explaining|for\s+(?:my|our|a|an|the)\b)|\s*[.!]|$)"
    # Write an essay of (about) 300 words
    r"|" + _ASK + _WRITE + r"\s+(?:me\s+|us\s+)?(?:a|an|one|my|our)\s+" + _SMALL + _GENRE
    + r"\s+(?:of|in|with)\s+(?:" + _ABOUT + r"\s+|~\s*)?" + _N.format("e") + r"\s+words\b" + _NO_BOUND
    # Write a poem, roughly 80 words.
    + r"|(?:^|(?<=[.!?;,:()\n–—-]))\s*(?:" + _ABOUT + r"\s+|~\s*)" + _N.format("h") + r"\s+words\s*(?=[.!),;]|$)" +
    # Describe the water cycle in about 150 words; keep it (to) about 100 words; aim for ~300 words
    r"|\b(?:in|within)\s+(?:" + _ABOUT + r"\s+|~\s*)" + _N.format("b") + r"\s+words\b" + _NO_BOUND +
    r"|\b(?:keep|make)\s+(?:it|this|the\s+\w+|your\s+\w+)\s+(?:to\s+|at\s+)?(?:" + _ABOUT + r"\s+|~\s*)"
    + _N.format("c") + r"\s+words\b" + _NO_BOUND +
    r"|\baim\s+for\s+(?:" + _ABOUT + r"\s+|~\s*)?" + _N.format("f") + r"\s+words\b" + _NO_BOUND +
    r"|\b(?:should|must|needs? to)\s+be\s+(?:" + _ABOUT + r"\s+|~\s*)" + _N.format("g") + r"\s+words\b" + _NO_BOUND,
    re.I)
# the length of another text: "this article of about 500 words", "Summarize this article (about 800 words)", "The
# email I got is about 300 words"; of parts: "3 paragraphs of about 100 words"
_OTHER_TEXT = re.compile(r"\b(?:this|that|these|those|the|my|his|her|their|its|following|attached|above|below)\s+"
                         r"(?:(?:[\w-]+\s+){0,3}(?:of\s+|[(,:–—-]\s*))?$|\b(?:is|are|was|were|has|had)\s+$|"
                         r"\b(?:\d+|several|multiple|some|many)\s+[a-z]+s\s+(?:of|with)\s+$", re.I)
# a bound on words said anywhere in the length's sentence: the patterns or the detector read it, not a band ("Write a
# 600-word essay (max 600)"; not "not more than 2 minutes spoken (about 250 words)")
_BOUND_SAID = re.compile(r"\b(?:max(?:imum)?|min(?:imum)?|at (?:most|least)|limit(?: of)?|up to|no (?:more|less|fewer) "
                         r"than|not (?:more|less|fewer) than|exceed\w*|under|over|below|above)\s*:?\s*\d+(?!\d|\s*(?:"
                         r"minutes?|mins?|seconds?|secs?|hours?|pages?|characters?|chars?|lines?|sentences?|"
                         r"paragraphs?|bullets?|%))", re.I)


def about_lengths(p: str) -> list[tuple[str, int]]:
    """(the words said, N) for each length said with no bound that is the answer's own."""
    out = []
    for m in ABOUT_LENGTH.finditer(p):
        n = int(next(g for g in m.group("a", "b", "c", "d", "e", "f", "g", "h") if g).replace(",", ""))
        before = re.split(r"[.;:!?\n]", p[max(0, m.start() - 60):m.start()])[-1]
        rest = re.split(r"[.;:!?\n]", p[m.end():])[0]
        if n < 1 or _OTHER_TEXT.search(before) or refused_at(p, m.start()) or per_part(p, m.start()) \
                or any(not per_part(p, b.start()) for b in _BOUND_SAID.finditer(p)) \
                or re.search(r"\b(?:each|every|per)\b", rest, re.I) \
                or re.search(r"\b(?:then|followed by|after that|plus)\b", p[m.end():], re.I):
            continue  # a bound said anywhere; each part's; more parts after it ("…, then 10 discussion questions")
        said = re.search(r"(?:" + _ABOUT + r"\s+|~\s*)?\d[\d,]*[\s-]*words?(?:\s+or\s+so)?", m.group(0), re.I)
        out.append((said.group(0), n))
    # several lengths ("a 100-word story, then a 50-word summary", "a 50-word bio for Anna and a 50-word bio for
    # Ben"): parts of the answer, not its length
    others = [x for x in re.finditer(r"(?<![\w.,-])(\d[\d,]*)(?:\s*-\s*|\s+)words?\b", p, re.I)
              if not per_part(p, bound_start(p, x.start()))]  # "Any sentence over 30 words must be split": a part's
    return out if len(out) == 1 and len(others) == 1 else []


def about_band(n: int) -> tuple[int, int]:
    """Within a tenth either way; a short text's words are counted exactly ("a 10-word slogan", "a six-word story")."""
    return (n, n) if n < 20 else (math.ceil(n * 0.9), math.floor(n * 1.1))


def about_notices(prompt: str, found: list) -> list[str]:
    """What the plan card says of a length read as a band, when both bounds were kept."""
    out = []
    for said, n in about_lengths(normalize_numbers(prompt))[:1]:
        lo, hi = about_band(n)
        kept = {(c.rel, c.n) for c in found if c.kind == "word_count"}
        if {("at_least", lo), ("at_most", hi)} <= kept:
            out.append(f"'{said}' is read as exactly {n} words." if lo == hi else
                       f"'{said}' is read as about {n} words: {lo} to {hi} (within a tenth either way).")
    return out
