"""The constraint base class, its registry, validation of hand-written constraints, contradictions, and
`extract_all` (every type's extraction over a prompt)."""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from typing import ClassVar, get_origin

from irg.engine.constraints.scope import unpermitted
from irg.engine.constraints.text import (  # noqa: F401 — bounds: importable from here as before
    _REL_MAP, _REL_TEXT, _short, bounds, count_holds, normalize_numbers)
from irg.engine.decoding import DecodingConstraints
from irg.engine.errors import ConstraintError  # noqa: F401 — raised here, importable from here as before
from irg.engine.registry import CONSTRAINT_TYPES
from irg.engine.values import Finding


# ---- the registry -------------------------------------------------------------------
def register(cls: type["Constraint"]) -> type["Constraint"]:
    """Class decorator: the type is registered under its `kind` (the name its dict form and records carry)."""
    return CONSTRAINT_TYPES.register(cls.kind, cls)


def type_of(kind: str) -> type["Constraint"]:
    """The type registered as `kind`, whose class attributes say how that kind is read and laid down; for a name no
    type has (the detector's "other"), `Constraint` itself, whose defaults say nothing."""
    return CONSTRAINT_TYPES.get(kind, Constraint)


# the rest of one sentence after an opening word: no line break, bracket or asterisk, and no letter right after the
# word ("Shadow" + "ing the artwork" is no "shadow")
SENTENCE = "root ::= [ ,;:'’-] [^\\n.!?\\[\\]*]{0,200} [.!?]"


MAX_OPENINGS = 200  # a count of 10^5 still asks for one sentence at a time; the list says how many are missing


@dataclass
class Opening:
    """What the program writes to open a slot the model fills (irg/engine/fill.py)."""
    text: str  # e.g. "Castle" or "["
    label: str  # what the UI and the record show: "filled: opened a sentence with 'Castle'"
    grammar: str = SENTENCE  # what the model may write after it (GBNF)


@dataclass
class Constraint:
    kind: ClassVar[str] = ""
    severity: ClassVar[str] = "critical"  # a requirement the prompt states outright
    detected: ClassVar[bool] = True  # the instruction detector has examples of it (False: read another way)

    # ---- reading (constraints/slots.py, detect.py): how a clause the detector gives this kind is read --------------
    asked_for: ClassVar[str] = ""  # how a notice names what was asked ("a word limit"); "" = by its kind
    noun: ClassVar[str] = ""  # regex of the nouns its count is written with ("sentences?"); "" = not a counted kind
    default_rel: ClassVar[str | None] = None  # the relation of a count stated without one ("3 bullets": exactly)
    fixed_rel: ClassVar[str] = ""  # the one relation it holds, having no `rel` field ("at_least", "exactly")
    multi: ClassVar[bool] = False  # a prompt may state it more than once with different values; the rest are read once
    excludes: ClassVar[tuple[str, ...]] = ()  # kinds no answer meets with it (a clause read as both: the likelier)
    covered_by: ClassVar[tuple[str, ...]] = ()  # kinds whose reading covers it too (the same clause, read two ways)
    case_only: ClassVar[bool] = False  # it rules on letter case alone: a text whose case is free cannot break it

    @classmethod
    def extract(cls, prompt: str) -> list["Constraint"]:
        return []

    def check(self, text: str) -> list[Finding]:
        return []

    def instruction(self) -> str:
        return ""

    def decoding(self) -> DecodingConstraints | None:
        return None

    def notice(self) -> str:
        """Something the user should know before the run (e.g. the model cannot do this); "" if nothing."""
        return ""

    def out_of_reach(self) -> str:
        """Why no mechanism here (instruction, mask, scaffold, rendering, slot) can make the model meet this, or "".
        Once a draft has missed it, the loop stops spending drafts on it (irg/engine/loop.py)."""
        return ""

    # ---- contradictions between types (`conflicts`) ---------------------------------------------------------------
    def required_texts(self) -> list[tuple[list[str], bool]]:
        """Text the answer must contain to meet this: (alternatives — one of them must appear —, whether letter case
        matters to the check). [] if nothing literal is required."""
        return []

    def part_limit(self) -> dict | None:
        """The most words or sentences every paragraph may hold, where this says so: for answers written part by part
        (parts.py), each part is held to it ({"unit": "word", "n": 60}). None if this limits no paragraph."""
        return None

    def part_least(self) -> dict | None:
        """The least words or sentences every paragraph must hold ({"unit": "sentence", "n": 4}), for answers written
        part by part: each part is written at least that long. None if this asks no paragraph for a least."""
        return None

    def part_opening(self) -> str:
        """GBNF rules whose `item` is a sentence that may open every paragraph under this ("each paragraph opens with a
        question"), for the outline of an answer written part by part; "" if this says nothing of paragraphs' first
        sentences."""
        return ""

    def forbids_within(self) -> bool:
        """True if a text that breaks this breaks it inside any longer text too (a banned word, a comma, an upper bound
        on a count): then a required text that breaks it alone makes the pair impossible."""
        return False

    # ---- rendering (irg/engine/render.py): pure form the program applies losslessly, as a labelled step -------------
    render_label: ClassVar[str] = ""  # e.g. "rendered: uppercase"; "" = this type is not pure form
    render_order: ClassVar[int] = 0  # commas before case before wrapping: wrapping comes last

    def render(self, text: str) -> str:
        return text

    def render_also(self, text: str) -> list[str]:
        """Other renderings to try, in order, when `render`'s would break a constraint that was met (a cut that would
        drop the end phrase: the same cut with the last paragraph kept)."""
        return []

    # ---- slots the model fills (irg/engine/fill.py): the program opens a sentence, the model writes the rest --------
    def openings(self, text: str) -> list["Opening"]:
        """One opening per unit `text` still lacks (a keyword, an occurrence, a placeholder); [] when nothing is
        missing or nothing can be opened for it."""
        return []

    # ---- scaffolds (irg/engine/scaffold.py): the body structure a grammar lays down ----------------------------------
    body_priority: ClassVar[int] = 0  # when a prompt asks for several body structures, the highest is scaffolded
    stars_in_text: ClassVar[bool] = True  # False: its separators are asterisks, so the text slots hold none
    closed: ClassVar[bool] = False  # True: nothing may follow the body (JSON, one of the options)
    around_body: ClassVar[bool] = False  # a scaffold may lay it down around the body (a title, a phrase, a P.S.)

    def grammar_body(self) -> tuple[str, int, str] | None:
        """(GBNF for the body using the rules `line`, `para`, `free`; how many text slots it has; extra rules)."""
        return None

    def slots(self) -> int:
        """How many parts the answer needs (sections, paragraphs, bullets): a scaffold is built only when they fit in
        a draft, so a count of 10^12 never becomes a grammar of 10^12 rules."""
        return 1

    def to_dict(self) -> dict:
        return {"kind": self.kind, **asdict(self)}

    def finding(self, message: str, where: str = "", fix: str = "") -> Finding:
        return Finding(check=self.kind, severity=self.severity, message=message, where=where,
                       fix=fix or self.instruction(), source="rule", constraint=self.to_dict())


