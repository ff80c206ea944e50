"""Constraint types: read from the prompt's own words, checked deterministically.

Each type is a small registered class with
  - `extract(prompt)`: the instances the prompt asks for (handles negations and
    numbers written as words),
  - `check(text)`: findings saying what is wrong and where (empty = satisfied),
  - `instruction()`: how the planner phrases it for the next draft,
  - `decoding()`: the decoding constraint that enforces it, where one exists.
Rules decide what they can check: small models are poor judges of their own work.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from typing import ClassVar

from irg.decoding import DecodingConstraints
from irg.report import Finding

# ---- numbers written as words ---------------------------------------------------
_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMWORD = "|".join([*_UNITS, *_TENS, *_SCALES, "a dozen", "dozen", "once", "twice", "thrice"])
_NUMRUN = re.compile(rf"\b(?:{_NUMWORD})(?:[\s-]+(?:and[\s-]+)?(?:{_NUMWORD}))*\b", re.I)


def _words_value(run: str) -> int | None:
    words = [w for w in re.split(r"[\s-]+", run.lower()) if w and w != "and"]
    special = {"once": 1, "twice": 2, "thrice": 3, "dozen": 12}
    if len(words) == 1 and words[0] in special:
        return special[words[0]]
    if words[:2] == ["a", "dozen"]:
        return 12
    total, current = 0, 0
    for w in words:
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current


def normalize_numbers(text: str) -> str:
    """'at least three hundred words' -> 'at least 300 words'; 'twice' -> '2 times'."""
    def sub(m: re.Match) -> str:
        if m.start() and text[m.start() - 1] in "\"'“‘`":  # quoted words are literal: start with the word 'Once'
            return m.group(0)
        if re.search(r"\b(?:word|phrase|term)\s+$", text[max(0, m.start() - 8):m.start()], re.I):
            return m.group(0)  # "with the word Once" names a word, not a number
        v = _words_value(m.group(0))
        if v is None:
            return m.group(0)
        return f"{v} times" if m.group(0).lower() in ("once", "twice", "thrice") else str(v)
    return _NUMRUN.sub(sub, text)


# ---- shared helpers --------------------------------------------------------------
_NEG = re.compile(r"\b(not|n't|never|no|without|avoid|refrain|don't|dont|nor)\b", re.I)
_REL = (r"(?P<rel>at least|no less than|not less than|no fewer than|not fewer than|no shorter than|a minimum of|minimum of|"
        r"more than|over|greater than|longer than|at most|no more than|not more than|no longer than|not longer than|"
        r"a maximum of|maximum of|up to|less than|fewer than|shorter than|under|below|exactly|precisely|just)")
_REL_MAP = {
    "at least": "at_least", "no less than": "at_least", "not less than": "at_least", "a minimum of": "at_least",
    "no fewer than": "at_least", "not fewer than": "at_least", "no shorter than": "at_least", "longer than": "more_than",
    "no longer than": "at_most", "not longer than": "at_most", "shorter than": "less_than",
    "minimum of": "at_least", "more than": "more_than", "over": "more_than", "greater than": "more_than",
    "at most": "at_most", "no more than": "at_most", "not more than": "at_most", "a maximum of": "at_most",
    "maximum of": "at_most", "up to": "at_most", "less than": "less_than", "fewer than": "less_than",
    "under": "less_than", "below": "less_than", "exactly": "exactly", "precisely": "exactly", "just": "exactly",
}
_REL_TEXT = {"at_least": "at least", "more_than": "more than", "at_most": "at most", "less_than": "fewer than", "exactly": "exactly"}


def compare(count: int, rel: str, n: int) -> bool:
    return {"at_least": count >= n, "more_than": count > n, "at_most": count <= n,
            "less_than": count < n, "exactly": count == n}[rel]


def negated_before(text: str, start: int, window: int = 30) -> bool:
    """Is the match at `start` governed by a negation in the same clause just before it?"""
    before = re.split(r"[.;:!?\n]", text[max(0, start - window):start])[-1]
    return bool(_NEG.search(before))


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-zÀ-ÿ0-9]+(?:['’-][A-Za-zÀ-ÿ0-9]+)*", text)


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+", text.strip())
    return [p for p in parts if words(p)]


def _clean_phrase(s: str) -> str:
    return s.strip().strip("\"'“”‘’`").strip()


_QUOTED = re.compile(r'"([^"\n]+)"|“([^”\n]+)”|‘([^’\n]+)’|`([^`\n]+)`|(?<!\w)\'([^\'\n]+?)\'(?!\w)')


def quoted(s: str) -> list[str]:
    """Every quoted string in `s`, each closed by its own kind of quote (so "Let's go" stays whole)."""
    return [next(g for g in m.groups() if g is not None).strip() for m in _QUOTED.finditer(s)]


def _quoted_or_word(s: str) -> str:
    """The first quoted string, else the first word, of `s`."""
    m = _QUOTED.match(s.lstrip())
    if m:
        return next(g for g in m.groups() if g is not None).strip()
    m = re.match(r"\s*([\w'-]+)", s)
    return m.group(1) if m else ""


def _split_list(s: str) -> list[str]:
    """'"ocean", "sky" and "sand"' or 'ocean, sky, and sand' -> ['ocean', 'sky', 'sand']."""
    qs = quoted(s)
    if qs:
        return [q for q in qs if q]
    s = re.split(r"[.;:!?\n]|\b(?:in your|in the|when|while|to describe|somewhere)\b", s)[0]
    items = re.split(r",\s*(?:and|or)?\s*|\s+(?:and|or)\s+", s)
    return [i.strip() for i in items if i.strip() and len(i.split()) <= 3]


def _find(pattern: str, text: str) -> list[re.Match]:
    return [m for m in re.finditer(pattern, text, re.I)]


def sentence_at(text: str, pos: int) -> str:
    """The sentence holding position `pos`."""
    start = max(text.rfind(ch, 0, pos) for ch in ".!?\n") + 1
    ends = [i for i in (text.find(ch, pos) for ch in ".!?\n") if i != -1]
    return text[start:(min(ends) + 1 if ends else len(text))].strip()


def about_not_asked(text: str, pos: int) -> bool:
    """Is the match at `pos` the topic of the request rather than an instruction? A question asking about it
    ("Why do people write in all caps?") or a sentence naming both letter cases ("when to use uppercase and
    lowercase letters")."""
    s = sentence_at(text, pos)
    if re.match(r"(?:why|how come|how do|how does|what|when|where|who|which|is it|are there)\b", s, re.I) and s.endswith("?"):
        return True
    up = r"upper[\s-]?case|capital|caps"
    low = r"lower[\s-]?case|small letters"
    negated = rf"\b(?:no|not|without|never|avoid)\s+(?:any\s+)?(?:{up}|{low})"  # "lowercase, no capitals": an instruction
    return bool(re.search(up, s, re.I) and re.search(low, s, re.I) and not re.search(negated, s, re.I))


# ---- the registry -------------------------------------------------------------------
REGISTRY: dict[str, type["Constraint"]] = {}


def register(cls: type["Constraint"]) -> type["Constraint"]:
    REGISTRY[cls.kind] = cls
    return cls


@dataclass
class Constraint:
    kind: ClassVar[str] = ""
    severity: ClassVar[str] = "critical"  # a requirement the prompt states outright

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

    def to_dict(self) -> dict:
        return {"kind": self.kind, **asdict(self)}

    def finding(self, message: str, where: str = "", fix: str = "") -> Finding:
        return Finding(kind=self.kind, severity=self.severity, message=message, where=where,
                       fix=fix or self.instruction(), source="rule", constraint=self.to_dict())


class ConstraintError(ValueError):
    """A constraint given by hand (a batch file, a suite) that is not valid; the message names the field."""


NONEMPTY = {"phrase", "request", "value", "word", "letter", "marker", "language"}  # an empty one checks nothing


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


def from_dict(d: dict) -> Constraint:
    """A constraint from its dict form ({"kind": ..., field: value}), every field checked: a hand-written
    constraint with a wrong type or value is refused with a message naming the field, never run."""
    if not isinstance(d, dict):
        raise ConstraintError(f'Each constraint must be an object like {{"kind": "no_commas"}}, not {d!r}.')
    kind = d.get("kind")
    if not isinstance(kind, str) or kind not in REGISTRY:
        raise ConstraintError(f"unknown constraint kind {kind!r}: choose one of {', '.join(sorted(REGISTRY))}.")
    cls = REGISTRY[kind]
    types = {f.name: str(f.type) for f in fields(cls)}
    unknown = [k for k in d if k != "kind" and k not in types]
    if unknown:
        raise ConstraintError(f"constraint '{kind}' has no field {unknown[0]!r} (its fields: {', '.join(types) or 'none'}).")
    return cls(**{k: _field_value(kind, k, types[k], v) for k, v in d.items() if k != "kind"})


def from_dicts(ds) -> list[Constraint]:
    """A list of constraint dicts (a batch line's "constraints"), each checked; the message says which one failed."""
    if not isinstance(ds, list):
        raise ConstraintError(f'"constraints" must be a list of objects, not {ds!r}.')
    out = []
    for i, d in enumerate(ds, start=1):
        try:
            out.append(from_dict(d))
        except ConstraintError as e:
            raise ConstraintError(f"constraint {i}: {e}") from None
    return out


def _bounds(c: Constraint) -> tuple[float, float] | None:
    """The counts a relation allows, as [low, high]."""
    rel, n = getattr(c, "rel", None), getattr(c, "n", None)
    if rel is None or n is None:
        return None
    return {"at_least": (n, float("inf")), "more_than": (n + 1, float("inf")), "at_most": (0, n),
            "less_than": (0, n - 1), "exactly": (n, n)}[rel]


def conflicts(cs: list[Constraint]) -> list[str]:
    """Pairs of constraints no answer can meet together, and constraints no answer can meet at all; said as
    notices, so a run that cannot succeed says why instead of looking like the model failed."""
    out = []
    kinds = {c.kind for c in cs}
    if {"lowercase", "uppercase"} <= kinds:
        out.append("The request asks for both all-lowercase and all-capital letters; no answer can meet both.")
    counted: dict[tuple, list[Constraint]] = {}
    for c in cs:
        b = _bounds(c)
        if b is None:
            continue
        if b[0] > b[1]:
            out.append(f"'{c.instruction()}' cannot be met (no count is {_REL_TEXT[c.rel]} {c.n}).")
        key = (c.kind, getattr(c, "word", None), getattr(c, "letter", None))
        counted.setdefault(key, []).append(c)
    for same in counted.values():
        lo = max(_bounds(c)[0] for c in same)
        hi = min(_bounds(c)[1] for c in same)
        if len(same) > 1 and lo > hi:
            out.append("These cannot all hold: " + "; ".join(c.instruction() for c in same))
    return out


# "-2 bullet points": a minus sign before a count. Read as 2 it would be enforced; it is no count at all.
_NEGATIVE_COUNT = re.compile(r"(?<![\w.])[-−–]\s?(\d+)(?=\s+[A-Za-z])")


def negative_counts(prompt: str) -> list[str]:
    """Notices for counts written with a minus sign, which extraction ignores."""
    text = normalize_numbers(prompt)
    return [f"'{m.group(0)} {text[m.end():].split()[0]}' asks for a negative number, so it is not read as a count."
            for m in _NEGATIVE_COUNT.finditer(text)]


def extract_all(prompt: str) -> list[Constraint]:
    """Every constraint the prompt's words ask for, without duplicates."""
    text = _NEGATIVE_COUNT.sub("a negative number", normalize_numbers(prompt))
    out: list[Constraint] = []
    for cls in REGISTRY.values():
        for c in cls.extract(text):
            if c not in out:
                out.append(c)
    # "4 paragraphs … the second must start with X": the first-word constraint counts blank-line paragraphs itself
    firsts = {c.n for c in out if isinstance(c, ParagraphFirstWord)}
    return [c for c in out if not (isinstance(c, ParagraphCount) and not c.separator and c.n in firsts)]


# ---- case ------------------------------------------------------------------------------
@register
@dataclass
class Lowercase(Constraint):
    kind: ClassVar[str] = "lowercase"

    @classmethod
    def extract(cls, p):
        low = r"(?:lower[\s-]?case|small letters|non-capital letters)"
        pats = [rf"\b(?:all|only|entirely|entire|completely)\b[^.\n]{{0,40}}?\b{low}",
                rf"\b{low}[^.\n]{{0,20}}?\b(?:only|letters)\b",
                rf"\bin {low}",
                r"\b(?:no|without|not use any|do not use|don't use|avoid)\s+(?:any\s+)?(?:capital|upper[\s-]?case)\s+letters\b",
                r"\bno capitali[sz]ation\b"]
        for pat in pats:
            for m in _find(pat, p):
                if about_not_asked(p, m.start()) and not re.search(r"\bno\b|\bwithout\b|\bavoid|\bnot\b", m.group(0), re.I):
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

    def decoding(self):
        return DecodingConstraints(lowercase_only=True)


@register
@dataclass
class Uppercase(Constraint):
    kind: ClassVar[str] = "uppercase"

    @classmethod
    def extract(cls, p):
        pats = [r"\b(?:all|only|entirely|entire|completely)\b[^.\n]{0,30}?\b(?:capital letters|upper[\s-]?case|caps)\b(?!\s+words)",
                r"\bin (?:all )?(?:caps|capitals|capital letters|upper[\s-]?case)\b",
                r"\b(?:capital letters|upper[\s-]?case|caps) only\b"]
        for pat in pats:
            for m in _find(pat, p):
                if re.search(r"\bwords?\s+(?:with\s+|in\s+)?$", p[max(0, m.start() - 12):m.start()], re.I) \
                        or about_not_asked(p, m.start()):
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

    def decoding(self):
        return DecodingConstraints(uppercase_only=True)


CAPITAL_WORDS = r"(?:(?:with|in|written in|that are in|that are)\s+(?:all\s+)?(?:capital letters|caps|capitals|upper[\s-]?case))"


@register
@dataclass
class CapitalWordFrequency(Constraint):
    kind: ClassVar[str] = "capital_word_frequency"
    rel: str = "at_least"
    n: int = 1

    @classmethod
    def extract(cls, p):
        m = re.search(r"\b(?:words? (?:with|in) all capital letters|capital(?:i[sz]ed)? words|all[- ]caps words|upper[- ]?case words"
                      r"|words in (?:all )?caps)\b[^.\n]*?" + _REL + r"\s+(\d+)\s+times", p, re.I)
        if m:
            return [cls(_REL_MAP[m.group("rel").lower()], int(m.group(2)))]
        m = re.search(_REL + r"\s+(\d+)\s+words?\s+" + CAPITAL_WORDS, p, re.I)
        return [cls(_REL_MAP[m.group("rel").lower()], int(m.group(2)))] if m else []

    def check(self, text):
        count = sum(1 for w in words(text) if len(w) > 1 and w.isupper())
        if not compare(count, self.rel, self.n):
            return [self.finding(f"{count} all-capital words; needs {_REL_TEXT[self.rel]} {self.n}.")]
        return []

    def instruction(self):
        return f"Use {_REL_TEXT[self.rel]} {self.n} words written in ALL CAPITAL letters."


# ---- punctuation and characters ------------------------------------------------------
@register
@dataclass
class NoCommas(Constraint):
    kind: ClassVar[str] = "no_commas"

    @classmethod
    def extract(cls, p):
        neg = (r"\b(?:no|not|don't|dont|doesn't|cannot|can't|without|avoid\w*|skip\w*|refrain\w*|never|exclude|omit|zero|drop|leave out|free of|ban)\b"
               r"[^.\n]{0,30}?\bcommas?\b")
        for m in _find(neg, p):
            if not re.search(r"\bcommas?\b[^.\n]{0,20}\b(?:is|are) (?:fine|ok|okay|allowed)", p[m.start():], re.I):
                return [cls()]
        if re.search(r"\bcommas?\b[^.\n]{0,25}\b(?:not allowed|forbidden|banned|prohibited|must not|should not|may not)\b"
                     r"|\bcomma-free\b", p, re.I):
            return [cls()]
        return []

    def check(self, text):
        pos = [i for i, ch in enumerate(text) if ch == ","]
        if pos:
            return [self.finding(f"{len(pos)} comma(s), the first at char {pos[0]}.", f"char {pos[0]}")]
        return []

    def instruction(self):
        return "Do not use any commas; use short sentences or other punctuation instead."

    def decoding(self):
        return DecodingConstraints(banned_chars=[","])


@register
@dataclass
class LetterFrequency(Constraint):
    kind: ClassVar[str] = "letter_frequency"
    letter: str = "q"
    rel: str = "at_least"
    n: int = 1

    @classmethod
    def extract(cls, p):
        out = []
        for m in re.finditer(r"\bletter\s+[\"'“‘]?([a-z])[\"'”’]?\b[^.\n]{0,60}?" + _REL + r"\s+(\d+)\s+times", p, re.I):
            out.append(cls(m.group(1).lower(), _REL_MAP[m.group("rel").lower()], int(m.group(3))))
        return out

    def check(self, text):
        count = text.lower().count(self.letter)
        if not compare(count, self.rel, self.n):
            return [self.finding(f"The letter '{self.letter}' appears {count} times; needs {_REL_TEXT[self.rel]} {self.n}.")]
        return []

    def instruction(self):
        return f"Use the letter '{self.letter}' {_REL_TEXT[self.rel]} {self.n} times."

    def decoding(self):
        if self.rel in ("at_most", "less_than") and self.n <= 0 or (self.rel == "less_than" and self.n == 1):
            return DecodingConstraints(banned_chars=[self.letter, self.letter.upper()])
        return None


# ---- length --------------------------------------------------------------------------
TOKENS_PER_WORD = 1.4  # SmolLM2's tokenizer on English prose, roughly


@register
@dataclass
class WordCount(Constraint):
    kind: ClassVar[str] = "word_count"
    rel: str = "at_least"
    n: int = 100

    @classmethod
    def extract(cls, p):
        out = []
        for m in re.finditer(_REL + r"\s+(\d+)\s+words\b", p, re.I):
            if re.match(r"\s*" + CAPITAL_WORDS, p[m.end():], re.I):
                continue  # "at least 2 words in all caps" is capital_word_frequency
            out.append(cls(_REL_MAP[m.group("rel").lower()], int(m.group(2))))
        for m in re.finditer(r"\b(?:in|within|using) (\d+) words or (less|fewer|more)\b", p, re.I):
            out.append(cls("at_most" if m.group(2).lower() in ("less", "fewer") else "at_least", int(m.group(1))))
        return out

    def check(self, text):
        count = len(words(text))
        if not compare(count, self.rel, self.n):
            return [self.finding(f"{count} words; needs {_REL_TEXT[self.rel]} {self.n}.", "whole answer")]
        return []

    def instruction(self):
        return f"Write {_REL_TEXT[self.rel]} {self.n} words."

    def decoding(self):
        if self.rel in ("at_least", "more_than"):
            return DecodingConstraints(min_new_tokens=int((self.n + 1) * TOKENS_PER_WORD))
        if self.rel in ("at_most", "less_than"):
            return DecodingConstraints(max_new_tokens=max(8, int(self.n * 1.1)))
        return None


@register
@dataclass
class SentenceCount(Constraint):
    kind: ClassVar[str] = "sentence_count"
    rel: str = "at_least"
    n: int = 3

    @classmethod
    def extract(cls, p):
        return [cls(_REL_MAP[m.group("rel").lower()], int(m.group(2)))
                for m in re.finditer(_REL + r"\s+(\d+)\s+sentences?\b", p, re.I)]

    def check(self, text):
        count = len(sentences(text))
        if not compare(count, self.rel, self.n):
            return [self.finding(f"{count} sentences; needs {_REL_TEXT[self.rel]} {self.n}.")]
        return []

    def instruction(self):
        return f"Write {_REL_TEXT[self.rel]} {self.n} sentences."

    def decoding(self):
        if self.rel in ("at_least", "more_than"):
            return DecodingConstraints(min_new_tokens=8 * self.n)
        return None


@register
@dataclass
class ParagraphCount(Constraint):
    kind: ClassVar[str] = "paragraph_count"
    n: int = 2
    separator: str = "***"  # "" = blank lines

    @classmethod
    def extract(cls, p):
        m = re.search(r"\b(?:exactly\s+)?(\d+)\s+paragraphs?\b", p, re.I)
        if not m or negated_before(p, m.start()):
            return []
        sep = "***" if re.search(r"(?<!\*)\*\*\*(?!\*)|markdown divider", p) else ""
        return [cls(int(m.group(1)), sep)]

    def paragraphs(self, text: str) -> list[str]:
        parts = text.split(self.separator) if self.separator else re.split(r"\n\s*\n", text)
        return [x for x in parts if x.strip()]

    def check(self, text):
        count = len(self.paragraphs(text))
        if count != self.n:
            how = f"separated by {self.separator}" if self.separator else "separated by blank lines"
            return [self.finding(f"{count} paragraphs {how}; needs exactly {self.n}.")]
        return []

    def instruction(self):
        how = f"separated by a line with only {self.separator}" if self.separator else "separated by blank lines"
        return f"Write exactly {self.n} paragraphs, {how}."


ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "last": -1}


