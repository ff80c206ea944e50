"""Numbers of one unit held to a relation: `Count("word", "at_most", 11)` -> "has at most 11 words"."""
from __future__ import annotations

from dataclasses import dataclass

from irg.engine.compose.filters import plural_verb
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
    where: object = None  # only the units it holds for are counted (a Filter or a Count): "words starting with m"

    def __post_init__(self) -> None:
        UNITS.get(self.unit)
        if self.rel not in RELATIONS:
            raise ValueError(f"Unknown relation {self.rel!r}: choose one of {', '.join(RELATIONS)}.")
        if (self.rel == "between") != (self.m is not None):
            raise ValueError("'between' takes two numbers (n and m), the other relations one.")

    def value(self, text: str) -> int:
        units = split(self.unit, text)
        return len(units) if self.where is None else sum(1 for u in units if self.where.holds(u))

    def _what(self, k: int) -> str:
        """'words', '1 word' said of k units, with the filter: 'words starting with the letter m'."""
        u = UNITS.get(self.unit)
        name = u.name if k == 1 else u.plural
        return name if self.where is None else f"{name} {participle(self.where.words(), plural=k != 1)}"

    def _verb(self) -> str:
        return "contains" if self.unit in CONTAINED or self.where is not None else "has"

    def holds(self, text: str) -> bool:
        return RELATIONS[self.rel](self.value(text), self.n, self.m)

    def words(self) -> str:
        if self.rel in ("exactly", "at_most") and self.n == 0:
            return f"{self._verb()} no {self._what(2)}"
        one = (self.m or self.n) == 1 and self.rel not in ("odd", "even")
        return f"{self._verb()} {relation_words(self.rel, self.n, self.m)} {self._what(1 if one else 2)}"

    def failed(self, label: str, text: str) -> str:
        v = self.value(text)
        return f"{label} {self._verb()} {v} {self._what(v)}"

    def found(self, label: str, text: str) -> str:
        """Why one unit breaks a "none" rule, naming it and its count: "word 1 ('Photosynthesis') has 14 letters"."""
        v = self.value(text)
        return f"{label} ({snippet(text)}) {self._verb()} {v} {self._what(v)}"

    def to_dict(self) -> dict:
        return {"count": self.unit, "rel": self.rel, "n": self.n, **({"m": self.m} if self.m is not None else {}),
                **({"where": self.where.to_dict()} if self.where is not None else {})}


def participle(words: str, plural: bool = False) -> str:
    """A test's words said after a noun: "starts with the letter m" -> "starting with the letter m", "has at least 7
    letters" -> "with at least 7 letters", "is a palindrome" -> "that is a palindrome"."""
    head, _, rest = words.partition(" ")
    said = {"starts": "starting", "ends": "ending", "contains": "containing", "has": "with", "begins": "beginning"}
    if head in said:
        return f"{said[head]} {rest}"
    return f"that {plural_verb(words)}" if plural else f"that {words}"
