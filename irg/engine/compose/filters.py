"""What one unit is or has: a predicate with its plain words. `Filter("starts_with", "b")` -> "starts with 'b'"."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from irg.engine.compose.sounds import rhymes
from irg.engine.compose.units import FORMATS, MARKS, NUMBER_WORDS, PUNCTUATION, plain, snippet, split
from irg.engine.registry import Registry

FILTERS: Registry = Registry("filter")


@dataclass(frozen=True)
class FilterKind:
    test: Callable[[str, object], bool]  # (the unit's text, the filter's argument) -> does it hold?
    words: str  # plain words, {arg} for the argument: "starts with {arg}"


def _filter(name: str, words: str, test: Callable[[str, object], bool]) -> None:
    FILTERS.register(name, FilterKind(test, words))


def mark_words(char: str) -> str | None:
    """A mark by its name with its article ("?" -> "a question mark"), from the units' one table of marks."""
    name = next((n for n, cs in MARKS.items() if cs == char), None)
    return None if name is None else ("an " if name[0] in "aeiou" else "a ") + name


def _said(name: str, arg) -> str:
    """An argument as plain words: a mark by its name, a letter as "the letter b", letters as "the letters 'ing'"."""
    if isinstance(arg, (list, tuple)) and name == "ends_with_any":  # "a period or an exclamation mark"
        said = [mark_words(a) or f"'{a}'" for a in arg]
        return ", ".join(said[:-1]) + " or " + said[-1]
    if isinstance(arg, (list, tuple)):
        return (" or " if name == "starts_with_any" else ", ").join(f"'{a}'" for a in arg)
    if name in ("starts_with", "ends_with", "contains") and isinstance(arg, str):
        if said := mark_words(arg):
            return said
        if arg.isalpha() and len(arg) == 1:
            return f"the letter {arg}"
        if arg.isalpha() and name != "contains":
            return f"the letters '{arg}'"
    return str(arg) if isinstance(arg, int) else f"'{arg}'"  # a number is said as itself


def plural_verb(words: str) -> str:
    """'starts with' -> 'start with', 'has' -> 'have', 'is' -> 'are': the phrase said of several units (or after
    'does not')."""
    head, _, rest = words.partition(" ")
    head = {"has": "have", "is": "are", "does": "do"}.get(head, head[:-1] if head.endswith("s") else head)
    return f"{head} {rest}".strip()


def _first_letter(text: str) -> str:
    """The first letter of a text, lowercased, past marks and list markers ('"Apple' -> 'a'); '' if none."""
    first = next((c for c in plain(text) if c.isalpha() or c.isdigit()), "")
    return unicodedata.normalize("NFKD", first)[:1].lower()  # "Élan" starts with a vowel


def _norm(s: str) -> str:
    return plain(s).strip().lower()



def last_word(text: str) -> str:
    w = split("word", plain(text))
    return _norm(w[-1]) if w else ""


def first_word(text: str) -> str:
    w = split("word", plain(text))
    return _norm(w[0]) if w else ""


_filter("starts_with", "starts with {arg}", lambda t, a: _norm(t).startswith(_norm(str(a))))
_filter("ends_with", "ends with {arg}",
        lambda t, a: _norm(t).endswith(_norm(str(a))) or _norm(t).rstrip("\"”'’)").endswith(_norm(str(a))))
_filter("first_word", "starts with the word {arg}", lambda t, a: first_word(t) == _norm(str(a)))
_filter("last_word", "ends with the word {arg}", lambda t, a: last_word(t) == _norm(str(a)).split()[-1]
        and _norm(t).rstrip(".!?,;:\"”'’) ").endswith(_norm(str(a))))
_filter("starts_with_any", "starts with {arg}",  # the words, not their start: 'And' is no opening of "Andrew"
        lambda t, a: any(_norm(t) == _norm(x) or re.match(re.escape(_norm(x)) + r"\b", _norm(t)) for x in a))
# "end with a period or an exclamation mark": one of several marks closes the unit
_filter("ends_with_any", "ends with {arg}", lambda t, a: any(FILTERS.get("ends_with").test(t, x) for x in a))
# "begin and end with the same letter": the unit's first letter is its last ("Anna", "Did it end"); a unit with no
# letter has neither, and does not meet it
_filter("same_letter_ends", "starts and ends with the same letter",
        lambda t, a: bool(ls := [c for c in unicodedata.normalize("NFKD", plain(t).lower()) if c.isalpha()])
        and ls[0] == ls[-1])