def paragraphs(text: str) -> list[str]:
    """Paragraphs split by a line of *** when the text uses one, else by blank lines."""
    parts = re.split(r"\n?\s*(?<!\*)\*\*\*(?!\*)\s*\n?", text) if re.search(r"(?m)^\s*\*\*\*\s*$", text) else re.split(r"\n\s*\n", text)
    return [x.strip() for x in parts if x.strip()]


@register
@dataclass
class ParagraphFirstWord(Constraint):
    """"The 2nd paragraph must start with the word X" (n: the paragraphs asked for, 0 if the prompt says none)."""
    kind: ClassVar[str] = "paragraph_first_word"
    n: int = 0
    nth: int = 1
    word: str = ""

    @classmethod
    def extract(cls, p):
        ords = "|".join(ORDINALS)
        m = re.search(rf"\b(?:the\s+)?(?:({ords})|(\d+)(?:st|nd|rd|th))\s+paragraph\s+(?:\w+\s+){{0,3}}?(?:start|begin)\w*\s+with\s+"
                      r"(?:the\s+)?(?:word\s+)?(\S+)"
                      rf"|\bparagraph\s+(?:number\s+)?(\d+)\s+(?:\w+\s+){{0,3}}?(?:start|begin)\w*\s+with\s+(?:the\s+)?(?:word\s+)?(\S+)"
                      rf"|\b(?:start|begin)\w*\s+the\s+(?:({ords})|(\d+)(?:st|nd|rd|th))\s+paragraph\s+with\s+(?:the\s+)?(?:word\s+)?(\S+)",
                      p, re.I)
        if not m or negated_before(p, m.start()):
            return []
        g = m.groups()
        ordw, num, word = (g[0], g[1], g[2]) if g[2] else (None, g[3], g[4]) if g[4] else (g[5], g[6], g[7])
        nth = ORDINALS[ordw.lower()] if ordw else int(num)
        word = _clean_phrase(word).rstrip(".,;:!?")
        word = _clean_phrase(word)
        count = re.search(r"\b(\d+)\s+paragraphs?\b", p, re.I)
        n = int(count.group(1)) if count else 0
        if nth == -1:
            nth = n or 1
        return [cls(n, nth, word)] if word and nth >= 1 else []

    def check(self, text):
        paras = paragraphs(text)
        if len(paras) < self.nth:
            return [self.finding(f"Only {len(paras)} paragraph(s); paragraph {self.nth} must start with '{self.word}'.")]
        first = (words(paras[self.nth - 1]) or [""])[0]
        out = []
        if first.lower() != self.word.lower():
            out.append(self.finding(f"Paragraph {self.nth} starts with '{first}', not '{self.word}'.", f"paragraph {self.nth}"))
        if self.n and len(paras) != self.n:
            out.append(self.finding(f"{len(paras)} paragraphs; needs exactly {self.n}.", "whole answer"))
        return out

    def instruction(self):
        n = f"Write exactly {self.n} paragraphs separated by blank lines; " if self.n else ""
        return f"{n}start paragraph {self.nth} with the word '{self.word}'."


