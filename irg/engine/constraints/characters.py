"""Characters: no commas, how often a letter appears."""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import cycle, islice
from typing import ClassVar

from irg.engine.constraints.base import MAX_OPENINGS, Constraint, CountConstraint, Opening, register
from irg.engine.constraints.scope import part_scoped
from irg.engine.constraints.text import _REL, _REL_TEXT, _find, rel_of
from irg.engine.decoding import DecodingConstraints


# ---- punctuation and characters ------------------------------------------------------
# "Don't end lines with commas", "never start a sentence with a comma": an edge of each unit, not every comma
EDGE_BAN = re.compile(r"\b(?:end|ends|ending|start|starts|starting|begin|begins|finish|close)\b", re.I)


EXCEPT = re.compile(r"\s*,?\s*(?:except|apart from|other than|besides|save)\b(?!\s+that\b)", re.I)


@register
@dataclass
class NoCommas(Constraint):
    kind: ClassVar[str] = "no_commas"

    @classmethod
    def extract(cls, p):
        neg = (r"\b(?:no|not|don't|dont|doesn't|cannot|can't|without|avoid\w*|skip\w*|refrain\w*|never|exclude|omit|"
               r"zero|drop|leave out|free of|ban)\b"
               r"[^.\n]{0,30}?\bcommas?\b")
        for m in _find(neg, p):
            if not re.search(r"\bcommas?\b[^.\n]{0,20}\b(?:is|are) (?:fine|ok|okay|allowed)", p[m.start():], re.I) \
                    and not part_scoped(p, m.end()) and not EDGE_BAN.search(m.group(0)) \
                    and not EXCEPT.match(p, m.end()):  # "without commas, except in the title": not all of it
                return [cls()]
        for m in re.finditer(r"\bcommas?\b(?P<gap>[^.\n]{0,25}\b(?:not allowed|forbidden|banned|prohibited|must not|"
                             r"should not|may not)\b)|\bcomma-free\b", p, re.I):
            if not (part_scoped(p, m.end()) or part_scoped(p, m.end() - len(m["gap"] or ""))):
                return [cls()]
        return []

    def check(self, text):
        pos = [i for i, ch in enumerate(text) if ch == ","]
        if pos:
            return [self.finding(f"{len(pos)} comma(s), the first at char {pos[0]}.", f"char {pos[0]}")]
        return []

    def instruction(self):
        return "Do not use any commas; use short sentences or other punctuation instead."

    def forbids_within(self):
        return True

    def decoding(self):
        return DecodingConstraints(banned_chars=[","])

    render_label, render_order = "rendered: commas removed", 1

    def render(self, text):
        text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,000 -> 1000: nothing lost
        return re.sub(r"\s*,\s*", " ", text).replace(" \n", "\n")  # a pause, not a word: prose keeps its words


@register
@dataclass
class LetterFrequency(CountConstraint):
    kind: ClassVar[str] = "letter_frequency"
    asked_for, multi = "a letter count", True
    letter: str = "q"
    rel: str = "at_least"
    n: int = 1

    @classmethod
    def extract(cls, p):
        out = []
        for m in re.finditer(r"\bletter\s+[\"'“‘]?([a-z])[\"'”’]?\b[^.\n]{0,60}?" + _REL + r"\s+(\d+)\s+times",
                             p, re.I):
            out.append(cls(m.group(1).lower(), rel_of(m, p), int(m.group(3))))
        return out

    def count(self, text):
        return text.lower().count(self.letter)

    def counted(self, count):
        return f"The letter '{self.letter}' appears {count} times"

    def instruction(self):
        return f"Use the letter '{self.letter}' {_REL_TEXT[self.rel]} {self.n} times."

    def openings(self, text):
        """Sentences opened with the draft's own words richest in the letter, one per missing occurrence (the
        sentence the model writes after it usually holds more): the words stay the model's."""
        need = self.shortfall(text)
        own = sorted({w for w in re.findall(r"[^\W\d_]{3,}", text) if self.letter in w.lower()},
                     key=lambda w: (-w.lower().count(self.letter), -len(w), w))
        if need <= 0 or not own:
            return []
        return [Opening(w.capitalize(), f"filled: opened a sentence with '{w.capitalize()}' (holds '{self.letter}')")
                for w in islice(cycle(own), min(need, MAX_OPENINGS))]

    def decoding(self):
        if self.rel in ("at_most", "less_than") and self.n <= 0 or (self.rel == "less_than" and self.n == 1):
            return DecodingConstraints(banned_chars=[self.letter, self.letter.upper()])
        if self.rel in ("at_most", "less_than"):  # counted while the model writes (irg/engine/counting.py)
            return DecodingConstraints(limits=[{"letter": self.letter, "n": self.n - (self.rel == "less_than")}])
        return None