class CountConstraint(Constraint):
    """Something in the answer counted and held to a relation ("at least 3 sentences"). Subclasses declare the
    fields `rel` and `n`, a `count(text)` and how a count reads (`counted`); the comparison and the finding live
    here."""

    where: ClassVar[str] = ""  # where the finding points

    def counted(self, count: int) -> str:
        return str(count)

    def forbids_within(self) -> bool:
        return self.rel in ("at_most", "less_than")  # counts only grow as text is added

    def shortfall(self, text: str) -> int:
        """How many more the text needs to reach the relation's lower bound (0 if none is missing)."""
        return max(0, int(bounds(self)[0]) - self.count(text))

    def check(self, text: str) -> list[Finding]:
        count = self.count(text)
        if not count_holds(count, self.rel, self.n):
            return [self.finding(f"{self.counted(count)}; needs {_REL_TEXT[self.rel]} {self.n}.", self.where)]
        return []


def lit(s: str) -> str:
    """A GBNF string literal."""
    return json.dumps(s, ensure_ascii=False)


NONEMPTY = {"phrase", "request", "value", "word", "letter", "marker", "language"}  # an empty one checks nothing
MAX_COUNT = 100_000  # no answer a model writes here holds more of anything (a draft's context is 2,048 tokens)


def _field_value(kind: str, name: str, typ: str, v):
    """`v` as field `name` of `kind` (annotation `typ`), or ConstraintError saying what is wrong."""
    where = f"constraint '{kind}': field '{name}'"
    if typ == "bool":
        if not isinstance(v, bool):
            raise ConstraintError(f"{where} must be true or false, not {v!r}.")
        return v
    if typ == "int":
        if isinstance(v, bool) or not isinstance(v, int):
            raise ConstraintError(f"{where} must be a whole number, not {v!r}.")
        if v < 0:
            raise ConstraintError(f"{where} cannot be negative (got {v}).")
        return v
    if typ == "dict":
        if not isinstance(v, dict):
            raise ConstraintError(f"{where} must be an object, not {v!r}.")
        return v
    if typ == "list[str]":
        if not isinstance(v, list) or not v or not all(isinstance(x, str) and x.strip() for x in v):
            raise ConstraintError(f"{where} must be a non-empty list of non-empty strings, not {v!r}.")
        return v
    if not isinstance(v, str):
        raise ConstraintError(f"{where} must be a string, not {v!r}.")
    if name == "rel":
        rel = _REL_MAP.get(v.strip().lower().replace("_", " "), v)
        if rel not in _REL_TEXT:
            raise ConstraintError(f"{where} must be one of {', '.join(_REL_TEXT)} (got {v!r}).")
        return rel
    if name in NONEMPTY and not v.strip():
        raise ConstraintError(f"{where} cannot be empty.")
    if name == "letter" and len(v) != 1:
        raise ConstraintError(f"{where} must be one letter (got {v!r}).")
    return v