@register
@dataclass
class BulletCount(Constraint):
    kind: ClassVar[str] = "bullet_count"
    rel: str = "exactly"
    n: int = 3

    @classmethod
    def extract(cls, p):
        out = []
        for m in re.finditer(r"(?:" + _REL + r"\s+)?(\d+)\s+(?:[a-z-]+\s+){0,3}?bullet(?:\s+points?|s)?\b", p, re.I):
            rel = _REL_MAP[m.group("rel").lower()] if m.group("rel") else "exactly"
            out.append(cls(rel, int(m.group(2))))
        return out[:1]

    def check(self, text):
        count = len(re.findall(r"(?m)^\s*[*\-•]\s+\S", text))
        if not compare(count, self.rel, self.n):
            return [self.finding(f"{count} bullet points (lines starting with '* ' or '- '); needs {_REL_TEXT[self.rel]} {self.n}.")]
        return []

    def instruction(self):
        return f"Use {_REL_TEXT[self.rel]} {self.n} bullet points, each on its own line starting with '* '."

    def decoding(self):
        return DecodingConstraints(forced_prefix="* ")


@register
@dataclass
class Sections(Constraint):
    kind: ClassVar[str] = "sections"
    n: int = 2
    marker: str = "SECTION"

    @classmethod
    def extract(cls, p):
        m = next((m for m in re.finditer(r"\b(\d+)\s+sections?\b", p, re.I)  # the first that is not about highlights
                  if not negated_before(p, m.start()) and not re.search(r"highlight", p[max(0, m.start() - 30):m.start()], re.I)
                  and not re.match(r"[^.\n]{0,25}\bhighlight", p[m.end():], re.I)), None)
        if not m:
            return []
        mk = re.search(r"\b(?:mark|begin|start|label)\w*\b[^.\n]{0,40}?\bwith\s+[\"']?([A-Za-z]+)\s+(?:X|N|\d|\{)", p)
        return [cls(int(m.group(1)), mk.group(1) if mk else "SECTION")]

    def check(self, text):
        count = len(re.findall(rf"\b{re.escape(self.marker)}\s+\d+", text))
        if count != self.n:
            return [self.finding(f"{count} sections marked '{self.marker} <number>'; needs exactly {self.n}.")]
        return []

    def instruction(self):
        return f"Write exactly {self.n} sections; start each with '{self.marker} 1', '{self.marker} 2' and so on."

    def decoding(self):
        return DecodingConstraints(forced_prefix=f"{self.marker} 1\n")


