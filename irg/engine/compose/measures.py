"""Numbers of one unit held to a relation: `Count("word", "at_most", 11)` -> "has at most 11 words"."""
from __future__ import annotations

from dataclasses import dataclass

from irg.engine.compose.units import MARK_UNITS, UNITS, snippet, split

CONTAINED = MARK_UNITS | {"quoted span"}  # what a unit "contains" rather than "has"

RELATIONS = {"at_least": lambda x, n, m: x >= n, "at_most": lambda x, n, m: x <= n,
             "exactly": lambda x, n, m: x == n, "between": lambda x, n, m: n <= x <= m,
             "odd": lambda x, n, m: x % 2 == 1, "even": lambda x, n, m: x % 2 == 0}


def relation_words(rel: str, n, m=None) -> str:
    if rel in ("odd", "even"):
        return f"an {rel} number of"
    return f"between {n} and {m}" if rel == "between" else f"{rel.replace('_', ' ')} {n}"


@dataclass(frozen=True)
class Count:
    """How many `unit`s a unit has (words in a sentence, sentences in a paragraph, characters in a line)."""
    unit: str
    rel: str
    n: int
    m: int | None = None  # between n and m

    def __post_init__(self) -> None:
        UNITS.get(self.unit)
        if self.rel not in RELATIONS:
            raise ValueError(f"Unknown relation {self.rel!r}: choose one of {', '.join(RELATIONS)}.")
        if (self.rel == "between") != (self.m is not None):
            raise ValueError("'between' takes two numbers (n and m), the other relations one.")

    def value(self, text: str) -> int:
        return len(split(self.unit, text))

    def holds(self, text: str) -> bool:
        return RELATIONS[self.rel](self.value(text), self.n, self.m)

    def words(self) -> str:
        u = UNITS.get(self.unit)
        verb = "contains" if self.unit in CONTAINED else "has"
        if self.rel in ("exactly", "at_most") and self.n == 0:
            return f"{verb} no {u.plural}"
        one = (self.m or self.n) == 1 and self.rel not in ("odd", "even")
        return f"{verb} {relation_words(self.rel, self.n, self.m)} {u.name if one else u.plural}"

    def failed(self, label: str, text: str) -> str:
        v, u = self.value(text), UNITS.get(self.unit)
        verb = "contains" if self.unit in CONTAINED else "has"
        return f"{label} {verb} {v} {u.name if v == 1 else u.plural} (the rule: {self.words()})"

    def found(self, label: str, text: str) -> str:
        """Why one unit breaks a "none" rule, naming it and its count: "word 1 ('Photosynthesis') has 14 letters"."""
        v, u = self.value(text), UNITS.get(self.unit)
        verb = "contains" if self.unit in CONTAINED else "has"
        return f"{label} ({snippet(text)}) {verb} {v} {u.name if v == 1 else u.plural}"

    def to_dict(self) -> dict:
        return {"count": self.unit, "rel": self.rel, "n": self.n, **({"m": self.m} if self.m is not None else {})}
