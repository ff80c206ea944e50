"""Programs: which units a rule speaks of (Select), how many of them must pass (the quantifier), and what each must
be or have (a Filter or a Count); or an order/sameness across units (Across). A program checks a text, naming the
units that break it, and says itself in plain words."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from irg.engine.compose.across import ACROSS, Across, Acrostic  # noqa: F401 — rules across units live there
from irg.engine.compose.filters import Filter, last_word, plural_verb
from irg.engine.compose.measures import RELATIONS, Count, relation_words
from irg.engine.compose.pairs import Compare, RhymePair
from irg.engine.compose.sounds import rhymes, rime  # noqa: F401 — rime is said here too
from irg.engine.compose.units import UNITS, snippet, split

Test = Union[Filter, Count]
FRACTIONS = {1 / 3: "one third", 2 / 3: "two thirds"}  # said in words: 33% would not be "a third"
SHARE_WORDS = {"share_at_least": "at least", "share_at_most": "at most", "share_more_than": "more than",
               "share_less_than": "less than"}
ORDINALS = {1: "first", 2: "2nd", 3: "3rd", -1: "last"}


def ordinal(n: int) -> str:
    return ORDINALS.get(n, f"{n}th")


@dataclass(frozen=True)
class Select:
    """The units of a kind (in each unit of `within`), or only the nth of them (1-based; -1 = the last), or (`inner`)
    those between the first and the last ("the body paragraphs")."""
    unit: str
    nth: int | None = None
    within: Select | None = None
    inner: bool = False

    def __post_init__(self) -> None:
        UNITS.get(self.unit)
        if self.inner and (self.nth is not None or UNITS.get(self.unit).single):
            raise ValueError("'inner' selects the units between the first and the last: no nth, no single unit.")

    def units(self, text: str) -> tuple[list[tuple[str, str]], list[str]]:
        """([(label, text)] of the selected units, [where an nth unit is missing])."""
        parents = self.within.units(text)[0] if self.within else [("", text)]
        found, missing = [], []
        for plabel, ptext in parents:
            items = split(self.unit, ptext)
            of = f" of {plabel}" if plabel else ""
            if self.unit == "response":
                found += [("the response", u) for u in items]
            elif UNITS.get(self.unit).single:
                found += [(f"the {self.unit}{of}", u) for u in items[:1]]
                missing += [] if items else [f"there is no {self.unit}{of}"]
            elif self.nth is None:
                at = range(2, len(items)) if self.inner else range(1, len(items) + 1)
                found += [(f"{self.unit} {i}{of}", items[i - 1]) for i in at]
            elif -len(items) <= self.nth <= len(items) and self.nth:
                k = self.nth if self.nth > 0 else len(items) + 1 + self.nth
                found.append((f"{self.unit} {k}{of}" if self.nth > 0 else f"the last {self.unit}{of}",
                              items[self.nth - 1 if self.nth > 0 else self.nth]))
            else:
                missing.append(f"there is no {ordinal(self.nth)} {self.unit}{of}")
        return found, missing

    def words(self, each: bool = True) -> str:
        """'each sentence', 'the first sentence of each paragraph' (each=False: 'sentence', for 'no sentence')."""
        inner = self.within.words() if self.within else ""
        if self.unit == "response":
            return "the response"
        if self.unit == "section" and self.within is None:  # what a heading heads, the heading not counted
            return "the text under each heading" if self.nth is None and each else \
                "text under a heading" if self.nth is None else f"the text under the {ordinal(self.nth)} heading"
        if UNITS.get(self.unit).single:
            return f"the {self.unit}" + (f" of {inner}" if inner else "")
        if self.nth is not None:
            return f"the {ordinal(self.nth)} {self.unit}" + (f" of {inner}" if inner else "")
        but = " other than the first and the last" if self.inner else ""
        return (f"each {self.unit}" if each else self.unit) + but + (f" in {inner}" if inner else "")

    def to_dict(self) -> dict:
        return {"unit": self.unit, **({"nth": self.nth} if self.nth is not None else {}),
                **({"within": self.within.to_dict()} if self.within else {}), **({"inner": True} if self.inner else {})}


@dataclass(frozen=True)
class Quant:
    """How many selected units must pass: each, none, at_least / at_most / exactly n, between n and m, or a share
    (share_at_least / share_at_most / share_more_than / share_less_than, n a fraction)."""
    kind: str = "each"
    n: float | None = None
    m: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("each", "none", *SHARE_WORDS, *RELATIONS):
            raise ValueError(f"Unknown quantifier {self.kind!r}.")

    def holds(self, passed: int, total: int) -> bool:
        if self.kind == "each":
            return passed == total
        if self.kind == "none":
            return passed == 0
        if self.kind.startswith("share_"):
            share = passed / total if total else 0.0
            slack = 5e-4  # a share is kept to 4 places: "at most a third" holds for 1 of 3
            return {"share_at_least": share >= self.n - slack, "share_at_most": share <= self.n + slack,
                    "share_more_than": share > self.n + slack, "share_less_than": share < self.n - slack}[self.kind]
        return RELATIONS[self.kind](passed, self.n, self.m)


def Each() -> Quant:  # noqa: N802 — reads as the word in a program: Rule(Each(), ...)
    return Quant("each")


@dataclass(frozen=True)
class Rule:
    quant: Quant
    select: Select
    test: Test

    def check(self, text: str) -> list[str]:
        """What breaks the rule in `text`, naming the units ([] = it holds)."""
        units, missing = self.select.units(text)
        passed = [(label, u) for label, u in units if self.test.holds(u)]
        if self.quant.kind == "each":
            return missing + [self.test.failed(label, u) for label, u in units if not self.test.holds(u)]
        if self.quant.kind == "none":
            return missing + [self.test.found(label, u) for label, u in passed]
        if self.quant.holds(len(passed), len(units)):
            return missing
        plural = UNITS.get(self.select.unit).plural
        return missing + [f"{len(passed)} of {len(units)} {plural} {plural_verb(self.test.words())} "
                          f"(the rule: {self.describe()})"]

    def describe(self) -> str:
        q, s, t = self.quant, self.select, self.test.words()
        if q.kind == "each":
            return f"{s.words()} {t}"
        unit = UNITS.get(s.unit)
        if q.kind == "none":
            # none with 8 or more = each with at most 7
            if isinstance(self.test, Count) and self.test.rel == "at_least":
                u = UNITS.get(self.test.unit)
                t = f"has more than {self.test.n - 1} {u.name if self.test.n == 2 else u.plural}"
            if (s.nth is not None or unit.single) and isinstance(self.test, Filter):
                return f"{s.words()} {self.test.negated()}"  # "the title does not end with a period"
            return f"no {s.words(each=False)} {t}"
        if q.kind.startswith("share_"):
            part = next((w for f, w in FRACTIONS.items() if abs(f - q.n) < 1e-3), f"{q.n:.0%}")
            return f"{SHARE_WORDS[q.kind]} {part} of the {unit.plural} {plural_verb(t)}"
        one = q.kind != "between" and q.n == 1
        return f"{relation_words(q.kind, _int(q.n), _int(q.m))} {unit.name if one else unit.plural} " \
               f"{t if one else plural_verb(t)}"

    def to_dict(self) -> dict:
        return {"rule": {"quant": {k: v for k, v in vars(self.quant).items() if v is not None},
                         "select": self.select.to_dict(), "test": self.test.to_dict()}}


def _int(x):
    return int(x) if isinstance(x, float) and x.is_integer() else x


# ---- rhyme: the last words of lines, by a spelling rule of thumb (sounds.py) ---------------------------------
@dataclass(frozen=True)
class Rhyme:
    """Lines whose scheme letter is the same rhyme ("ABAB": 1 with 3, 2 with 4). `repeat`: the scheme runs over all
    lines, in groups of its length ("AABB" in couplets); else the response has exactly that many lines. `per`
    ("paragraph"): the scheme runs in each stanza on its own ("ABAB in each stanza")."""
    scheme: str
    repeat: bool = False
    per: str | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z]{2,20}", self.scheme):
            raise ValueError("A rhyme scheme is 2 to 20 capital letters, such as ABAB.")
        if self.per not in (None, "paragraph") or (self.per and not self.repeat):
            raise ValueError("A scheme runs per paragraph (repeated within it), or over the whole response.")

    def pairs(self, n: int) -> list[tuple[int, int]]:
        k = len(self.scheme)
        out = []
        for start in range(0, n if self.repeat else k, k):
            first: dict[str, int] = {}
            for i, letter in enumerate(self.scheme):
                if start + i >= n:
                    break
                if letter in first:
                    out.append((first[letter] + 1, start + i + 1))
                first.setdefault(letter, start + i)
        return out

    def check(self, text: str) -> list[str]:
        if self.per:
            return [f"in paragraph {k}, {p}" for k, para in enumerate(split(self.per, text), 1)
                    for p in Rhyme(self.scheme, True).check(para)]
        lines = split("line", text)
        out = [] if self.repeat or len(lines) == len(self.scheme) else \
            [f"the response has {len(lines)} lines (the scheme has {len(self.scheme)})"]
        last = [last_word(ln) for ln in lines]
        return out + [f"line {i} ('{last[i - 1]}') does not rhyme with line {j} ('{last[j - 1]}')"
                      for i, j in self.pairs(len(lines)) if not rhymes(last[i - 1], last[j - 1])]

    def describe(self) -> str:
        pairs = ", ".join(f"line {i} with line {j}" for i, j in self.pairs(len(self.scheme)))
        if self.per:
            return f"in each paragraph, the lines rhyme {self.scheme} ({pairs}, and so on)"
        if self.repeat:
            return f"the lines rhyme {self.scheme} ({pairs}, and so on)"
        return f"the response has exactly {len(self.scheme)} lines rhyming {self.scheme} ({pairs})"

    def to_dict(self) -> dict:
        return {"rhyme": {"scheme": self.scheme, "repeat": self.repeat, **({"per": self.per} if self.per else {})}}


# ---- a fixed sequence of counts: a form ("a haiku": 3 lines of 5, 7 and 5 syllables) ------------------------
@dataclass(frozen=True)
class Form:
    """Exactly len(counts) `unit`s, the i-th holding exactly counts[i] `of`s."""
    counts: tuple[int, ...]
    unit: str = "line"
    of: str = "syllable"

    def __post_init__(self) -> None:
        UNITS.get(self.unit), UNITS.get(self.of)
        if not self.counts or any(int(c) < 1 for c in self.counts):
            raise ValueError("A form needs one count of 1 or more per unit.")

    def check(self, text: str) -> list[str]:
        units, u, v = split(self.unit, text), UNITS.get(self.unit), UNITS.get(self.of)
        out = [f"the response has {len(units)} {u.plural} (the form has {len(self.counts)})"] \
            if len(units) != len(self.counts) else []
        for i, (x, want) in enumerate(zip(units, self.counts), 1):
            got = len(split(self.of, x))
            if got != want:
                out.append(f"{u.name} {i} ({snippet(x)}) has {got} "
                           f"{v.name if got == 1 else v.plural} (it needs {want})")
        return out

    def describe(self) -> str:
        counts = [str(c) for c in self.counts]
        listed = counts[0] if len(counts) == 1 else ", ".join(counts[:-1]) + " and " + counts[-1]
        return (f"the response has exactly {len(counts)} {UNITS.get(self.unit).plural} with {listed} "
                f"{UNITS.get(self.of).plural}")

    def to_dict(self) -> dict:
        return {"form": {"counts": list(self.counts), "unit": self.unit, "of": self.of}}


# ---- from a dict (a record, a plan) -------------------------------------------------------------------------
def _select(d: dict) -> Select:
    return Select(d["unit"], d.get("nth"), _select(d["within"]) if d.get("within") else None, bool(d.get("inner")))


def _test(d: dict) -> Test:
    if "count" in d:
        return Count(d["count"], d["rel"], d["n"], d.get("m"), _test(d["where"]) if d.get("where") else None)
    arg = d.get("arg")
    return Filter(d["filter"], tuple(arg) if isinstance(arg, list) else arg)


def program_from_dict(d: dict) -> Rule | Across | Acrostic | Compare | Form | Rhyme | RhymePair:
    if "rhyme_pair" in d:
        r = d["rhyme_pair"]
        return RhymePair(int(r["a"]), int(r["b"]), r.get("per"))
    if "compare" in d:
        c = d["compare"]
        return Compare(c["unit"], int(c["a"]), int(c["b"]), c["rel"], c.get("of", "word"))
    if "rhyme" in d:
        return Rhyme(d["rhyme"]["scheme"], bool(d["rhyme"].get("repeat")), d["rhyme"].get("per"))
    if "form" in d:
        f = d["form"]
        return Form(tuple(int(c) for c in f["counts"]), f.get("unit", "line"), f.get("of", "syllable"))
    if "across" in d:
        a = d["across"]
        return Across(a["unit"], a["kind"], a.get("of"), a.get("n"))
    if "acrostic" in d:
        return Acrostic(str(d["acrostic"]["letters"]), d["acrostic"].get("unit", "line"))
    r = d["rule"]
    return Rule(Quant(**r["quant"]), _select(r["select"]), _test(r["test"]))


__all__ = ["Across", "Acrostic", "Compare", "Each", "RhymePair", "Form", "Quant", "Rhyme", "Rule", "Select", "ordinal",
           "program_from_dict"]