@register
@dataclass
class HighlightedSections(Constraint):
    kind: ClassVar[str] = "highlighted_sections"
    n: int = 1

    @classmethod
    def extract(cls, p):
        m = re.search(r"\bhighlight\w*\s+(?:" + _REL + r"\s+)?(\d+)\s+(?:[a-z]+\s+)?(?:sections?|parts?|phrases?)", p, re.I)
        if m:
            return [cls(int(m.group(2)))]
        m = re.search(r"(?:" + _REL + r"\s+)?(\d+)\s+(?:[a-z]+\s+)?(?:sections?|parts?|phrases?|words?)\s+(?:\w+\s+){0,3}?"
                      r"(?:be\s+|are\s+)?highlighted\b", p, re.I)
        if m:
            return [cls(int(m.group(2)))]
        nouns = r"(?:sections?|parts?|phrases?|words?|sentences?|points?|ideas?|terms?)"
        m = (re.search(r"\b(?:highlight|emphasi[sz]e|mark)\w*\s+(?:" + _REL + r"\s+)?(\d+)\s+(?:[a-z]+\s+)?" + nouns +
                       r"\b[^.\n]{0,40}\b(?:markdown|highlight\w*|\*)", p, re.I)
             or re.search(r"(?:" + _REL + r"\s+)?(\d+)\s+\*?highlighted\*?\s+(?:[a-z]+\s+)?" + nouns, p, re.I))
        return [cls(int(m.group(2)))] if m else []

    def check(self, text):
        count = len(re.findall(r"\*[^\n*]+\*", text))
        if count < self.n:
            return [self.finding(f"{count} highlighted sections like *this*; needs at least {self.n}.")]
        return []

    def instruction(self):
        return f"Highlight at least {self.n} sections with markdown, like *highlighted section*."