_filter("is", "is {arg}", lambda t, a: _norm(t).strip(".,;:!?\"”“'’‘() ") == _norm(str(a)).strip(".,;:!?\"”“'’‘() "))
_filter("has_number", "contains at least one number",
        lambda t, a: bool(re.search(r"\d", t)) or bool(re.search(NUMBER_WORDS, t, re.I)))
CONTRACTED = {"it's", "that's", "he's", "she's", "there's", "what's", "let's", "who's", "where's", "here's", "how's"}
_filter("contraction", "is a contraction", lambda t, a: bool(re.search(r"(?i)(?:n['’]t|['’](?:re|ve|ll|d|m))$", t))
        or t.lower().replace("’", "'") in CONTRACTED)
_filter("contains", "contains {arg}", lambda t, a: _norm(str(a)) in _norm(t))
def _contains_text(t: str, a) -> bool:
    """A quoted text, whole where it starts or ends with a letter or digit ('Pip' is not in "pipe"); a short lowercase
    one ('bl', 'we', 'ough') as letters anywhere: it may be a part of a word."""
    a = str(a)
    if re.fullmatch(r"[a-z]{1,4}", a):
        return a in _norm(t)
    return bool(re.search((r"(?<!\w)" if a[:1].isalnum() else "") + re.escape(_norm(a))
                          + (r"(?!\w)" if a[-1:].isalnum() else ""), _norm(t)))


_filter("contains_text", "contains {arg}", _contains_text)
_filter("contains_word", "contains the word {arg}", lambda t, a: _norm(str(a)) in {_norm(w) for w in split("word", t)})
_filter("contains_phrase", "contains the phrase {arg}",  # the words in a row, whole: "home insurance", not "homes"
        lambda t, a: bool(re.search(r"(?<!\w)" + r"\W+".join(map(re.escape, _norm(str(a)).split())) + r"(?!\w)",
                                    _norm(t))))
_filter("starts_vowel", "starts with a vowel", lambda t, a: _first_letter(t) in tuple("aeiou"))
_filter("starts_consonant", "starts with a consonant",
        lambda t, a: _first_letter(t).isalpha() and _first_letter(t) not in tuple("aeiou"))
_filter("in_list", "is one of {arg}", lambda t, a: _norm(t) in {_norm(x) for x in a})
_filter("question", "is a question", lambda t, a: t.rstrip().rstrip("\"”'’)").endswith("?"))
_filter("capitalised", "begins with an uppercase letter",
        lambda t, a: plain(t).lstrip(" \"'“‘(")[:1].isupper())
_filter("starts_lowercase", "begins with a lowercase letter",
        lambda t, a: plain(t).lstrip(" \"'“‘(")[:1].islower())
_filter("all_capitals", "is in capital letters", lambda t, a: any(c.isalpha() for c in t) and t == t.upper())
_filter("lowercase", "is in lowercase letters", lambda t, a: t == t.lower())
_filter("number", "is a number", lambda t, a: bool(re.fullmatch(r"[-+]?\d[\d,]*(?:\.\d+)?", t.strip())))
_filter("shouted", "is written in capitals (a word of two letters or more)",  # "I" and "A" are not shouting
        lambda t, a: sum(c.isalpha() for c in t) >= 2 and t == t.upper())
_filter("palindrome_word", "is a palindrome of three letters or more",  # "a", "I", "aa" are no palindromic words
        lambda t, a: len(s := re.sub(r"[^a-z]", "", t.lower())) >= 3 and s == s[::-1])
_filter("double_letter", "has a double letter", lambda t, a: bool(re.search(r"([a-z])\1", t.lower())))
_filter("pangram", "contains every letter from a to z",
        lambda t, a: set("abcdefghijklmnopqrstuvwxyz") <= set(t.lower()))
_filter("hyphenated", "contains a hyphen", lambda t, a: "-" in t.strip("-"))
_filter("has_punctuation", "contains a punctuation mark", lambda t, a: any(c in PUNCTUATION for c in plain(t)))
_filter("ends_punctuation", "ends with a punctuation mark", lambda t, a: plain(t).rstrip()[-1:] in PUNCTUATION
        and plain(t).rstrip()[-1:] != "")
_filter("ends_ellipsis", "ends with an ellipsis",
        lambda t, a: plain(t).rstrip().rstrip("\"”'’)").endswith(("...", "…")))