def _type_name(t) -> str:
    """A field's annotation as text ("int", "list[str]"), whether or not its module postpones annotations."""
    return t if isinstance(t, str) else str(t) if get_origin(t) else t.__name__


def from_dict(d: dict) -> Constraint:
    """A constraint from its dict form ({"kind": ..., field: value}), every field checked: a hand-written
    constraint with a wrong type or value is refused with a message naming the field, never run."""
    if not isinstance(d, dict):
        raise ConstraintError(f'Each constraint must be an object like {{"kind": "no_commas"}}, not {d!r}.')
    kind = d.get("kind")
    if kind not in CONSTRAINT_TYPES:
        raise ConstraintError(f"unknown constraint kind {kind!r}: choose one of {', '.join(sorted(CONSTRAINT_TYPES))}.")
    cls = CONSTRAINT_TYPES.get(kind)
    types = {f.name: _type_name(f.type) for f in fields(cls)}
    unknown = [k for k in d if k != "kind" and k not in types]
    if unknown:
        raise ConstraintError(f"constraint '{kind}' has no field {unknown[0]!r} "
                              f"(its fields: {', '.join(types) or 'none'}).")
    return cls(**{k: _field_value(kind, k, types[k], v) for k, v in d.items() if k != "kind"})


def from_dicts(ds) -> list[Constraint]:
    """A list of constraint dicts (a batch line's "constraints"), each checked; the message says which one failed."""
    if not isinstance(ds, list):
        raise ConstraintError(f'"constraints" must be a list of objects, not {ds!r}.')
    out = []
    for i, d in enumerate(ds, start=1):
        try:
            out.append(from_dict(d))
            upper_bound = (str(d.get("rel", "")).strip().lower().replace("_", " ")
                           in ("at most", "less than", "fewer than"))
            for name, v in d.items():  # a batch line asking for 10^12 sections is refused; "at most 10^12" holds
                if (isinstance(v, int) and not isinstance(v, bool) and v > MAX_COUNT
                        and not (name == "n" and upper_bound)):
                    raise ConstraintError(f"constraint '{d['kind']}': field '{name}' is {v:,}: no answer can hold that "
                                          f"many (at most {MAX_COUNT:,}).")
        except ConstraintError as e:
            raise ConstraintError(f"constraint {i}: {e}") from None
    return out



def conflicts(cs: list[Constraint]) -> list[str]:
    """Pairs of constraints no answer can meet together, and constraints no answer can meet at all; said as
    notices, so a run that cannot succeed says why instead of looking like the model failed."""
    out = []
    kinds = {c.kind for c in cs}
    # kinds no answer can meet together (all-lowercase and all-capital letters), each pair said once
    for pair in sorted({tuple(sorted((c.kind, o))) for c in cs for o in c.excludes if o in kinds}):
        a, b = (type_of(k).asked_for or k for k in pair)
        out.append(f"The request asks for both {a} and {b}; no answer can meet both.")
    counted: dict[tuple, list[Constraint]] = {}
    for c in cs:
        b = bounds(c)
        if b is None:
            continue
        if b[0] > b[1]:
            out.append(f"'{c.instruction()}' cannot be met (no count is {_REL_TEXT[c.rel]} {c.n}).")
        key = (c.kind, getattr(c, "word", None), getattr(c, "letter", None))
        counted.setdefault(key, []).append(c)
    for same in counted.values():
        lo = max(bounds(c)[0] for c in same)
        hi = min(bounds(c)[1] for c in same)
        if len(same) > 1 and lo > hi:
            out.append("These cannot all hold: " + "; ".join(c.instruction() for c in same))
    for a, b in _pairs([c for c in cs if c.kind in ("start_phrase", "end_phrase")]):
        x, y = _bare(a.phrase), _bare(b.phrase)  # "bread" and "… sings of bread.": the closing mark is not a word
        fits = (_holds(x, y) or _holds(y, x)) if a.kind == "start_phrase" else \
            (_holds(x[::-1], y[::-1]) or _holds(y[::-1], x[::-1]))
        if a.kind == b.kind and x and y and not fits:  # "Start with Hello" and "the first word must be Goodbye"
            out.append(f"These cannot both hold: '{a.instruction()}' and '{b.instruction()}'.")
    from irg.engine.constraints.clash import clashes, literal_conflicts  # kinds against kinds, texts against rules

    return out + literal_conflicts(cs) + clashes(cs)