@register
@dataclass
class Placeholders(Constraint):
    kind: ClassVar[str] = "placeholders"
    n: int = 1

    @classmethod
    def extract(cls, p):
        m = re.search(r"(?:" + _REL + r"\s+)?(\d+)\s+placeholders?", p, re.I)
        return [cls(int(m.group(2)))] if m else []

    def check(self, text):
        count = len(re.findall(r"\[[^\[\]\n]+\]", text))
        if count < self.n:
            return [self.finding(f"{count} placeholders in square brackets like [name]; needs at least {self.n}.")]
        return []

    def instruction(self):
        return f"Include at least {self.n} placeholders in square brackets, such as [name] or [address]."


# ---- format ---------------------------------------------------------------------------
def strip_fences(text: str) -> str:
    m = re.search(r"```(?:json|JSON)?\s*\n?(.*?)```", text, re.S)
    return (m.group(1) if m else text).strip()


@register
@dataclass
class JsonFormat(Constraint):
    kind: ClassVar[str] = "json_format"

    @classmethod
    def extract(cls, p):
        pats = (r"\b(?:in|as|using|wrap\w*[^.\n]{0,40}?in)\s+(?:valid\s+)?json\b|\bjson format\b|\bvalid json\b"
                r"|\bjson\s+(?:object|array|output|response|string|only)\b"
                r"|\b(?:return|output|give|respond|reply|answer|format|produce|provide|write)\w*\b[^.\n]{0,30}\bjson\b")
        for m in _find(pats, p):
            if not negated_before(p, m.start()) and not about_not_asked(p, m.start()):
                return [cls()]
        return []

    def check(self, text):
        try:
            json.loads(strip_fences(text))
        except ValueError as e:
            return [self.finding(f"The answer is not valid JSON ({e.__class__.__name__}: {str(e).split(':')[0]}).",
                                 f"char {getattr(e, 'pos', 0)}")]
        return []

    def instruction(self):
        return "Answer with one valid JSON object only, with no text before or after it."

    def decoding(self):
        return DecodingConstraints(forced_prefix="{")


@register
@dataclass
class Quotation(Constraint):
    kind: ClassVar[str] = "quotation"

    @classmethod
    def extract(cls, p):
        m = (re.search(r"\b(?:wrap|enclos|put|surround|place)\w*\b[^.\n]{0,50}?\b(?:in|with|inside|within|between)\s+"
                       r"(?:a\s+pair\s+of\s+)?double\s+quot", p, re.I)
             or re.search(r"\bdouble\s+quot\w*(?:\s+marks?)?\s+(?:around|surrounding|enclosing)\b", p, re.I))
        return [cls()] if m and not negated_before(p, m.start()) else []

    def check(self, text):
        t = text.strip()
        if not (len(t) >= 2 and t[0] in "\"“" and t[-1] in "\"”"):
            return [self.finding("The whole answer is not wrapped in double quotation marks.", "start/end")]
        return []

    def instruction(self):
        return 'Wrap the entire answer in double quotation marks: start with " and end with ".'

    def decoding(self):
        return DecodingConstraints(forced_prefix='"')


@register
@dataclass
class Title(Constraint):
    kind: ClassVar[str] = "title"

    @classmethod
    def extract(cls, p):
        return [cls()] if re.search(r"double angular brackets|<<[^<>]+>>", p, re.I) else []

    def check(self, text):
        if not re.search(r"<<[^<>\n]+>>", text):
            return [self.finding("No title wrapped in double angular brackets like <<title>>.", "start")]
        return []

    def instruction(self):
        return "Start with a title wrapped in double angular brackets, like <<my title>>."

    def decoding(self):
        return DecodingConstraints(forced_prefix="<<")


@register
@dataclass
class Postscript(Constraint):
    kind: ClassVar[str] = "postscript"
    marker: str = "P.S."

    @classmethod
    def extract(cls, p):
        m = re.search(r"\b(?:postscript|p\.\s?p\.\s?s|p\.\s?s)\b", p, re.I)
        if not m or negated_before(p, m.start()):
            return []
        return [cls("P.P.S" if re.search(r"\bp\.\s?p\.\s?s\b", p, re.I) else "P.S.")]

    def check(self, text):
        core = re.escape(self.marker.rstrip(".")).replace(r"\.", r"\.?\s?")
        if not re.search(rf"(?im)^\s*{core}\.?", text):
            return [self.finding(f"No postscript: a final line starting with {self.marker}.", "end")]
        return []

    def instruction(self):
        return f"End with a postscript on its own line starting with {self.marker}"


@register
@dataclass
class TwoResponses(Constraint):
    kind: ClassVar[str] = "two_responses"

    @classmethod
    def extract(cls, p):
        six = re.search(r"(?<!\*)\*{6}(?!\*)|\b6\s+asterisks?", p, re.I)
        two = re.search(r"\b(?:2|two|both)\b|\bseparat", p, re.I)
        return [cls()] if six and two and not negated_before(p, six.start()) else []

    def check(self, text):
        parts = [x.strip() for x in text.split("******")]
        if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
            return [self.finding(f"{len([x for x in parts if x])} non-empty responses separated by ******; needs 2 different ones.")]
        return []

    def instruction(self):
        return "Give two different responses, separated by a line with only ******."


