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
from typing import NamedTuple

from irg.engine.constraints.perpart import bound_start, per_part
from irg.engine.constraints.text import _QUOTED, normalize_numbers, refused_at


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
        r"\bthen|(?:^|(?<=[.!?;:\n]))\s*(?:using|based on|drawing on|from|after reading|having read|with)\s+"
        r"[^.!?;:,\n]{1,60}?,?(?=\s+(?:write|compose|draft|create|produce|generate|craft|prepare|give me)\b))\s*")
# ("Using the notes above write a 200-word summary"; not "From what I've read, most students write 300 words")
_SMALL = r"(?:(?:short|brief|quick|simple|new|good|nice|fun|funny|formal|informal|detailed|full|[\w-]+,)\s+)?"
_N = r"(?P<{}>\d[\d,]*)"
ABOUT_LENGTH = re.compile(
    # Write a 200-word essay, Write my 500-word college essay, Give me a short 150-word bio, I need a 400-word letter
    r"(?:" + _ASK + _WRITE + r"|(?:^|(?<=[.!?;\n]))\s*i (?:need|want|would like|'d like))\s+(?:me\s+|us\s+)?"
    r"(?:a|an|one|my|our)\s+" + _SMALL + _N.format("d") + r"(?:\s*-\s*|\s+)words?\s+(?:[\w-]+\s+){0,2}?" + _GENRE
    + r"\b"
    # Write 300 words on bees, Write about 300 words about bees, Write 300 words or so about bees
    r"|" + _ASK + _WRITE + r"\s+(?:me\s+|us\s+)?(?:" + _ABOUT + r"\s+|~\s*)?" + _N.format("a") +
    r"\s+words?(?:\s+or\s+so)?(?=\s+(?:about|on|regarding|describing|explaining|for\s+(?:my|our|a|an|the)\b)|\s*[.!]|$|"
    r"\s*,\s*(?:and\s+|but\s+)?(?:not (?:a|one|a single) word|no (?:more|less|fewer)|give or take|plus or minus|"
    r"exactly|precisely)|\s+exactly\b)"
    # Write an essay of (about) 300 words
    r"|" + _ASK + _WRITE + r"\s+(?:me\s+|us\s+)?(?:a|an|one|my|our)\s+" + _SMALL + _GENRE
    + r"\s+(?:of|in|with)\s+(?:" + _ABOUT + r"\s+|~\s*)?" + _N.format("e") + r"\s+words\b" + _NO_BOUND
    + r"(?=\s*(?:[.,;!?)]|$)|\s+(?:about|on|regarding|describing|explaining|in\s+length|long|or\s+so)\b)"
    # Write a poem, roughly 80 words.
    + r"|(?:^|(?<=[.!?;,:()\n–—-]))\s*(?:(?:just|only|ideally|preferably|maybe)\s+)?(?:" + _ABOUT + r"\s+|~\s*)"
    + _N.format("h") + r"\s+words\s*(?=[.!),;]|$|(?:is|would be|should be)\s+(?:fine|good|great|enough|ok(?:ay)?|"
    r"perfect|ideal|best|plenty)\s*(?:[.!]|$))" +
    # Describe the water cycle in about 150 words; keep it (to) about 100 words; aim for ~300 words
    r"|(?<!\()\b(?:in|within)\s+(?:" + _ABOUT + r"\s+|~\s*)" + _N.format("b") + r"\s+words\b" + _NO_BOUND +
    # Describe our app in 50 words for the listing; Explain photosynthesis in 100 words.
    r"|" + _ASK + r"(?:describe|explain|summari[sz]e|introduce|define|pitch|sum\s+up|rewrite|retell|write\s+about)\b"
    r"(?:(?!\b(?:each|every|per|whose|which|who|where|that|how|when|game|players?|wrote|written|could|can)\b)"
    r"[^.!?;\n]){0,50}?\s+in\s+" + _N.format("i") + r"\s+words\b(?!\s*,?\s*(?:or\s|max|min|tops|at\s|each|apiece|per\b|"
    r"for\s+(?:each|every)))(?=\s*(?:[.,;!?)]|$)|\s+(?:for|so|to)\b)"
    # …, 100 words, give or take.
    r"|(?:^|(?<=[.!?;,:()\n–—-]))\s*" + _N.format("j") + r"\s+words\s*,?\s*(?=(?:give or take|more or less|or so)\b)" +
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
# words of a kind, counted or listed, not the answer's length: "at least 5 words in all caps", "5 words that rhyme"
_FILTERED = (r"\s+(?:in\s+(?:all\s+)?(?:caps|capitals?|capital letters|upper\s*case|bold|italics?)|capitali[sz]ed|that|"
             r"rhym\w*|"
             r"which|starting|beginning|ending|from|of\b|with\b|longer|shorter|like|such as)|\s*:")
# a bound on words said anywhere in the length's sentence: the patterns or the detector read it, not a band ("Write a
# 600-word essay (max 600)"; not "not more than 2 minutes spoken (about 250 words)")
_BOUND_SAID = re.compile(r"\b(?:max(?:imum)?|min(?:imum)?|at (?:most|least)|limit(?: of)?|up to|no (?:more|less|fewer) "
                         r"than|not (?:more|less|fewer) than|exceed\w*|under|over|below|above)\s*:?\s*\d+(?!\d)"
                         r"(?=\s*(?:[\s-]words?\b(?!" + _FILTERED + r")|[).,;!?]|$))", re.I)


class Length(NamedTuple):
    """A length said with no bound: the words said, N, and the band read (lo or hi None: no bound that way)."""
    said: str
    n: int
    lo: int | None
    hi: int | None


# What may still be said of the band after the length, in its sentence: "give or take 50", ", exactly", "but no more
# than that", "not a word more", "and not a word less"
# ("200 words on tea, not a word more": the topic may come between)
_LEAD = r"^(?:\s+(?:on|about|for)\s+[^.;!?,\n]{1,40}?)?\s*[,.]?\s*(?:(?:but|and)\s+)?"
_SPREAD = re.compile(_LEAD + r"(?:give or take|plus or minus|±)\s*(\d+)\s*(?P<pc>%|percent|per cent)?"
                     r"(?:\s*words?)?(?=\s*(?:[.,;!?)]|$|on\b|about\b))", re.I)
_EXACT = re.compile(_LEAD + r"(?:exactly|precisely|no more,? (?:and )?no less|not (?:a|one) word more or less)"
                    r"(?=\s*(?:[.,;!?)]|$|(?:on|about)\b))", re.I)
_NO_MORE = re.compile(_LEAD + r"(?:no more(?: than that)?|not (?:a|one|a single) word more|not more than that|"
                      r"nothing more)(?=\s*(?:[.;!?)]|$|,\s*(?:on|about)\b))", re.I)
_NO_LESS = re.compile(_LEAD + r"(?:no less(?: than that)?|no fewer(?: than that)?|not (?:a|one|a single) word less|"
                      r"not less than that)(?=\s*(?:[.;!?)]|$))", re.I)


def about_lengths(p: str) -> list[Length]:
    """Each length said with no bound that is the answer's own, with its band."""
    out = []
    for m in ABOUT_LENGTH.finditer(p):
        g = next(k for k in "abcdefghij" if m.group(k))
        n = int(m.group(g).replace(",", ""))
        before = re.split(r"[.;:!?\n]", p[max(0, m.start() - 60):m.start()])[-1]
        rest = re.split(r"[.;:!?\n]", p[m.end():])[0]
        asked = g in "abdei"  # asked by a writing verb or "in about N words": not another text's length
        if n < 1 or (_OTHER_TEXT.search(before) and not (asked and not re.search(r"\b(?:is|are|was|were|has|had)\s+$",
                                                                                  before, re.I))) \
                or refused_at(p, m.start()) or per_part(p, m.start()) \
                or any(not per_part(p, b.start()) for b in _BOUND_SAID.finditer(p)) \
                or re.search(r"\b(?:each|every|per)\b", re.sub(r"\d[\d,]*\s*words?\s+(?:each|apiece)", "", rest),
                             re.I) \
                or re.search(r"\b(?:then|followed by|after that|plus)\b", p[m.end():], re.I) \
                or re.search(r"\band\s+(?:\d+|an?|one|two|three|four|"
                             r"five)\s+(?:[\w-]+\s+){0,2}?(?:taglines?|titles?|"
                             r"headlines?|summar(?:y|ies)|poems?|haikus?|questions?|captions?|tweets?|versions?|"
                             r"slogans?)\b", p[m.end():], re.I) \
                or re.match(r"\s*,?\s*(?:or|maybe|perhaps)\s+(?:maybe\s+|perhaps\s+)?\d", p[m.end():], re.I):
            continue  # a bound said anywhere; each part's; more parts after it; a second guess ("or maybe 300")
        said = re.search(r"(?:" + _ABOUT + r"\s+|~\s*)?\d[\d,]*[\s-]*words?(?:\s+or\s+so)?", m.group(0), re.I)
        out.append(Length(said.group(0), n, *_band(n, p[m.end():], bool(re.search(_ABOUT + r"|~", m.group(0), re.I)))))
    # several lengths ("a 100-word story, then a 50-word summary", "a 50-word bio for Anna and a 50-word bio for
    # Ben"): parts of the answer, not its length. Not counted among them: each part's ("Any sentence over 30 words must
    # be split"), words listed or of a kind ("these 5 words: …", "5 words in all caps"), a refused length ("I don't
    # want a 1000-word essay"), quoted text ('a picture is worth 1000 words'), a part of the piece ("with a 10-word
    # headline")
    free = _QUOTED.sub(lambda q: " " * len(q.group(0)), p)
    others = [x for x in re.finditer(r"(?<![\w.,-])(\d[\d,]*)(?:\s*-\s*|\s+)words?\b", free, re.I)
              if not per_part(p, bound_start(p, x.start())) and not re.match(_FILTERED, free[x.end():], re.I)
              and not re.search(r"\b(?:these|those|the following|following)\s+$", free[:x.start()], re.I)
              and not refused_at(p, x.start()) and not re.search(r"\bwith\s+(?:a|an)\s+$", free[:x.start()], re.I)
              and not re.search(r"\b(?:give or take|plus or minus)\s+$|\b(?:on|about)\s+(?:[\w']+\s+){1,2}$",
                                free[:x.start()], re.I)]
    return out if len(out) == 1 and len(others) == 1 else []


def _band(n: int, after: str, about: bool) -> tuple[int | None, int | None]:
    """The band of a length said with no bound, with what the sentence says of it after (see _SPREAD)."""
    lo, hi = about_band(n)
    if _EXACT.match(after):
        return n, n
    if m := _SPREAD.match(after):  # "give or take 50", "give or take 10 percent"
        d = n * int(m.group(1)) // 100 if m.group("pc") else int(m.group(1))
        return max(0, n - d), n + d
    more, less = _NO_MORE.match(after), _NO_LESS.match(after)
    if more and less:
        return n, n
    if more:  # "about 500 words, but no more than that": 450 to 500; "200 words, not a word more": at most 200
        return (lo if about else None), n
    if less:
        return n, (hi if about else None)
    return lo, hi


def about_band(n: int) -> tuple[int, int]:
    """Within a tenth either way; a short text's words are counted exactly ("a 10-word slogan", "a six-word story")."""
    return (n, n) if n < 20 else (math.ceil(n * 0.9), math.floor(n * 1.1))


def about_notices(prompt: str, found: list) -> list[str]:
    """What the plan card says of a length read as a band, when both bounds were kept."""
    out = []
    for said, n, lo, hi in about_lengths(normalize_numbers(prompt))[:1]:
        kept = {(c.rel, c.n) for c in found if c.kind == "word_count"}
        if not {(r, v) for r, v in (("at_least", lo), ("at_most", hi)) if v is not None} <= kept:
            continue
        if lo == hi:
            out.append(f"'{said}' is read as exactly {n} words.")
        elif lo is None or hi is None:
            out.append(f"'{said}' is read as at most {hi} words." if lo is None else
                       f"'{said}' is read as at least {lo} words.")
        elif (lo, hi) == about_band(n):
            out.append(f"'{said}' is read as about {n} words: {lo} to {hi} (within a tenth either way).")
        else:
            out.append(f"'{said}' is read as about {n} words: {lo} to {hi}.")
    return out
