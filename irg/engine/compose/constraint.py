"""A program as a constraint the loop knows: checked like the other types, its findings naming the units that broke
it, its instruction the program in plain words. It is never read by the constraint patterns (`extract` finds
nothing): the program reader gives it to a clause no type reads (irg/engine/constraints/detect.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from irg.engine.compose import enforce, unit_grammars
from irg.engine.compose.across import Across
from irg.engine.compose.filters import Filter
from irg.engine.compose.measures import Count
from irg.engine.compose.program import Rule, program_from_dict
from irg.engine.constraints.base import Constraint, ConstraintError, register


ALWAYS_THERE = ("response", "paragraph", "line", "sentence")  # units any non-empty answer has at least one of


@register
@dataclass
class Composed(Constraint):
    kind: ClassVar[str] = "composed"
    detected: ClassVar[bool] = False  # the program reader reads it, never the detector's classifier
    program: dict

    def __post_init__(self) -> None:
        try:
            self._program = program_from_dict(self.program)
        except (KeyError, TypeError, ValueError) as e:  # ConfigError is a ValueError
            raise ConstraintError(f"constraint 'composed': field 'program' is not a program ({e}).") from e

    @classmethod
    def extract(cls, prompt):
        return []

    def says(self) -> str:
        """The program in plain words: "each sentence has at most 11 words"."""
        return self._program.describe()

    def check(self, text):
        problems = self._program.check(text)
        if not problems:
            return []
        more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        # the plan names the first unit that broke it, without quoting it: a 135M model copies a quoted snippet, or
        # a nested "(the rule: ...)", into its next draft
        first = re.sub(r" \((?:'[^']*'|\"[^\"]*\")\)", "", problems[0])
        return [self.finding(f"Not met: {self.says()}: " + "; ".join(problems[:3]) + more,
                             fix=f"Make sure {self.says()} ({first}).")]

    def instruction(self):
        return f"Make sure {self.says()}."

    def decoding(self):
        """A mask or a grammar that meets the program by construction, where one exists (compose/enforce.py)."""
        return enforce.decoding(self._program)

    @property
    def render_label(self) -> str:  # the types say it once per class; a program's depends on the program
        return enforce.render_label(self._program)

    def render(self, text):
        return enforce.render(self._program, text)

    def part_limit(self) -> dict | None:
        """Each paragraph's most words or sentences ("each paragraph has at most 60 words"), for parts.py."""
        p = self._program
        if isinstance(p, Rule) and p.quant.kind == "each" and p.select.unit == "paragraph" and p.select.nth is None \
                and p.select.within is None and not p.select.inner and isinstance(p.test, Count) \
                and p.test.unit in ("word", "sentence") and p.test.where is None \
                and p.test.rel in ("at_most", "exactly", "between"):
            return {"unit": p.test.unit, "n": p.test.m if p.test.rel == "between" else p.test.n}
        return None

    def part_least(self) -> dict | None:
        """Each paragraph's least words or sentences ("each paragraph has 4 to 6 sentences"), for parts.py."""
        p = self._program
        if isinstance(p, Rule) and p.quant.kind == "each" and p.select.unit == "paragraph" and p.select.nth is None \
                and p.select.within is None and not p.select.inner and isinstance(p.test, Count) \
                and p.test.unit in ("word", "sentence") and p.test.where is None \
                and p.test.rel in ("at_least", "exactly", "between") and p.test.n > 1:
            return {"unit": p.test.unit, "n": p.test.n}
        return None

    def part_opening(self) -> str:
        """An outline line that opens each paragraph as this asks (a question, a one-word sentence), for parts.py."""
        return unit_grammars.opening_item(self._program)

    def forbids_within(self) -> bool:
        """A banned mark or letter breaks any text that holds it; so does a text over a limit on every unit of a kind
        ("each line has at most 2 words"): inside a longer text, the unit that holds it only grows."""
        p = self._program
        per_unit = (isinstance(p, Rule) and p.select.nth is None and p.select.within is None and not p.select.inner
                    and p.select.unit in ALWAYS_THERE + ("word",)  # not "the subject line": a text may have none
                    and isinstance(p.test, Count)
                    and ((p.quant.kind == "each" and p.test.rel == "at_most")  # "each word has at most 7 letters"
                         or (p.quant.kind == "none" and p.test.rel in ("at_least", "more_than"))))  # "no word has 8+"
        return bool(enforce.banned(p)) or per_unit or (isinstance(p, Across) and p.kind == "distinct_words")

    def required_texts(self) -> list[tuple[list[str], bool]]:
        """What every unit of a kind that any answer has (a line, a sentence, a paragraph) must start or end with
        ("each line starts with the word 'Eerie'", "each sentence ends with a question mark"): that text, once at
        least; case does not matter to these checks."""
        p = self._program
        if not (isinstance(p, Rule) and p.quant.kind == "each" and p.select.nth is None and p.select.within is None
                and p.select.unit in ALWAYS_THERE and isinstance(p.test, Filter)
                and p.test.name in ("first_word", "last_word", "starts_with", "ends_with")
                and isinstance(p.test.arg, str) and p.test.arg.strip()):
            return []
        return [([p.test.arg], False)]

    def to_dict(self) -> dict:
        return {"kind": self.kind, "program": self.program}


def said(constraint: dict, plain: bool = True) -> str:
    """How a constraint's dict is named to a user: a composed one by its program in plain words, the others by their
    kind (`plain`: with spaces for underscores)."""
    if constraint.get("kind") == "composed":
        try:
            return program_from_dict(constraint["program"]).describe()
        except (KeyError, TypeError, ValueError):
            return "composed"
    kind = str(constraint.get("kind", ""))
    return kind.replace("_", " ") if plain else kind