# ---- content -------------------------------------------------------------------------
@register
@dataclass
class IncludeKeywords(Constraint):
    kind: ClassVar[str] = "include_keywords"
    keywords: list[str] = field(default_factory=list)

    @classmethod
    def extract(cls, p):
        pat = (r"\b(?:includ(?:e|es|ing)|us(?:e|es|ing)|mention(?:s|ing)?|contain(?:s|ing)?|featur(?:e|es|ing))\s+(?:the\s+)?(?:following\s+)?"
               r"(?:key\s?words?|words?|terms?|phrases?|hashtags?)\s*:?\s+(.+?)(?:[.;!?\n]|$)")
        kws: list[str] = []
        for m in re.finditer(pat, p, re.I):
            if negated_before(p, m.start(), 25):
                continue
            if re.match(r"\s*(?:at least|at most|exactly|\d)", m.group(1), re.I) or re.search(r"\d+\s+times\b", m.group(1)):
                continue  # "use the word X at least N times" is keyword_frequency
            kws += [k for k in _split_list(m.group(1)) if k.lower() not in ("in", "your", "the")]
        return [cls(list(dict.fromkeys(kws)))] if kws else []

    def check(self, text):
        missing = [k for k in self.keywords if not re.search(rf"(?<!\w){re.escape(k)}(?!\w)", text, re.I)]
        if missing:
            return [self.finding("Missing keyword(s): " + ", ".join(missing) + ".", "whole answer",
                                 "Use these words: " + ", ".join(missing) + ".")]
        return []

    def instruction(self):
        return "Use these exact words in the answer: " + ", ".join(self.keywords) + "."


# What "avoid …"/"without using …" names that is not a word to ban (other constraints read these)
NOT_WORDS = {"commas", "comma", "capital letters", "capitals", "caps", "uppercase", "lowercase", "punctuation",
             "any commas", "a single comma", "markdown", "bullet points", "bullets", "numbers", "emojis"}


@register
@dataclass
class ForbiddenWords(Constraint):
    kind: ClassVar[str] = "forbidden_words"
    words: list[str] = field(default_factory=list)

    @classmethod
    def extract(cls, p):
        verb = r"(?:use|using|say|saying|include|including|mention|mentioning|write|writing)"
        noun = r"(?:key\s?words?|words?|terms?|phrases?)"
        pats = [rf"\b(?:do not|don't|dont|never|must not|should not|cannot|can't|without|avoid|refrain from|exclude|omit|leave out|"
                rf"steer clear of|not allowed to)\s+(?:{verb}\s+)?(?:the\s+|any\s+of\s+the\s+|any\s+)?(?:following\s+)?"
                rf"{noun}\s*:?\s+(.+?)(?:[.;!?\n]|$)",
                rf"\b(?:do not|don't|dont|never|must not|should not|avoid|refrain from)\s+{verb}\s+((?:[\"“'‘][^\n]+?[\"”'’]"
                r"(?:\s*,\s*|\s+or\s+|\s+and\s+|\s*,\s*or\s+)?)+)",
                r"\bwithout\s+(?:mentioning|saying|using)\s+(?!any\b|a\s+single\b)(?:the\s+)?(?:words?\s+)?([\w' -]+?)(?:[.;!?\n,]|$)",
                rf"\b(?:the\s+)?{noun}\s+(.+?)\s+(?:must|should|may|can)\s*(?:not|n't)\s+(?:appear|be used|be included|be mentioned|show up)"]
        ws: list[str] = []
        for pat in pats:
            for m in re.finditer(pat, p, re.I):
                items = [w for w in _split_list(m.group(1)) if w.lower() not in NOT_WORDS]
                ws += items
        return [cls(list(dict.fromkeys(ws)))] if ws else []

    def check(self, text):
        found = []
        for w in self.words:
            m = re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I)
            if m:
                found.append((w, m.start()))
        if found:
            return [self.finding("Forbidden word(s) used: " + ", ".join(f"'{w}' at char {i}" for w, i in found) + ".",
                                 f"char {found[0][1]}")]
        return []

    def instruction(self):
        return "Do not use these words at all: " + ", ".join(self.words) + "."

    def decoding(self):
        return DecodingConstraints(banned_words=list(self.words))


@register
@dataclass
class KeywordFrequency(Constraint):
    kind: ClassVar[str] = "keyword_frequency"
    word: str = ""
    rel: str = "at_least"
    n: int = 1

    @classmethod
    def extract(cls, p):
        out = []
        pat = (r"\b(?:the )?(?:word|keyword|term)\s+([\"'“‘]?[\w'-]+[\"'”’]?)[^.\n]{0,40}?(?:" + _REL + r"\s+)?"
               r"(\d+)\s+times")
        for m in re.finditer(pat, p, re.I):
            if m.group(1).lower().strip("\"'“”‘’") == "letter":
                continue
            rel = _REL_MAP[m.group("rel").lower()] if m.group("rel") else "exactly"
            out.append(cls(_clean_phrase(m.group(1)), rel, int(m.group(3))))
        return out

    def check(self, text):
        count = len(re.findall(rf"(?<!\w){re.escape(self.word)}(?!\w)", text, re.I))
        if not compare(count, self.rel, self.n):
            return [self.finding(f"'{self.word}' appears {count} times; needs {_REL_TEXT[self.rel]} {self.n}.")]
        return []

    def instruction(self):
        return f"Use the word '{self.word}' {_REL_TEXT[self.rel]} {self.n} times."


