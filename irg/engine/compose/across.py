"""Rules across units: an order, a sameness or a difference, a length compared, a word spelled down the side.

    the bullet items are in alphabetical order                Across("bullet item", "alphabetical")
    no two sentences have the same number of words            Across("sentence", "distinct_count", of="word")
    the longest and the shortest paragraphs differ by at most
      10 words                                                Across("paragraph", "spread", of="word", n=10)
    the response has exactly 4 lines whose first letters
      spell H, O, P, E in order                               Acrostic("HOPE")

A kind is a registered unit: its check (the units, their name, the program -> one sentence per break) and its plain
words ({plural}, {name}, {of}: the counted unit's plural, {n}).
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Callable

from irg.engine.compose.filters import first_word, last_word
from irg.engine.compose.sounds import rhymes
from irg.engine.compose.units import HEADING, UNITS, plain, split
from irg.engine.registry import Registry


@dataclass(frozen=True)
class AcrossKind:
    holds: Callable[[list[str], str, "Across"], list[str]]  # (the units, their name, the rule) -> a sentence a break
    words: str  # "the {plural} are in alphabetical order"
    needs: tuple[str, ...] = ()  # the fields the kind reads: "of" (the counted unit), "n"


ACROSS: Registry = Registry("rule across units")


def _kind(name: str, holds: Callable, words: str, needs: tuple[str, ...] = ()) -> None:
    ACROSS.register(name, AcrossKind(holds, words, needs))


# ---- order ------------------------------------------------------------------------------------------------------
def _alphabetical(units: list[str], name: str, p=None) -> list[str]:
    keys = [plain(u).strip().lower() for u in units]
    return [f"{name} {i + 1} ({units[i]!r}) comes before {name} {i} ({units[i - 1]!r}) alphabetically"
            for i in range(1, len(keys)) if keys[i] < keys[i - 1]]


def _numbers(strict: int) -> Callable:
    """Numbers in order: strict 1 increasing, -1 non-increasing (ties allowed going down: "from highest to lowest")."""
    def holds(units: list[str], name: str, p=None) -> list[str]:
        v = [float(u.replace(",", "")) for u in units]
        return [f"{name} {i + 1} ({units[i]}) comes after {units[i - 1]}" for i in range(1, len(v))
                if not (v[i] > v[i - 1] if strict == 1 else v[i] <= v[i - 1])]
    return holds


def _initial(u: str) -> str:
    return next((c for c in plain(u) if c.isalpha()), "").lower()


def _abecedarian(units: list[str], name: str, p=None) -> list[str]:
    """Unit n starts with the nth letter of the alphabet, from A (a 27th unit has no letter: it breaks the rule)."""
    abc = string.ascii_lowercase
    return [f"{name} {i} starts with '{_initial(u)}', not '{abc[i - 1] if i <= 26 else '-'}'"
            for i, u in enumerate(units, 1) if i > 26 or _initial(u) != abc[i - 1]]


_kind("alphabetical", _alphabetical, "the {plural} are in alphabetical order")
_kind("alphabetical_initials", lambda units, name, p=None: _alphabetical([_initial(u) for u in units], name),
      "the first letters of the {plural} are in alphabetical order")
_kind("reverse_alphabetical", lambda units, name, p=None: _alphabetical(units[::-1], name),
      "the {plural} are in reverse alphabetical order")
_kind("increasing", _numbers(1), "the {plural} appear in increasing order")
_kind("non_increasing", _numbers(-1), "the {plural} appear in non-increasing order")
def _chain(units: list[str], name: str, p=None) -> list[str]:
    """Each unit after the first starts with the last letter of the one before it (a word chain)."""
    last = [next((c for c in reversed(plain(u).lower()) if c.isalpha()), "") for u in units]
    return [f"{name} {i + 1} starts with '{_initial(units[i])}', {name} {i} ends with '{last[i - 1]}'"
            for i in range(1, len(units)) if _initial(units[i]) != last[i - 1]]


_kind("chain", _chain, "each {name} after the first starts with the last letter of the {name} before it")
_kind("abecedarian", _abecedarian, "{name} n starts with the nth letter of the alphabet, starting from A")


# ---- sameness and difference ------------------------------------------------------------------------------------
def _distinct(key: Callable[[str], str], what: str, consecutive: bool = False) -> Callable:
    def holds(units: list[str], name: str, p=None) -> list[str]:
        seen: dict[str, int] = {}
        out = []
        for i, u in enumerate(units, 1):
            k = key(u)
            if consecutive:
                if i > 1 and k and k == key(units[i - 2]):
                    out.append(f"{name} {i} {what} '{k}', as {name} {i - 1} does")
                continue
            if k and k in seen:
                out.append(f"{name} {i} {what} '{k}', as {name} {seen[k]} does")
            seen.setdefault(k, i)
        return out
    return holds


def _rhyming_neighbours(units: list[str], name: str, p=None) -> list[str]:
    ends = [last_word(u) for u in units]
    return [f"{name} {i + 1} ('{ends[i]}') rhymes with {name} {i} ('{ends[i - 1]}')" for i in range(1, len(ends))
            if rhymes(ends[i], ends[i - 1])]


def _same(key: Callable[[str], str], what: str) -> Callable:
    def holds(units: list[str], name: str, p=None) -> list[str]:
        first = key(units[0]) if units else ""
        return [f"{name} {i} {what} '{key(u)}', {name} 1 with '{first}'" for i, u in enumerate(units[1:], 2)
                if key(u) != first]
    return holds


def _lines(u: str) -> list[str]:
    return [ln.strip() for ln in u.splitlines() if ln.strip()]


def _key(line: str) -> str:
    """A line as a refrain is heard: case and the closing mark aside ("Home again." is "home again")."""
    return plain(line).strip().rstrip(".!?,;:").strip().lower()


def _first_line(u: str) -> str:
    return _key(_lines(u)[0]) if _lines(u) else ""


def _last_line(u: str) -> str:
    return _key(_lines(u)[-1]) if _lines(u) else ""


_kind("distinct_first_word", _distinct(first_word, "starts with"), "no two {plural} start with the same word")
_kind("distinct_first_letter", _distinct(lambda u: first_word(u)[:1], "starts with"),
      "no two {plural} start with the same letter")
_kind("consecutive_distinct_first_letter", _distinct(lambda u: first_word(u)[:1], "starts with", consecutive=True),
      "no two consecutive {plural} start with the same letter")
_kind("consecutive_distinct_last_word", _distinct(last_word, "ends with", consecutive=True),
      "no two consecutive {plural} end with the same word")
_kind("distinct_last_word", _distinct(last_word, "ends with"), "no two {plural} end with the same word")
_kind("consecutive_distinct_first_word", _distinct(first_word, "starts with", consecutive=True),
      "no two consecutive {plural} start with the same word")
_kind("distinct_words", _distinct(lambda u: u.lower(), "is"), "no {name} appears more than once")
_kind("same_first_word", _same(first_word, "starts with"), "all {plural} start with the same word")
_kind("no_rhyming_neighbours", _rhyming_neighbours, "no two consecutive {plural} rhyme")
_kind("same_first_letter", _same(lambda u: first_word(u)[:1], "starts with"), "all {plural} start with the same letter")
_kind("same_last_word", _same(last_word, "ends with"), "all {plural} end with the same word")
_kind("same_first_line", _same(_first_line, "starts with the line"), "all {plural} start with the same line")
_kind("same_last_line", _same(_last_line, "ends with the line"), "all {plural} end with the same line")


# ---- lengths compared: counts of `of` in each unit --------------------------------------------------------------
def _counts(units: list[str], p: Across) -> list[int]:
    return [len(split(p.of, u)) for u in units]


def _growing(sign: int) -> Callable:
    def holds(units: list[str], name: str, p=None) -> list[str]:
        n = [len(split("word", u)) for u in units]
        return [f"{name} {i + 1} has {n[i]} words, {name} {i} has {n[i - 1]}" for i in range(1, len(n))
                if not (n[i] - n[i - 1]) * sign > 0]
    return holds


def _count_differs(consecutive: bool) -> Callable:
    def holds(units: list[str], name: str, p: Across) -> list[str]:
        n, out = _counts(units, p), []
        for i in range(1, len(n)):
            j = next((j for j in ([i - 1] if consecutive else range(i)) if n[j] == n[i]), None)
            if j is not None:
                out.append(f"{name} {i + 1} has {n[i]} {UNITS.get(p.of).plural}, as {name} {j + 1} does")
        return out
    return holds


def _same_count(units: list[str], name: str, p: Across) -> list[str]:
    n = _counts(units, p)
    return [f"{name} {i} has {k} {UNITS.get(p.of).plural}, {name} 1 has {n[0]}" for i, k in enumerate(n[1:], 2)
            if k != n[0]]


def _spread(units: list[str], name: str, p: Across) -> list[str]:
    n = _counts(units, p)
    if not n or max(n) - min(n) <= p.n:
        return []
    return [f"{name} {n.index(max(n)) + 1} has {max(n)} {UNITS.get(p.of).plural} and {name} {n.index(min(n)) + 1} "
            f"has {min(n)}, {max(n) - min(n)} apart"]


def _extreme(at: int, fewest: bool) -> Callable:
    """The unit at `at` (0 first, -1 last) has the fewest (or most) of `of`: no other has fewer (more)."""
    def holds(units: list[str], name: str, p: Across) -> list[str]:
        n = _counts(units, p)
        if not n:
            return []
        k = len(n) - 1 if at == -1 else at
        return [f"{name} {i + 1} has {v} {UNITS.get(p.of).plural}, the {'last' if at == -1 else 'first'} {name} "
                f"{n[k]}" for i, v in enumerate(n) if i != k and (v < n[k] if fewest else v > n[k])]
    return holds


def _at_extreme(fewest: bool, middle: bool = False) -> Callable:
    """The nth unit (p.n, from 1), or the middle one of an odd number, has the most (or fewest) of `of`."""
    def holds(units: list[str], name: str, p: Across) -> list[str]:
        n = _counts(units, p)
        if middle and len(n) % 2 == 0:
            return [f"the response has {len(n)} {UNITS.get(p.unit).plural}: no single middle {name}"] if n else []
        k = len(n) // 2 if middle else p.n - 1
        if k >= len(n):
            return [f"the response has only {len(n)} {UNITS.get(p.unit).plural}: there is no {name} {k + 1}"]
        return [f"{name} {i + 1} has {v} {UNITS.get(p.of).plural}, {name} {k + 1} {n[k]}" for i, v in enumerate(n)
                if i != k and (v <= n[k] if fewest else v >= n[k])]  # "the longest": longer than every other
    return holds


def _ordered(sign: int, strict: bool) -> Callable:
    """Counts of `of` that rise (sign 1) or fall (-1) from unit to unit, strictly or not."""
    def holds(units: list[str], name: str, p: Across) -> list[str]:
        n, of = _counts(units, p), UNITS.get(p.of).plural
        return [f"{name} {i + 1} has {n[i]} {of}, {name} {i} has {n[i - 1]}" for i in range(1, len(n))
                if not ((n[i] - n[i - 1]) * sign > 0 or (not strict and n[i] == n[i - 1]))]
    return holds


def _mean(rel: str) -> Callable:
    """The mean count of `of` per unit, held to a limit ("the average sentence under 20 words")."""
    test = {"less_than": lambda x, n: x < n, "more_than": lambda x, n: x > n, "at_most": lambda x, n: x <= n,
            "at_least": lambda x, n: x >= n}[rel]

    def holds(units: list[str], name: str, p: Across) -> list[str]:
        n = _counts(units, p)
        mean = sum(n) / len(n) if n else 0.0
        return [] if n and test(mean, p.n) else [f"the {UNITS.get(p.unit).plural} have {mean:.1f} "
                                                 f"{UNITS.get(p.of).plural} on average"]
    return holds


def _runs(units: list[str], name: str, p: Across) -> list[str]:
    """Somewhere, at least n units in a row start with the same word (anaphora)."""
    keys, best, run = [first_word(u) for u in units], 0, 0
    for i, k in enumerate(keys):
        run = run + 1 if i and k and k == keys[i - 1] else 1
        best = max(best, run)
    return [] if best >= p.n else [f"at most {best} {UNITS.get(p.unit).plural} in a row start with the same word"]


def _opener_limit(units: list[str], name: str, p: Across) -> list[str]:
    """No word opens more than n units."""
    seen: dict[str, list[int]] = {}
    for i, u in enumerate(units, 1):
        if w := first_word(u):
            seen.setdefault(w, []).append(i)
    return [f"'{w}' starts {UNITS.get(p.unit).plural} {', '.join(map(str, at))}" for w, at in seen.items()
            if len(at) > p.n]


def _counting(units: list[str], name: str, p=None) -> list[str]:
    """Numbered lists that run 1, 2, 3 ...: at least one; a list may start again at 1 (a second list)."""
    if not units:
        return ["there is no numbered list"]
    return [f"item {i + 1} is numbered {u}, after {units[i - 1]}" for i, u in enumerate(units)
            if i and u != "1" and int(u) != int(units[i - 1]) + 1] + (["the first list starts at " + units[0]]
                                                                      if units[0] != "1" else [])


PRICE = re.compile(r"[$€£¥]\s?(\d[\d,]*(?:\.\d+)?)|(\d[\d,]*(?:\.\d+)?)\s?(?:[€£]|dollars?\b|euros?\b|pounds?\b)", re.I)


def _cheapest_first(units: list[str], name: str, p=None) -> list[str]:
    """The first price in each unit does not fall from one unit to the next (units without a price break it)."""
    prices = [(m.group(1) or m.group(2)) if (m := PRICE.search(u)) else None for u in units]
    out = [f"{name} {i} has no price" for i, x in enumerate(prices, 1) if x is None]
    v = [float(x.replace(",", "")) for x in prices if x is not None]
    return out + [f"the price of {name} {i + 1} is less than the one before it" for i in range(1, len(v))
                  if not out and v[i] < v[i - 1]]


_kind("mean_less_than", _mean("less_than"), "the mean number of {of} per {name} is less than {n}", ("of", "n"))
_kind("mean_more_than", _mean("more_than"), "the mean number of {of} per {name} is more than {n}", ("of", "n"))
_kind("mean_at_most", _mean("at_most"), "the mean number of {of} per {name} is at most {n}", ("of", "n"))
_kind("mean_at_least", _mean("at_least"), "the mean number of {of} per {name} is at least {n}", ("of", "n"))
_kind("same_first_word_run", _runs, "at least {n} consecutive {plural} start with the same word", ("n",))
_kind("opener_limit", _opener_limit, "no word is the first word of more than {n} {plural}", ("n",))
_kind("counting", _counting, "each numbered list runs 1, 2, 3 and so on")
_kind("cheapest_first", _cheapest_first, "the {plural} are in order of their prices, lowest first")
_kind("more_words", _growing(1), "each {name} has more words than the {name} before it")
_kind("more_count", _ordered(1, True), "each {name} has more {of} than the {name} before it", ("of",))
_kind("fewer_count", _ordered(-1, True), "each {name} has fewer {of} than the {name} before it", ("of",))
_kind("ascending_count", _ordered(1, False), "each {name} has at least as many {of} as the {name} before it", ("of",))
_kind("descending_count", _ordered(-1, False), "each {name} has at most as many {of} as the {name} before it",
      ("of",))
_kind("fewer_words", _growing(-1), "each {name} has fewer words than the {name} before it")
_kind("distinct_count", _count_differs(False), "no two {plural} have the same number of {of}", ("of",))
_kind("consecutive_distinct_count", _count_differs(True), "no two consecutive {plural} have the same number of {of}",
      ("of",))
_kind("same_count", _same_count, "all {plural} have the same number of {of}", ("of",))
_kind("spread", _spread, "the longest and the shortest {plural} differ by at most {n} {of}", ("of", "n"))
_kind("last_fewest", _extreme(-1, True), "no {name} has fewer {of} than the last {name}", ("of",))
_kind("last_most", _extreme(-1, False), "no {name} has more {of} than the last {name}", ("of",))
_kind("first_fewest", _extreme(0, True), "no {name} has fewer {of} than the first {name}", ("of",))
_kind("first_most", _extreme(0, False), "no {name} has more {of} than the first {name}", ("of",))
_kind("nth_fewest", _at_extreme(True), "{name} {n} has fewer {of} than any other {name}", ("of", "n"))
_kind("nth_most", _at_extreme(False), "{name} {n} has more {of} than any other {name}", ("of", "n"))
_kind("middle_fewest", _at_extreme(True, True), "there is an odd number of {plural} and the middle one has fewer {of} "
      "than any other", ("of",))
_kind("middle_most", _at_extreme(False, True), "there is an odd number of {plural} and the middle one has more {of} "
      "than any other", ("of",))


@dataclass(frozen=True)
class Across:
    unit: str
    kind: str
    of: str | None = None  # the unit counted in each, for the kinds that compare lengths
    n: int | None = None  # how far apart lengths may be ("spread")

    def __post_init__(self) -> None:
        UNITS.get(self.unit)
        needs = ACROSS.get(self.kind).needs
        for kinds, units in ((("increasing", "non_increasing"), ("number", "year")), (("counting",), ("list number",))):
            if (self.kind in kinds) != (self.unit in units):  # the orders of values, and what has those values
                raise ValueError(f"'{self.kind}' is not an order of '{self.unit}' units" if self.kind in kinds
                                 else f"'{self.unit}' units are ordered by value, not '{self.kind}'")
        if ("of" in needs) != (self.of is not None) or ("n" in needs) != (self.n is not None):
            raise ValueError(f"The rule across units '{self.kind}' takes " +
                             (" and ".join(f"'{f}'" for f in needs) if needs else "no 'of' or 'n'") + ".")
        if self.of is not None:
            UNITS.get(self.of)
        if self.n is not None and not (isinstance(self.n, int) and self.n >= (1 if self.kind.startswith("nth") else 0)):
            raise ValueError("'n' is a whole number, 0 or more (a position: 1 or more).")

    def check(self, text: str) -> list[str]:
        return ACROSS.get(self.kind).holds(split(self.unit, text), self.unit, self)

    def describe(self) -> str:
        of = "" if not self.of else UNITS.get(self.of).name if self.n == 1 else UNITS.get(self.of).plural
        return ACROSS.get(self.kind).words.format(plural=UNITS.get(self.unit).plural, name=self.unit, n=self.n, of=of)

    def to_dict(self) -> dict:
        return {"across": {"unit": self.unit, "kind": self.kind, **({"of": self.of} if self.of else {}),
                           **({"n": self.n} if self.n is not None else {})}}


@dataclass(frozen=True)
class Acrostic:
    """Exactly len(letters) units whose first letters spell `letters` in order ("an acrostic on HOPE")."""
    letters: str
    unit: str = "line"

    def __post_init__(self) -> None:
        UNITS.get(self.unit)
        if not (self.letters.isalpha() and self.letters.isascii() and 2 <= len(self.letters) <= 26):
            raise ValueError("An acrostic spells 2 to 26 letters (A to Z).")

    def check(self, text: str) -> list[str]:
        units, u = split(self.unit, text), UNITS.get(self.unit)
        if self.unit == "line" and units and HEADING.match(units[0]):
            units = units[1:]  # a title above the poem ("# Spring") is not its first line
        out = [f"the response has {len(units)} {u.plural} (the word has {len(self.letters)} letters)"] \
            if len(units) != len(self.letters) else []
        return out + [f"{u.name} {i} starts with '{_initial(x)}', not '{want.lower()}'"
                      for i, (x, want) in enumerate(zip(units, self.letters), 1) if _initial(x) != want.lower()]

    def describe(self) -> str:
        return (f"the response has exactly {len(self.letters)} {UNITS.get(self.unit).plural} whose first letters "
                f"spell {', '.join(self.letters.upper())} in order")

    def to_dict(self) -> dict:
        return {"acrostic": {"letters": self.letters, "unit": self.unit}}
