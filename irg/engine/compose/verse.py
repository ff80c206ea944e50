"""Rules of verse the rhyme scheme does not say, and lengths that step: two named lines rhyme, no lines rhyme, every
line rhymes with another, each line one syllable longer than the one before (issue 37).

    Lines 2 and 4 must rhyme.                          RhymePair(2, 4)
    The second and fourth lines of every stanza rhyme. RhymePair(2, 4, per="paragraph")
    No rhymes at all.                                  Across("line", "no_rhymes")
    Make every line rhyme.                             Across("line", "each_rhymes")
    All the lines rhyme with each other.               Across("line", "same_rhyme")
    Each line one syllable longer than the one before. Across("line", "more_by", of="syllable", n=1)

Rhyme is the spelling rule of thumb of sounds.py, on each line's last word.
"""
from __future__ import annotations

import re

from irg.engine.compose.across import ACROSS, Across, AcrossKind
from irg.engine.compose.clause import counted, subject
from irg.engine.compose.filters import FILTERS, Filter, FilterKind, last_word
from irg.engine.compose.measures import Count
from irg.engine.compose.pairs import RhymePair
from irg.engine.compose.program import Each, Rhyme, Rule, Select
from irg.engine.compose.sounds import rhymes
from irg.engine.compose.units import UNITS, split
from irg.engine.compose.vocab import MODAL, reader, topic_before, vacuous

POSITION = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "last": -1, "final": -1}


def _at(word: str) -> int:
    w = word.lower()
    return POSITION[w] if w in POSITION else int(re.match(r"\d+", w).group(0))


# ---- kinds across lines -----------------------------------------------------------------------------------------
def _no_rhymes(units: list[str], name: str, p=None) -> list[str]:
    w = [last_word(u) for u in units]
    return [f"{name} {i + 1} ('{w[i]}') rhymes with {name} {j + 1} ('{w[j]}')"
            for i in range(len(w)) for j in range(i + 1, len(w)) if rhymes(w[i], w[j])][:5]


def _each_rhymes(units: list[str], name: str, p=None) -> list[str]:
    w = [last_word(u) for u in units]
    return [f"{name} {i + 1} ('{x}') rhymes with no other {name}" for i, x in enumerate(w)
            if not any(rhymes(x, y) for j, y in enumerate(w) if j != i)]


def _same_rhyme(units: list[str], name: str, p=None) -> list[str]:
    w = [last_word(u) for u in units]
    return [f"{name} {i} ('{x}') does not rhyme with {name} 1 ('{w[0]}')" for i, x in enumerate(w[1:], 2)
            if not rhymes(x, w[0])]


def _by(sign: int):
    """Each unit has exactly n more (sign 1) or fewer (-1) of `of` than the one before it."""
    def holds(units: list[str], name: str, p: Across) -> list[str]:
        n, of = [len(split(p.of, u)) for u in units], UNITS.get(p.of).plural
        return [f"{name} {i + 1} has {n[i]} {of}, {name} {i} has {n[i - 1]}" for i in range(1, len(n))
                if n[i] - n[i - 1] != sign * p.n]
    return holds


for _name, _holds, _words, _needs in (
        ("no_rhymes", _no_rhymes, "no two {plural} end with rhyming words", ()),
        ("each_rhymes", _each_rhymes, "each {name} ends with a word that rhymes with the last word of another {name}",
         ()),
        ("same_rhyme", _same_rhyme, "all {plural} end with words that rhyme with each other", ()),
        ("more_by", _by(1), "each {name} after the first has exactly {n} more {of} than the {name} before it",
         ("of", "n")),
        ("fewer_by", _by(-1), "each {name} after the first has exactly {n} fewer {of} than the {name} before it",
         ("of", "n"))):
    ACROSS.register(_name, AcrossKind(_holds, _words, _needs))

# ---- readers ----------------------------------------------------------------------------------------------------
AT = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|last|final|\d{1,2}(?:st|nd|rd|th)?)"
AT_NAMED = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|last|final|\d{1,2}(?:st|nd|rd|th))"  # not "the 1"
PER = r"(?P<per>\s+(?:of|in)\s+(?:each|every|the)\s+(?:stanza|verse|paragraph|quatrain)s?)?" \
      r"(?:\s+(?:of|in)\s+(?:the|your|this)\s+(?:poem|song))?"  # "lines 2 and 4 of the poem": the whole answer