@register
@dataclass
class StartPhrase(Constraint):
    kind: ClassVar[str] = "start_phrase"
    phrase: str = ""

    @classmethod
    def extract(cls, p):
        resp = r"(?:your\s+(?:\w+\s+)?(?:response|answer|reply|email|letter|story|poem|speech|essay|message|note|post)\s+|it\s+)?"
        pats = [rf"\b(?:start|begin|open)\w*\s+{resp}with\s+(?:the\s+)?(?:exact\s+|following\s+)*"
                r"(?:(?:word|phrase|sentence|words|line)s?\s*:?\s*)?",
                r"\bthe\s+(?:very\s+)?first\s+(?:word|words|sentence|line|phrase)\s+of\s+(?:your|the)\s+(?:\w+\s+)?"
                r"(?:response|answer|reply|email|letter|story|poem|text)\s+(?:should|must|has to|needs to|will)\s+be\s*:?\s*"]
        for pat in pats:
            for m in re.finditer(pat, p, re.I):
                before = p[max(0, m.start() - 40):m.start()]
                if negated_before(p, m.start()) or re.search(r"paragraph\w*\s+(?:\w+\s+){0,3}$|paragraph \d+\s+\w*\s*$", before, re.I) \
                        or re.match(r"\w+\s+(?:the\s+)?(?:\w+\s+)?paragraph", p[m.start():], re.I) \
                        or re.search(r"\beach\s+(?:section|paragraph|bullet|line)", p[m.start():m.end() + 20], re.I):
                    continue  # "the 2nd paragraph must start with …", "begin each section with …": other constraints
                raw = p[m.end():]
                if _QUOTED.match(raw):
                    phrase = _quoted_or_word(raw)
                elif re.search(r"(?:word|phrase|sentence|words|line)s?\s*:?\s*$|be\s*:?\s*$", m.group(0), re.I):
                    phrase = re.split(r"[.;!?\n](?:\s|$)", raw.strip())[0].strip() if not re.search(r"words?\s*$", m.group(0), re.I) \
                        else re.split(r"[.;!?\n,](?:\s|$)", raw.strip())[0].strip()
                    if re.search(r"\bword\s*:?\s*$", m.group(0), re.I) or re.search(r"first word", m.group(0), re.I):
                        phrase = (phrase.split() or [""])[0].strip(".,;:!?")
                else:
                    continue  # "start with a question": not a literal
                if phrase:
                    return [cls(phrase)]
        return []

    def check(self, text):
        if not text.strip().lower().startswith(self.phrase.lower()):
            return [self.finding(f"The answer does not start with '{self.phrase}'.", "start")]
        return []

    def instruction(self):
        return f"Start the answer with exactly: {self.phrase}"

    def decoding(self):
        return DecodingConstraints(forced_prefix=self.phrase)


@register
@dataclass
class EndPhrase(Constraint):
    kind: ClassVar[str] = "end_phrase"
    phrase: str = ""

    @classmethod
    def extract(cls, p):
        end = r"(?:end|finish|conclude|close|wrap up)\w*"
        resp = r"(?:(?:your|the|this|my)\s+(?:\w+\s+)?(?:response|answer|reply|email|letter|story|essay|poem|message|text|post|note|speech)\s+|it\s+|them\s+)?"
        lead = (rf"\b{end}\s+{resp}with\s+(?:the\s+|this\s+|these\s+)?(?:exact\s+|following\s+|same\s+)*(?:phrase|sentence|words?|line)?\s*:?\s*"
                r"|\b(?:the\s+)?(?:very\s+end|last\s+(?:sentence|line|words?|part)|final\s+(?:sentence|line|words?))\s+of\s+"
                r"(?:your|the)\s+(?:\w+\s+)?(?:response|answer|reply|email|letter|story|essay|poem|message)\s+(?:should|must|has to|needs to|will)\s+"
                r"(?:read|be|say)(?:\s+exactly)?\s*:?\s*")
        for m in re.finditer(lead, p, re.I):
            if negated_before(p, m.start()):
                continue
            raw = p[m.end():]
            if _QUOTED.match(raw):
                phrase = _quoted_or_word(raw)
            elif re.search(r"(?:phrase|sentence|words?|line)\s*:?\s*$", m.group(0), re.I) or m.group(0).rstrip().endswith(":"):
                phrase = re.split(r"\.\s|\n", raw.strip())[0].rstrip(".")  # unquoted, after "phrase:" — up to the sentence end
            else:
                continue  # "end with a question": not a literal phrase
            phrase = phrase.strip()
            if phrase:
                return [cls(phrase)]
        return []

    def check(self, text):
        def norm(s):
            return re.sub(r"\s+", " ", s.strip().lower()).rstrip(" .!?\"'")
        if not norm(text).endswith(norm(self.phrase)):
            return [self.finding(f"The answer does not end with '{self.phrase}'.", "end")]
        return []

    def instruction(self):
        return f"End the answer with exactly this phrase, with nothing after it: {self.phrase}"

    def decoding(self):
        return DecodingConstraints(stop_strings=[self.phrase])


@register
@dataclass
class RepeatRequest(Constraint):
    kind: ClassVar[str] = "repeat_request"
    request: str = ""

    @classmethod
    def extract(cls, p):
        m = re.search(r"(?:first\s+)?repeat the (?:request|question|prompt)[^.\n]*(?:\([^)]*\))?[^.\n]*\.?", p, re.I)
        if not m or negated_before(p, m.start()):
            return []
        request = (p[:m.start()] + p[m.end():]).strip()
        return [cls(request)] if request else []

    def check(self, text):
        if not re.sub(r"\s+", " ", text.strip().lower()).startswith(re.sub(r"\s+", " ", self.request.lower())):
            return [self.finding("The answer does not start by repeating the request word for word.", "start")]
        return []

    def instruction(self):
        return "First repeat the request word for word, then give your answer."

    def decoding(self):
        return DecodingConstraints(forced_prefix=self.request + "\n")