_filter("repeats_letter", "contains a letter more than once",
        lambda t, a: len(ls := [c for c in t.lower() if c.isalpha()]) != len(set(ls)))
_filter("all_vowels", "contains each of the letters a, e, i, o and u", lambda t, a: set("aeiou") <= set(t.lower()))
_filter("bold_start", "begins with a word in bold",  # the first word alone: "**Welcome to** our shop" is two
        lambda t, a: bool(re.match(r"\s*\*\*[^*\s]+\*\*(?!\w)", t)))
_filter("bold_first_sentence", "begins with a sentence in bold",
        lambda t, a: bool(re.match(r"\s*\*\*[^*]+[.!?]\s*\*\*|\s*\*\*[^*]+\*\*\s*[.!?]", t)))
_filter("alliterative", "has every word starting with the same letter",
        lambda t, a: len({w[0].lower() for w in split("word", plain(t))}) == 1)
_filter("distinct_initials", "has no two words starting with the same letter",
        lambda t, a: len(ws := [w[0].lower() for w in split("word", plain(t))]) == len(set(ws)))


@lru_cache(maxsize=4096)
def verb_tags(word: str) -> frozenset[str]:
    """The verb forms a word can be, as Penn tags ("led" -> VBD, VBN; "whisk" -> VB, VBP), from a dictionary of
    English inflections (lemminflect: no tagger, no context). "Book" and "table" can be verbs: a rule on a unit's
    first verb says what the word can be, not how the sentence uses it."""
    from lemminflect import getAllInflections, getAllLemmas

    w = word.lower().rsplit("-", 1)[-1]  # "re-engineered": the verb is its last part
    tags = set()
    for lemma in getAllLemmas(w, upos="VERB").get("VERB", ()):
        tags |= {tag for tag, forms in getAllInflections(lemma, upos="VERB").items() if w in forms}
        tags |= {"VB"} if w == lemma else set()
    return frozenset(tags)


_filter("verb", "is a verb", lambda t, a: bool(verb_tags(_norm(t))))
_filter("imperative_verb", "is an imperative verb", lambda t, a: "VB" in verb_tags(_norm(t)))
_filter("past_verb", "is a past-tense verb", lambda t, a: "VBD" in verb_tags(_norm(t)))


def _steps(text: str, sign: int) -> bool:
    n = [len(re.sub(r"[^A-Za-z]", "", w)) for w in split("word", plain(text))]
    return all((b - a) * sign > 0 for a, b in zip(n, n[1:]))


_filter("growing_words", "has each word longer than the word before it", lambda t, a: _steps(t, 1))
_filter("shrinking_words", "has each word shorter than the word before it", lambda t, a: _steps(t, -1))
SMALL = {"a", "an", "the", "and", "but", "or", "nor", "for", "of", "in", "on", "at", "to", "by", "up", "as", "with",
         "from", "into", "over", "per", "via", "vs"}
_filter("title_case", "is in title case",  # each word capitalised, the small words too when they open it
        lambda t, a: all(w[:1].isupper() or (i and w.lower() in SMALL) or not w[:1].isalpha()
                         for i, w in enumerate(split("word", plain(t)))))