# the clause ends after "rhyme": "rhyme with 'June'", "rhyme internally", "rhyme where it fits" say more than a pair
RHYME = r"\s+" + MODAL + r"(?:all\s+)?rhyme(?:\s+with\s+(?:each\s+other|one\s+another))?(?=\s*(?:[.!;]|,\s*and\b|$))"


@reader("rhyme_pair", r"\b(?:make\s+)?(?:(?:the\s+)?lines\s+(?P<list>\d{1,2}(?:\s*,\s*\d{1,2})*\s*,?\s+(?:and|&)\s+"
        r"\d{1,2})"
        r"|the\s+(?P<a>" + AT + r")\s+and\s+(?:the\s+)?(?P<b>" + AT + r")\s+lines)" + PER + RHYME
        + r"|\bthe\s+(?P<c>" + AT + r")\s+line" + PER.replace("?P<per>", "?P<per2>") + r"\s+" + MODAL
        + r"rhymes?\s+with\s+the\s+(?P<d>" + AT_NAMED + r")(?:\s+line)?\b"
        r"(?!\s+(?:before|after|above|below|preceding|following))")
def _rhyme_pair(m):
    if re.match(r"\s*(?:in|for)\s+(?:an?|the)\s+[a-z]+\s*,", m.string, re.I) or topic_before(m.string, m.start()) \
            or re.search(r"\b(?:e\.g\.|i\.e\.|for example|like)\s*$", m.string[:m.start()], re.I):
        return None  # "In a ballad, the second and fourth lines rhyme": how a form goes, not a rule; an example
    if m["list"]:
        at = [int(x) for x in re.findall(r"\d+", m["list"])]
    else:
        at = [_at(m["a"] or m["c"]), _at(m["b"] or m["d"])]
    if len(set(at)) != len(at):
        return None
    per = "paragraph" if (m["per"] or m["per2"]) else None
    return tuple(RhymePair(at[0], x, per) for x in at[1:])


@reader("no_rhymes", r"\b(?:no\s+rhym(?:es|ing)|(?:don't|do not|never)\s+(?:use\s+)?rhymes?|(?:it|the\s+poem|"
        r"the\s+lines)"
        r"\s+(?:should|must|will)\s*(?:not|n't)\s+rhyme|not\s+(?:a\s+single|"
        r"one)\s+pair\s+of\s+lines\s+(?:should|must|may|can|"
        r"will)\s+rhyme|no\s+(?:two|2)\s+lines\s+(?:should\s+|must\s+|may\s+|can\s+|will\s+)?rhyme(?:\s+with\s+(?:each\s+"
        r"other|one\s+another))?|unrhymed|"
        r"(?:avoid|without)\s+(?:any\s+)?rhym(?:es|ing))"
        r"(?:\s+at\s+all|\s+anywhere)?(?:\s*[-–—,:;]?\s*(?:it's\s+|just\s+)?free\s+verse(?:\s+only)?)?"
        r"(?=\s*(?:[.!;]|$))")
def _no_rhymes_read(m):
    return Across("line", "no_rhymes")


@reader("each_rhymes", r"\b(?:make\s+)?(?P<det>every|each|all(?:\s+the)?|all\s+your)\s+(?P<u>lines?)\s+(?:"
        + MODAL + r")?rhymes?(?P<each>\s+with\s+(?:each\s+other|one\s+another)|"
        r"\s+together)?(?:\s+with\s+(?:at\s+least\s+)?"
        r"(?:1|one|another|some)\s+(?:other\s+)?(?:line)?)?(?=\s*(?:[.!;]|$))")
def _each_rhymes_read(m):
    if m["det"].lower().startswith("all") != m["u"].lower().endswith("s"):
        return None  # "all line rhyme", "every lines"
    return Across("line", "same_rhyme" if m["each"] else "each_rhymes")


STEP_UNIT = r"(?P<u>line|sentence|paragraph|stanza|word|bullet point|bullet)"