@register
@dataclass
class ChooseFrom(Constraint):
    kind: ClassVar[str] = "choose_from"
    options: list[str] = field(default_factory=list)

    @classmethod
    def extract(cls, p):
        lead = (r"\b(?:answer|respond|reply|response|output)\w*\s+(?:(?:must|should|has to|needs to)\s+)?(?:(?:contain|be|include|use|with)\s+)?"
                r"(?:only\s+|exactly\s+|just\s+)*(?:one|1)\s+of\s*(?:the\s+)?(?:following\s+)?(?:options|phrases|choices|answers)?\s*:?\s*"
                r"|\bchoose\s+(?:one\s+|your\s+answer\s+)?(?:from|between|among)\s*(?:the\s+)?(?:following\s+)?(?:options)?\s*:?\s*"
                r"|\b(?:options|choices)\s+(?:are|is)\s*:?\s*"
                r"|\b(?:answer|respond|reply)\w*\s+(?:only\s+)?with\s+(?=[\"“'‘][^\n]+?[\"”'’]\s*(?:,|or)\s*[\"“'‘])")
        m = re.search(lead, p, re.I)
        if not m or negated_before(p, m.start()):
            return []
        rest = p[m.end():].split("\n\n")[0]
        opts = quoted(rest.split("\n")[0]) or quoted(rest)
        if not opts:  # unquoted: "apple, banana, cherry" or "My answer is yes., My answer is no."
            line = rest.split("\n")[0]
            opts = [o.strip(" .") for o in re.split(r",\s*(?:or\s+)?|\s+or\s+|/", line) if o.strip(" .")]
            opts = [re.sub(r"\s*\(.*$", "", o) for o in opts if len(o.split()) <= 8]
        return [cls(opts)] if len(opts) >= 2 else []

    def check(self, text):
        t = text.strip().lower()
        hits = [o for o in self.options if o.lower() in t]
        if len(hits) != 1 or not t.startswith(hits[0].lower().rstrip(".")[:max(1, len(hits[0]) // 2)]):
            return [self.finding("The answer must be exactly one of: " + " / ".join(self.options) + ".", "whole answer")]
        return []

    def instruction(self):
        return "Answer with exactly one of these options and nothing else: " + " / ".join(self.options)


# A few common function words per language: enough to tell languages apart in a paragraph.
LANG_WORDS = {
    "english": "the and is are of to in that it with for this you was on be not have".split(),
    "french": "le la les et est sont de des un une que qui dans pour pas avec ce vous nous".split(),
    "spanish": "el la los las y es son de del un una que en para por con no se muy".split(),
    "german": "der die das und ist sind ein eine nicht mit zu den dem ich sie es auf für".split(),
    "italian": "il lo la gli le e è sono di un una che per non con del della sono".split(),
    "portuguese": "o a os as e é são de do da um uma que em para não com por".split(),
    "dutch": "de het een en is zijn van niet met voor op dat die ik je".split(),
}
# Languages told by their script (Unicode ranges); a text "is" one when most of its letters are in the range.
LANG_SCRIPTS = {
    "russian": "\u0400-\u04ff", "ukrainian": "\u0400-\u04ff", "bulgarian": "\u0400-\u04ff", "greek": "\u0370-\u03ff",
    "arabic": "\u0600-\u06ff", "persian": "\u0600-\u06ff", "urdu": "\u0600-\u06ff", "hebrew": "\u0590-\u05ff",
    "hindi": "\u0900-\u097f", "marathi": "\u0900-\u097f", "nepali": "\u0900-\u097f", "bengali": "\u0980-\u09ff",
    "punjabi": "\u0a00-\u0a7f", "gujarati": "\u0a80-\u0aff", "tamil": "\u0b80-\u0bff", "telugu": "\u0c00-\u0c7f",
    "kannada": "\u0c80-\u0cff", "malayalam": "\u0d00-\u0d7f", "thai": "\u0e00-\u0e7f", "korean": "\uac00-\ud7af\u1100-\u11ff",
    "japanese": "\u3040-\u30ff\u4e00-\u9fff", "chinese": "\u4e00-\u9fff",
}
LANGUAGES = [*LANG_WORDS, *LANG_SCRIPTS, "mandarin", "swahili", "turkish", "vietnamese", "indonesian", "polish", "swedish"]
ALIASES = {"mandarin": "chinese", "farsi": "persian"}


def detect_language(text: str) -> str | None:
    letters = [ch for ch in text if ch.isalpha()]
    if letters:
        for lang, rng in LANG_SCRIPTS.items():
            if sum(bool(re.match(f"[{rng}]", ch)) for ch in letters) / len(letters) > 0.5:
                if lang == "chinese" and re.search("[\u3040-\u30ff]", text):
                    return "japanese"  # kana: Japanese, even with many kanji
                return lang
    ws = [w.lower() for w in words(text)]
    if len(ws) < 3:
        return None
    scores = {lang: sum(w in vocab for w in ws) for lang, vocab in LANG_WORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else None


def _same_script_family(a: str, b: str | None) -> bool:
    """Languages the detector cannot tell apart (one script, no word lists) count as the same."""
    return b is not None and (a == b or (a in LANG_SCRIPTS and b in LANG_SCRIPTS and LANG_SCRIPTS[a] == LANG_SCRIPTS[b]))


@register
@dataclass
class Language(Constraint):
    kind: ClassVar[str] = "language"
    language: str = "english"

    @classmethod
    def extract(cls, p):
        langs = "|".join(sorted({*LANGUAGES, *ALIASES}, key=len, reverse=True))
        verbs = (r"respond|response|answer|reply|repl|write|written|say|speak|compose|draft|output|translat|tell|explain|"
                 r"describe|story|poem|essay|letter|email|message|text|greeting|speech|summar|give|list|greeting")
        pats = [rf"\b(?:{verbs})\w*\b[^.\n]{{0,60}}?\b(?:in|into)\s+(?:the\s+)?(?:plain\s+|simple\s+|proper\s+|standard\s+|formal\s+|informal\s+|good\s+)?"
                rf"({langs})\b(?!\s+(?:words?|alphabet))",
                rf"\b(?:only|entirely|completely|wholly|all|just)\s+(?:in\s+)?({langs})\b",
                rf"\bin\s+({langs})\s+(?:only|language only)\b",
                rf"\b({langs})\s+(?:only|language only)\b",
                rf"\b(?:should|must|has to|needs to)\s+be\s+(?:written\s+)?(?:in\s+)?({langs})\b"]
        for pat in pats:
            for m in re.finditer(pat, p, re.I):
                if negated_before(p, m.start(), 25) or re.search(r"\bnot\s+(?:in\s+)?$", p[:m.start(1)], re.I):
                    continue
                lang = m.group(1).lower()
                return [cls(ALIASES.get(lang, lang))]
        return []

    def check(self, text):
        got = detect_language(text)
        if not _same_script_family(self.language, got):
            return [self.finding(f"The answer reads as {got or 'no clear language'}, not {self.language.capitalize()}.")]
        return []

    def instruction(self):
        return f"Write the whole answer in {self.language.capitalize()} only."

    def notice(self) -> str:
        if self.language == "english":
            return ""
        if self.language not in LANG_WORDS and self.language not in LANG_SCRIPTS:
            return (f"The request asks for {self.language.capitalize()}; the checker cannot recognise that language, so it "
                    "reports it as not met. Small models such as SmolLM2-135M write little but English.")
        return (f"The request asks for {self.language.capitalize()}: small models such as SmolLM2-135M were trained almost "
                "only on English and rarely write it well; the checker says whether the answer is in it.")


# ---- the answer key (a teacher's rule, never read from a prompt) --------------------------------
@register
@dataclass
class FinalAnswer(Constraint):
    """The final answer must equal `value`. Only a caller that knows the answer key adds it (the distillation
    teacher, tuning/distill.py); `hint` puts the value in the revision instruction, as STaR's rationalization
    does: the next draft is asked for steps that reach it, and the feedback module checks that they do. Off by
    default: the 135M model parrots the hint instead of computing (a pilot: 13 of 16 right answers, 2 with steps)."""
    kind: ClassVar[str] = "final_answer"
    value: str = ""
    hint: bool = False

    def check(self, text):
        from irg.analyze import final_answer, parse_number  # analyze imports this module

        got, want = final_answer(text), parse_number(self.value)
        if got is None or want is None or abs(float(got) - want) > 1e-6:
            return [self.finding(f"The final answer {got or '(none)'} is not the expected one.", "end")]
        return []

    def instruction(self):
        if self.hint:
            return (f"Solve it again step by step, writing each calculation as 'a + b = c'. The correct final answer is "
                    f"{self.value}: every step must lead to it. Finish with 'The answer is {self.value}.'")
        return "The final answer is wrong: solve it again step by step and recheck every calculation."