_filter("letter", "is the letter {arg}", lambda t, a: t.lower() == str(a).lower())
# numbers by value, for the style rule "spell out one to nine, figures for 10 and up": a whole number in figures, a
# number word by the number it names ("twenty" 20, "dozen" 12, "hundred" 100)
WORD_VALUES = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                          "thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
WORD_VALUES |= {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
WORD_VALUES |= {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}


def value(t: str) -> int | None:
    t = t.strip().lower()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", t):
        return int(t.replace(",", ""))
    return WORD_VALUES.get(t)


_filter("small_figure", "is a figure from {arg} to 9",  # {arg}: 1 ("one through nine") or 0 ("under ten")
        lambda t, a: t.strip()[:1].isdigit() and (v := value(t)) is not None and int(a) <= v <= 9)
_filter("ten_or_more", "stands for 10 or more", lambda t, a: (v := value(t)) is not None and v >= 10)
# how a number, time, date, price or percentage is written (the units of formats.py)
_filter("clock_24h", "is written as HH:MM on a 24-hour clock",
        lambda t, a: bool(re.fullmatch(r"(?:[01]\d|2[0-3]):[0-5]\d", t.strip())))
_filter("clock_ampm", "is written with am or pm", lambda t, a: bool(re.search(r"(?i)\b(?:am|pm|a\.m\.|p\.m\.)", t)))
_filter("iso_date", "is written as YYYY-MM-DD", lambda t, a: bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", t.strip())))
_filter("whole_number", "has no decimal point", lambda t, a: not re.search(r"\d[.,]\d", t))
_filter("percent_sign", "uses the % sign", lambda t, a: "%" in t)
_filter("two_decimals", "has a currency sign and exactly two digits after the decimal point",
        lambda t, a: bool(re.search(r"[$€£¥]", t)) and bool(re.search(r"\d\.\d{2}(?!\d)", t)))


def _inner_rhyme(text: str) -> bool:
    return rhymes(first_word(text), last_word(text))


_filter("inner_rhyme", "has a first word that rhymes with its last word", lambda t, a: _inner_rhyme(t))
_filter("palindrome", "is a palindrome",
        lambda t, a: len(s := re.sub(r"[^a-z0-9]", "", t.lower())) > 1 and s == s[::-1])


FORMAT_WORDS = {"digit": "a digit", "number": "a number", "emoji": "an emoji", "percentage": "a percentage",
                "price": "a price", "hashtag": "a hashtag", "time": "a time", "date": "a date", "year": "a year",
                "hhmm": "a time written as HH:MM"}
_EDGE = "[\\s\"'“‘(*_>-]*"  # quotes, brackets, markdown or list marks before a unit's first word


def _format(name: str) -> None:
    pat = re.compile(f"(?:{FORMATS[name]})", re.I)
    said = FORMAT_WORDS[name]
    if name != "number":  # "has_number" is older, and says "at least one number"
        _filter(f"has_{name}", f"contains {said}", lambda t, a: bool(pat.search(t)))
    _filter(f"starts_{name}", f"begins with {said}", lambda t, a: bool(re.match(_EDGE + pat.pattern, plain(t), re.I)))
    _filter(f"ends_{name}", f"ends with {said}",
            lambda t, a: bool(re.search(f"(?:{pat.pattern})[\\s.!?,;:)\"”'’*_]*$", t, re.I)))


for _name in FORMATS:
    _format(_name)


def _bookended(text: str) -> bool:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return len(lines) > 1 and _norm(lines[0]).rstrip(".!?,;:") == _norm(lines[-1]).rstrip(".!?,;:")


_filter("repeats_first_line", "ends with its own first line", lambda t, a: _bookended(t))

@dataclass(frozen=True)
class Filter:
    name: str
    arg: object = None

    def __post_init__(self) -> None:
        FILTERS.get(self.name)  # an unknown filter is a ConfigError with the known ones listed
        if "{arg}" in FILTERS.get(self.name).words and self.arg in (None, "", ()):
            raise ValueError(f"The filter '{self.name}' needs an argument (arg).")

    def holds(self, text: str) -> bool:
        return bool(FILTERS.get(self.name).test(text, self.arg))

    def words(self) -> str:
        """What a unit it holds for does, in the singular: "starts with the letter b", "ends with a question mark"."""
        return FILTERS.get(self.name).words.format(arg=_said(self.name, self.arg))

    def negated(self) -> str:
        """The words of its refusal: "does not end with a period", "is not a question"."""
        said = self.words()
        return "is not " + said[3:] if said.startswith("is ") else "does not " + plural_verb(said)

    def failed(self, label: str, text: str) -> str:
        """Why one unit breaks it: "sentence 3 ('Why not.') does not end with '?'"."""
        return f"{label} ({snippet(text)}) {self.negated()}"

    def found(self, label: str, text: str) -> str:
        return f"{label} ({snippet(text)}) {self.words()}"

    def to_dict(self) -> dict:
        return {"filter": self.name, **({"arg": list(self.arg) if isinstance(self.arg, tuple) else self.arg}
                                        if self.arg is not None else {})}


def opening(word: str, as_word: bool = False) -> Filter | None:
    """What a quoted opening asks: a single letter is a letter ("each starting with 'J'"), 'I' the word, 'A' either
    one (None: never guess) — unless "the word" was said; anything else its first word, or the text it starts with."""
    if len(word) == 1 and word.isalpha() and not as_word:
        return None if word.lower() == "a" else Filter("first_word", word) if word == "I" else \
            Filter("starts_with", word.lower())
    return Filter("first_word", word) if len(word.split()) == 1 and word.isalpha() else Filter("starts_with", word)
