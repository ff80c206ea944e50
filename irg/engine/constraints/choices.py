"""Choosing: the answer is exactly one of a list of options ("Answer with 'Approved' or 'Rejected'")."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from irg.engine.constraints.base import Constraint, lit, register
from irg.engine.constraints.text import EDGE_OF, more_after, negated_before, quoted_run


@register
@dataclass
class ChooseFrom(Constraint):
    kind: ClassVar[str] = "choose_from"
    asked_for = "one of a list of options"
    options: list[str] = field(default_factory=list)

    @classmethod
    def extract(cls, p):
        lead = (r"\b(?:answer|respond|reply|response|output)\w*\s+(?:(?:must|should|has to|needs to)\s+)?"
                r"(?:(?:contain|be|include|use|with)\s+)?"
                r"(?:only\s+|exactly\s+|just\s+)*(?:one|1)\s+of\s*"
                r"(?:the\s+)?(?:following\s+)?(?:options|phrases|choices|answers)?\s*:?\s*"
                r"|\bchoose\s+(?:one\s+|your\s+answer\s+)?(?:from|between|among)\s*"
                r"(?:the\s+)?(?:following\s+)?(?:options)?\s*:?\s*"
                r"|\b(?:options|choices)\s+(?:are|is)\s*:?\s*"
                r"|\b(?:answer|respond|reply)\w*\s+(?:only\s+)?with\s+(?=[\"“'‘][^\n]+?[\"”'’]\s*(?:,|or)\s*[\"“'‘])")
        m = next((x for x in re.finditer(lead, p, re.I)  # "Start your answer with 'Yes' or 'No'": only its opening
                  if not re.search(EDGE_OF + "$",
                                   p[max(0, x.start() - 25):x.start()], re.I)), None)
        if not m or negated_before(p, m.start()):
            return []
        rest = p[m.end():].split("\n\n")[0]
        if more_after(rest):
            return []  # "answer 'yes' or 'no' first, then explain": an opening, and more after it
        opts = quoted_run(rest)
        if not opts:  # unquoted: "apple, banana, cherry" or "My answer is yes., My answer is no."
            line = re.split(r"(?<=[a-z])\.\s+(?=[A-Z])", rest.split("\n")[0])[0]  # the list ends with its sentence
            opts = [o.strip(" .") for o in re.split(r",\s*(?:or\s+)?|\s+or\s+|/", line) if o.strip(" .")]
            opts = [re.sub(r"\s*\(.*$", "", o) for o in opts if len(o.split()) <= 8]
        return [cls(opts)] if len(opts) >= 2 else []

    def check(self, text):
        t = text.strip().lower()
        hits = [o for o in self.options if o.lower() in t]
        if len(hits) != 1 or not t.startswith(hits[0].lower().rstrip(".")[:max(1, len(hits[0]) // 2)]):
            return [self.finding("The answer must be exactly one of: " + " / ".join(self.options) + ".",
                                 "whole answer")]
        return []

    def instruction(self):
        return "Answer with exactly one of these options and nothing else: " + " / ".join(self.options)

    def required_texts(self):
        return [(list(self.options), False)]

    body_priority, closed = 70, True

    def grammar_body(self):
        return " | ".join(lit(o) for o in self.options), 1, ""