@reader("step_by", r"\b(?:make\s+)?(?:each|every)\s+" + STEP_UNIT + r"(?:\s+after\s+the\s+first)?\s+" + MODAL
        + r"(?:(?:be|is|has|have|contain|contains|get|gets)\s+)?(?:exactly\s+)?(?:(?P<n>\d+|one)\s+(?P<v>words?|"
        r"syllables?|"
        r"letters?|characters?|sentences?|lines?)\s+(?P<d>longer|shorter|more|fewer|less)|(?P<n2>\d+|"
        r"one)\s+(?P<d2>more|"
        r"fewer|less)\s+(?P<v2>words?|syllables?|letters?|characters?|sentences?|lines?))\s+than\s+the\s+(?:(?:one|1|"
        r"line|sentence|paragraph|stanza|word|bullet|bullet point)\s+(?:before|above|preceding)(?:\s+it)?\b|last"
        r"(?:\s+(?:one|1))?(?=\s*[.!]?\s*$))")
def _step_by(m):
    said, d = m["n"] or m["n2"], (m["d"] or m["d2"]).lower()
    u, v, n = subject(m["u"]), counted(m["v"] or m["v2"]), 1 if said.lower() == "one" else int(said)
    if n < 1 or vacuous(u, v) or (m["v"] or m["v2"]).lower().endswith("s") != (n > 1):
        return None  # "one words longer", "a line one line longer"
    return Across(u, "more_by" if d in ("longer", "more") else "fewer_by", of=v, n=n)


# ---- forms of verse said by name: blank verse, ottava rima, rhyme royal ----------------------------------------
NAMED_VERSE = {"ottava rima": "ABABABCC", "rhyme royal": "ABABBCC"}


@reader("named_verse", r"\b(?:an?|in|as|write\s+in)\s+(?P<f>blank\s+verse|ottava\s+rima|"
        r"rhyme\s+royal)(?P<stanza>\s+stanza)?\b")
def _named_verse(m):
    f = " ".join(m["f"].lower().split())
    before = m.string[max(0, m.start() - 40):m.start()]
    if topic_before(m.string, m.start("f")) or re.search(r"\b(?:prose|not|n't|never|instead|rather|like|wrote|written|"
                                                         r"writes)\b", before + " " + m.string[m.end():], re.I):
        return None  # "an essay about Milton, who wrote in blank verse", "a scene in blank verse with some prose"
    if f == "blank verse":  # unrhymed lines of ten syllables (iambic pentameter, its stresses aside)
        return Rule(Each(), Select("line"), Count("syllable", "exactly", 10)), Across("line", "no_rhymes")
    scheme = NAMED_VERSE[f]
    if m["stanza"]:  # "an ottava rima stanza": the one stanza
        return Rhyme(scheme)
    # "a poem in rhyme royal": stanzas of that many lines, each with the scheme
    return Rhyme(scheme, repeat=True, per="paragraph"), Rule(Each(), Select("paragraph"),
                                                             Count("line", "exactly", len(scheme)))


# ---- a rhyme on a given word: "each line ends with a word that rhymes with 'light'" --------------------------------
FILTERS.register("rhymes_with", FilterKind(lambda t, a: rhymes(last_word(t), str(a)),
                                           "ends with a word that rhymes with {arg}"))


@reader("rhymes_with", r"\b(?:each|every)\s+(?P<u>line|stanza|verse|sentence)\s+" + MODAL + r"(?:ends?|finish(?:es)?|"
        r"closes?)\s+(?:with|on|in)\s+a\s+word\s+that\s+rhymes\s+with\s+['\"‘“](?P<w>[A-Za-z]{2,20})['\"’”]")
def _rhymes_with(m):
    return Rule(Each(), Select(subject(m["u"])), Filter("rhymes_with", m["w"].lower()))


# ---- rhyming couplets: the whole answer one couplet, or all of it in couplets ----------------------------------
@reader("couplet", r"\b(?:a|one|just a|single)\s+rhyming\s+couplet\b|\b(?:in|as|use|write in)\s+rhyming\s+couplets\b")
def _couplet(m):
    if re.search(r"\b(?:end|close|finish|open|start|begin|conclude)s?\s+(?:\w+\s+)?with\s*$", m.string[:m.start()],
                 re.I):
        return None  # "end with a rhyming couplet": the last two lines, not the whole answer
    return Rhyme("AA", repeat=m.group(0).lower().endswith("couplets"))