def contradicting(cs: list["Constraint"], found: list["Constraint"]) -> list["Constraint"]:
    """Those of `cs` (read from one clause) that no answer can meet together with what `found` holds: a prompt that
    asks for two things that cannot both hold is told so (base.conflicts names the pair) instead of one of them being
    dropped as "read already"."""
    return [c for c in cs if c not in found and any(conflicts([f, c]) for f in found)]


def complementing(cs: list["Constraint"], found: list["Constraint"]) -> list["Constraint"]:
    """Those of `cs` that bound a count `found` bounds only from the other side: "Minimum 300 words. It must not exceed
    300 words either", "at least 2 paragraphs ... no more than 4" — the second bound is not "read already"."""
    lower, upper = {"at_least", "more_than"}, {"at_most", "less_than"}

    def key(c: "Constraint") -> dict:
        return {k: v for k, v in c.to_dict().items() if k not in ("rel", "n")}
    out = []
    for c in cs:
        rel = getattr(c, "rel", None)
        same = [f for f in found if f.kind == c.kind and key(f) == key(c)]
        if rel in lower | upper and c not in found and same \
                and all(getattr(f, "rel", None) in (upper if rel in lower else lower) for f in same):
            out.append(c)
    return out


def beside(cs: list["Constraint"], found: list["Constraint"]) -> list["Constraint"]:
    """What a clause adds to a kind read already: a contradiction (to be named) or the count's other bound."""
    out = contradicting(cs, found)
    return out + [c for c in complementing(cs, found) if c not in out]


def _bare(phrase: str) -> str:
    return phrase.strip().strip("\"'“”‘’.!?,;: ").lower()


def _holds(text: str, start: str) -> bool:
    """Does `text` open with `start`, ending where a word ends ("bread" is no opening of "breadth")?"""
    return text.startswith(start) and not text[len(start):len(start) + 1].isalnum()


def _pairs(cs: list) -> list[tuple]:
    return [(a, b) for i, a in enumerate(cs) for b in cs[i + 1:]]



# "-2 bullet points": a minus sign before a count. Read as 2 it would be enforced; it is no count at all.
_NEGATIVE_COUNT = re.compile(r"(?<![\w.])[-−–]\s?(\d+)(?=\s+[A-Za-z])")


def negative_counts(prompt: str) -> list[str]:
    """Notices for counts written with a minus sign, which extraction ignores."""
    text = normalize_numbers(prompt)
    return [f"'{m.group(0)} {text[m.end():].split()[0]}' asks for a negative number, so it is not read as a count."
            for m in _NEGATIVE_COUNT.finditer(text)]


def extract_all(prompt: str) -> list[Constraint]:
    """Every constraint the prompt's words ask for, without duplicates."""
    text = _NEGATIVE_COUNT.sub("a negative number", unpermitted(normalize_numbers(prompt)))
    out: list[Constraint] = []
    for _, cls in CONSTRAINT_TYPES.items():
        for c in cls.extract(text):
            if c not in out:
                out.append(c)
    return one_paragraph_reading(_counted_once(out))


def _counted_once(cs: list[Constraint]) -> list[Constraint]:
    """A word to include that a count of it already asks for ("use 'buzzer' at least once") is said once."""
    counted = {c.word.lower() for c in cs if c.kind == "keyword_frequency" and c.rel in ("at_least", "exactly")
               and c.n >= 1}
    out = []
    for c in cs:
        if c.kind == "include_keywords" and any(w.lower() in counted for w in c.keywords):
            if not (c := type(c)([w for w in c.keywords if w.lower() not in counted])).keywords:
                continue
        out.append(c)
    return out


def one_paragraph_reading(cs: list[Constraint]) -> list[Constraint]:
    """"4 paragraphs … the second must start with X": the first-word constraint counts blank-line paragraphs itself,
    so a blank-line paragraph count of the same number is not a second constraint."""
    firsts = {c.n for c in cs if c.kind == "paragraph_first_word"}
    return [c for c in cs if not (c.kind == "paragraph_count" and not c.separator and c.n in firsts)]
