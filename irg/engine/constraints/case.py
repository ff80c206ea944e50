"""Letter case: all lowercase, all capitals, a number of all-capital words."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from irg.engine.constraints.base import Constraint, CountConstraint, bounds, register
from irg.engine.constraints.text import (_QUOTED, _REL, _REL_TEXT, _find, about_not_asked, negated_before, rel_of,
                                         words)
from irg.engine.decoding import DecodingConstraints


# ---- case ------------------------------------------------------------------------------
# "Put the subject line in ALL CAPS", "the poem itself should be all lowercase", "all lowercase for the tips
# themselves": a case asked of one part (a title, a heading, the body), not of the whole answer; not read as such.
_PART = (r"\b(?:title|heading|header|subject(?:\s+line)?|headline|name|label|first\s+(?:word|line|letter)|greeting|"
         r"sign-?off|signature|acronym|body|itself|themselves|chorus|verse|bridge|refrain|header\s+row)s?"
         r"(?:\s+(?:value|field|text|line|row)s?)?\b")  # "the chorus", "the title value": one part
_WHOLE = r"\b(?:whole|entire|everything|all of it|response|answer(?!\s+key)|reply)\b"  # (an answer key is a part)
# "…; everything else lowercase", "…, the rest normal": the remainder is a part too
_REST = r"\b(?:everything else|all else|the rest|rest (?:in )?(?:normal|regular|lower))\b"


def scoped_to_part(p: str, start: int, end: int) -> bool:
    before = re.split(r"[.;:!?\n,]", p[max(0, start - 60):start])[-1]
    after = re.split(r"[.;:!?\n,]", p[end:end + 40])[0]
    if re.search(_REST, before + " " + re.split(r"[.;:!?\n]", p[end:end + 40])[0], re.I):  # "…, the rest normal"
        return True
    if re.search(_PART + r"\s+(?:that\s+(?:says|reads)|saying|reading)\b", before, re.I):
        return True  # "Make a heading that says SUMMARY in all caps": the part's text is given, and it is a part
    if re.search(_WHOLE, before + " " + after, re.I) \
            or re.match(r"\s*(?:write|suggest|give|create|draft|compose|make)\s+(?:me\s+)?(?:a|an|one)\b", before,
                        re.I):
        return False  # "Write a headline in all caps": the part is the answer
    clause = re.split(r"[.;:!?\n]", p[max(0, start - 80):start])[-1]  # "The first word must be ALERT, in capitals"
    return bool(re.search(_PART + r"(?:\s+\S+){0,6}\s*$", before, re.I)
                or bool(_LEADS.match(clause)) and not re.search(r"\b(?:but|and|while|whereas|though|just|so)\b", clause,
                                                                 re.I))


# "My son hates when stories are all caps", "My friend said 'write everything in capital letters' but …", "…, so
# normal text": a case disliked, reported or overruled is no case to write in
_DISLIKED = re.compile(r"\b(?:hate[sd]?|dislike[sd]?|can't stand|cannot stand|tired of|sick of|not a fan of|instead of|"
                       r"rather than|annoy\w*)\b", re.I)
_NORMAL = re.compile(r"\b(?:normal|regular|ordinary|standard|usual|sentence)\s+(?:case|text|capitali[sz]ation|"
                     r"capitals)\b", re.I)


def case_refused(p: str, start: int) -> bool:
    """Is the case named at `start` disliked, quoted from someone, or overruled by "normal case" in the prompt?"""
    clause = re.split(r"[.;!?\n]", p[max(0, start - 80):start])[-1]
    inside = any(m.start() < start < m.end() for m in _QUOTED.finditer(p))
    return bool(_DISLIKED.search(clause) or inside or _NORMAL.search(p))


# a part as the clause's subject, with its determiner ("Name the planets, in lowercase" is a verb, and "The title is
# up to you, but the poem should be all lowercase" has another subject)
_LEADS = re.compile(r"\s*(?:the|your|its|their|each|every)\s+(?:" + _PART + r"|\w+\s+(?:value|field|entry|column)s?)\s+"
                    r"(?:must|should|has to|needs to|will|is|"
                    r"can|may)\b", re.I)


@register
@dataclass
class Lowercase(Constraint):
    kind: ClassVar[str] = "lowercase"
    asked_for, excludes, covered_by, case_only = "all-lowercase", ("uppercase",), ("uppercase",), True

    @classmethod
    def extract(cls, p):
        low = r"(?:lower[\s-]?case|small letters|non-capital letters)"
        pats = [rf"\b(?:all|only|entirely|entire|completely)\b[^.\n]{{0,40}}?\b{low}",
                rf"\b{low}[^.\n]{{0,20}}?\b(?:only|letters)\b",
                rf"\bin {low}",
                rf"\b(?:keep|make|write|type|have|put)\s+(?:it|everything|all of it|the whole thing|them|"
                r"(?:the\s+)?(?:whole\s+|entire\s+)?(?:text|answer|response|reply|message))\s+"
                rf"(?:all\s+)?(?:in\s+)?{low}",
                rf"\b(?:everything|(?:the\s+)?(?:whole|entire)\s+\w+)\s+(?:in\s+)?{low}",
                r"\b(?:no|without|not use any|do not use|don't use|avoid|not a single)\s+(?:any\s+)?"
                r"(?:capital|upper[\s-]?case)\s+letters?\b",
                r"\bno capitali[sz]ation\b"]
        for pat in pats:
            for m in _find(pat, p):
                if about_not_asked(p, m.start()) \
                        and not re.search(r"\bno\b|\bwithout\b|\bavoid|\bnot\b", m.group(0), re.I):
                    continue
                if re.search(rf"\b(?:no|not|without|never|avoid)\s+(?:any\s+)?{low}", m.group(0), re.I):
                    continue  # "uppercase only, no lowercase letters": the opposite
                if scoped_to_part(p, m.start(), m.end()):
                    continue

                if "capital" in m.group(0).lower() or "upper" in m.group(0).lower() or "capitali" in m.group(0).lower():
                    return [cls()]
                if not negated_before(p, m.start()):
                    return [cls()]
        return []

    def check(self, text):
        caps = [(m.start(), m.group(0)) for m in re.finditer(r"[A-ZÀ-Þ]", text)]
        if caps:
            pos, ch = caps[0]
            return [self.finding(f"{len(caps)} capital letter(s), the first '{ch}' at char {pos}.", f"char {pos}")]
        return []

    def instruction(self):
        return "Write the whole answer in lowercase letters only, with no capital letters at all."

    def forbids_within(self):
        return True

    def decoding(self):
        return DecodingConstraints(lowercase_only=True)

    render_label, render_order = "rendered: lowercase", 2

    def render(self, text):
        return text.lower()


@register
@dataclass
class Uppercase(Constraint):
    kind: ClassVar[str] = "uppercase"
    asked_for, excludes, case_only = "all-capital letters", ("lowercase",), True
    covered_by = ("capital_word_frequency", "lowercase")

    @classmethod
    def extract(cls, p):
        pats = [r"\b(?:all|only|entirely|entire|completely)\b[^.\n]{0,30}?\b(?:capital letters|upper[\s-]?case|caps)\b"
                r"(?!\s+words)",
                r"\bin (?:all )?(?:caps|capitals|capital letters|upper[\s-]?case)\b",
                r"\b(?:capital letters|upper[\s-]?case|caps) only\b"]
        for pat in pats:
            for m in _find(pat, p):
                if re.search(r"\bwords?\s+(?:\w+\s+){0,3}?(?:with\s+|in\s+)?$",
                             p[max(0, m.start() - 40):m.start()], re.I) \
                        or about_not_asked(p, m.start()) or scoped_to_part(p, m.start(), m.end()) \
                        or case_refused(p, m.start()):
                    continue  # "words in all caps ... N times" is capital_word_frequency; "why write in caps?" a topic
                if not negated_before(p, m.start(), 20) and not re.search(r"\bno\b|\bwithout\b", m.group(0), re.I):
                    return [cls()]
        return []

    def check(self, text):
        low = [(m.start(), m.group(0)) for m in re.finditer(r"[a-zß-ÿ]", text)]
        if low:
            pos, ch = low[0]
            return [self.finding(f"{len(low)} lowercase letter(s), the first '{ch}' at char {pos}.", f"char {pos}")]
        return []

    def instruction(self):
        return "Write the whole answer in CAPITAL LETTERS only."

    def forbids_within(self):
        return True

    def decoding(self):
        return DecodingConstraints(uppercase_only=True)

    render_label, render_order = "rendered: uppercase", 2

    def render(self, text):
        return text.upper()


CAPITAL_WORDS = (r"(?:(?:with|in|written in|that are in|that are)\s+(?:all\s+)?"
                 r"(?:capital letters|caps|capitals|upper[\s-]?case))")


@register
@dataclass
class CapitalWordFrequency(CountConstraint):
    kind: ClassVar[str] = "capital_word_frequency"
    asked_for, covered_by = "a number of all-capital words", ("uppercase",)
    noun = r"words?|caps|capitals?|capitali[sz]ed|upper[\s-]?case|times"
    rel: str = "at_least"
    n: int = 1

    @classmethod
    def extract(cls, p):
        m = re.search(r"\b(?:words? (?:with|in) all capital letters|capital(?:i[sz]ed)? words|all[- ]caps words"
                      r"|upper[- ]?case words|words in (?:all )?caps)\b[^.\n]*?" + _REL + r"\s+(\d+)\s+times", p, re.I)
        if m:
            return [cls(rel_of(m, p), int(m.group(2)))]
        m = re.search(_REL + r"\s+(\d+)\s+words?\s+(?:\w+\s+){0,2}?(?:be\s+)?(?:written\s+)?(?:in\s+)?(?:all\s+)?"
                      r"(?:capital letters|caps|capitals|upper[\s-]?case)\b", p, re.I)
        if not m:
            m = re.search(r"\bwords?\s+(?:written\s+)?(?:entirely\s+|fully\s+|completely\s+)?(?:in|with)\s+(?:all\s+)?"
                          r"(?:capital letters|caps|capitals|upper[\s-]?case)\b[^.\n]*?" + _REL + r"\s+(\d+)\s+times",
                          p, re.I)
        return [cls(rel_of(m, p), int(m.group(2)))] if m else []

    def count(self, text):
        return sum(1 for w in words(text) if len(w) > 1 and w.isupper())

    def counted(self, count):
        return f"{count} all-capital words"

    def instruction(self):
        return f"Use {_REL_TEXT[self.rel]} {self.n} words written in ALL CAPITAL letters."

    # Letter case is form: the program capitalises the model's own longest words (or gives extra all-capital words
    # back their ordinary case), never adding or removing a word.
    render_label, render_order = "rendered: words in capitals", 2

    def render(self, text):
        lo, hi = bounds(self)
        count = self.count(text)
        if count < lo:
            plain = [m for m in re.finditer(r"(?<![\w'*<\[])[A-Za-z]*[a-z][A-Za-z]{3,}(?![\w'*>\]])", text)]
            pick = sorted(sorted(plain, key=lambda m: -len(m.group(0)))[:int(lo) - count], key=lambda m: m.start())
            for m in reversed(pick):
                text = text[:m.start()] + m.group(0).upper() + text[m.end():]
        elif count > hi:
            caps = [m for m in re.finditer(r"\b[A-Z]{2,}\b", text)]
            for m in reversed(caps[len(caps) - (count - hi):] if count - hi <= len(caps) else caps):
                text = text[:m.start()] + m.group(0).capitalize() + text[m.end():]
        return text
