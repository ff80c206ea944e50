"""Two units compared: "the first paragraph shorter than the second", "your conclusion shorter than your introduction".

    the first paragraph has fewer words than the second        Compare("paragraph", 1, 2, "fewer")
    the last paragraph has fewer words than the first          Compare("paragraph", -1, 1, "fewer")

Length is counted in words, as "the longest sentence" is (shapes.py). Positions count from 1; -1 is the last unit.
A missing unit breaks the rule and says so ("there is no paragraph 2"). Never guessed: "the intro" is the first
paragraph and "the conclusion" the last only when both sides of the comparison are such parts (the readers
are in shapes.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from irg.engine.compose.filters import last_word
from irg.engine.compose.sounds import rhymes
from irg.engine.compose.units import UNITS, split

def _place(at: int, name: str) -> str:
    return f"the last {name}" if at == -1 else f"{name} {at}"


@dataclass(frozen=True)
class Compare:
    unit: str
    a: int  # the unit said to be shorter or longer (1 = first, -1 = last)
    b: int  # the unit it is compared with
    rel: str  # "fewer" or "more" words than b
    of: str = "word"

    def __post_init__(self) -> None:
        UNITS.get(self.unit)
        UNITS.get(self.of)
        if self.rel not in ("fewer", "more"):
            raise ValueError(f"A comparison is 'fewer' or 'more', not '{self.rel}'.")
        if self.a == self.b or 0 in (self.a, self.b) or min(self.a, self.b) < -1:
            raise ValueError("A comparison is between two different units (positions from 1, or -1 for the last).")

    def check(self, text: str) -> list[str]:
        units, u = split(self.unit, text), UNITS.get(self.unit)
        idx = [len(units) - 1 if at == -1 else at - 1 for at in (self.a, self.b)]
        missing = [at for at, i in zip((self.a, self.b), idx) if not 0 <= i < len(units)]
        has = f"the response has {len(units)} {u.name if len(units) == 1 else u.plural}"
        if missing:
            at = max(missing)  # a numbered unit before "the last" (-1)
            return [f"{has}: there is no {'last ' + u.name if at == -1 else f'{u.name} {at}'} to compare"]
        if idx[0] == idx[1]:  # "the last" is the other unit itself
            return [f"{has}: the last {u.name} is {u.name} {len(units)} itself, so there are not two to compare"]
        n = [len(split(self.of, units[i])) for i in idx]
        if (n[0] < n[1]) if self.rel == "fewer" else (n[0] > n[1]):
            return []
        of = UNITS.get(self.of).plural
        return [f"{_place(self.a, u.name)} has {n[0]} {of}, {_place(self.b, u.name)} {n[1]}"]

    def describe(self) -> str:
        u = UNITS.get(self.unit).name
        first = _place(self.a, u)
        second = "the first " + u if self.b == 1 and self.a == -1 else _place(self.b, u)
        return f"{first} has {self.rel} {UNITS.get(self.of).plural} than {second}"

    def to_dict(self) -> dict:
        return {"compare": {"unit": self.unit, "a": self.a, "b": self.b, "rel": self.rel, "of": self.of}}


# ---- two named lines rhyme (verse.py reads it) --------------------------------------------------------------
@dataclass(frozen=True)
class RhymePair:
    """Line a rhymes with line b (from 1; -1 the last), in the response or (per="paragraph") in each stanza."""
    a: int
    b: int
    per: str | None = None

    def __post_init__(self) -> None:
        if self.a == self.b or 0 in (self.a, self.b) or min(self.a, self.b) < -1 or max(self.a, self.b) > 100:
            raise ValueError("A rhyme pair is two different lines (positions from 1, or -1 for the last).")
        if self.per not in (None, "paragraph"):
            raise ValueError("A rhyme pair holds in the response or in each paragraph.")

    def check(self, text: str) -> list[str]:
        if self.per:
            return [f"in paragraph {k}, {p}" for k, para in enumerate(split(self.per, text), 1)
                    for p in RhymePair(self.a, self.b).check(para)]
        lines = split("line", text)
        at = [len(lines) if x == -1 else x for x in (self.a, self.b)]
        if max(at) > len(lines) or at[0] == at[1]:
            return [f"there are {len(lines)} lines: no line {max(at)} to rhyme with"]
        w = [last_word(lines[i - 1]) for i in at]
        return [] if rhymes(*w) else [f"line {at[0]} ('{w[0]}') does not rhyme with line {at[1]} ('{w[1]}')"]

    def describe(self) -> str:
        said = [("the last line" if x == -1 else f"line {x}") for x in (self.a, self.b)]
        return ("in each paragraph, " if self.per else "") + f"{said[0]} rhymes with {said[1]}"

    def to_dict(self) -> dict:
        return {"rhyme_pair": {"a": self.a, "b": self.b, **({"per": self.per} if self.per else {})}}
